import Testing
@testable import Daemon

@Test func moduleLinks() {
    #expect(String(describing: DaemonModule.self) == "DaemonModule")
}
