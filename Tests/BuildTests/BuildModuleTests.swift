import Testing
@testable import Build

@Test func moduleLinks() {
    #expect(String(describing: BuildModule.self) == "BuildModule")
}
