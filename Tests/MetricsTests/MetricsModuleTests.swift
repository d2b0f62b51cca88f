import Testing
@testable import Metrics

@Test func moduleLinks() {
    #expect(String(describing: MetricsModule.self) == "MetricsModule")
}
