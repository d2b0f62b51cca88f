import Testing
@testable import YAML

@Test func moduleLinks() {
    #expect(String(describing: YAMLModule.self) == "YAMLModule")
}
