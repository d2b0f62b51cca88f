import Testing
@testable import Cache

@Test func moduleLinks() {
    #expect(String(describing: CacheModule.self) == "CacheModule")
}
