import Testing
@testable import Nunjucks

@Test func moduleLinks() {
    #expect(String(describing: NunjucksModule.self) == "NunjucksModule")
}
