import Testing
@testable import Site

@Test func moduleLinks() {
    #expect(String(describing: SiteModule.self) == "SiteModule")
}
