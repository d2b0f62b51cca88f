import Foundation
import Testing
@testable import Markdown

/// Every Markdown page of the example sites renders, and the features the
/// pages rely on (fenced code with a language, tables) come out as HTML.
@Suite struct ExampleSitesMarkdownTests {
    static let sitesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sites")

    @Test func examplePagesRender() throws {
        let walker = try #require(FileManager.default.enumerator(at: Self.sitesDirectory, includingPropertiesForKeys: nil))
        let pages = walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "md" }
        #expect(pages.count >= 20)
        var all = ""
        for page in pages {
            let html = Markdown.renderHTML(try String(contentsOf: page, encoding: .utf8))
            #expect(!html.isEmpty, "\(page.lastPathComponent) rendered nothing")
            all += html
        }
        #expect(all.contains("<pre><code class=\"language-sh\">"))
        #expect(all.contains("<table>"))
        #expect(all.contains("<del>strikethrough</del>"))
    }
}
