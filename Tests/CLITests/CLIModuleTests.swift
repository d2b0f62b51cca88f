import Testing
@testable import CLI

@Test func moduleLinks() {
    #expect(String(describing: CLIModule.self) == "CLIModule")
}
