import Testing
@testable import Watch

@Test func moduleLinks() {
    #expect(String(describing: WatchModule.self) == "WatchModule")
}
