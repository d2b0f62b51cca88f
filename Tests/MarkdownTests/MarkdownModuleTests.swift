import Testing
@testable import Markdown

@Test func moduleLinks() {
    #expect(String(describing: MarkdownModule.self) == "MarkdownModule")
}
