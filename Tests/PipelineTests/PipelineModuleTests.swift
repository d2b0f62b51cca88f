import Testing
@testable import Pipeline

@Test func moduleLinks() {
    #expect(String(describing: PipelineModule.self) == "PipelineModule")
}
