import Testing
@testable import Governor

@Test func moduleLinks() {
    #expect(String(describing: GovernorModule.self) == "GovernorModule")
}
