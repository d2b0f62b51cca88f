import Testing
@testable import Server

@Test func moduleLinks() {
    #expect(String(describing: ServerModule.self) == "ServerModule")
}
