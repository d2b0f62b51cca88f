import Testing
@testable import Markdown

@Suite struct MarkdownRenderingTests {
    @Test func headingsAndParagraphs() {
        #expect(Markdown.renderHTML("# Title\n\nSome text.\n\n## Sub\n") ==
            "<h1>Title</h1>\n<p>Some text.</p>\n<h2>Sub</h2>\n")
        #expect(Markdown.renderHTML("Setext\n======\n") == "<h1>Setext</h1>\n")
    }

    @Test func emphasisAndCodeSpans() {
        #expect(Markdown.renderHTML("*a* **b** _c_ `d < e`") ==
            "<p><em>a</em> <strong>b</strong> <em>c</em> <code>d &lt; e</code></p>\n")
    }

    @Test func lists() {
        #expect(Markdown.renderHTML("- one\n- two\n  - nested\n") ==
            "<ul>\n<li>one</li>\n<li>two<ul>\n<li>nested</li>\n</ul>\n</li>\n</ul>\n")
        #expect(Markdown.renderHTML("3. three\n4. four\n") ==
            "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n")
    }

    @Test func fencedCodeWithInfoString() {
        let html = Markdown.renderHTML("```swift\nlet x = 1 < 2\n```\n")
        #expect(html == "<pre><code class=\"language-swift\">let x = 1 &lt; 2\n</code></pre>\n")
    }

    @Test func tables() {
        let html = Markdown.renderHTML("| a | b |\n|:--|--:|\n| 1 | 2 |\n")
        #expect(html.contains("<table>"))
        #expect(html.contains("<th align=\"left\">a</th>"))
        #expect(html.contains("<th align=\"right\">b</th>"))
        #expect(html.contains("<td align=\"left\">1</td>"))
        #expect(html.contains("<td align=\"right\">2</td>"))
    }

    @Test func strikethrough() {
        #expect(Markdown.renderHTML("~~gone~~ kept") == "<p><del>gone</del> kept</p>\n")
    }

    @Test func permissiveAutolinks() {
        #expect(Markdown.renderHTML("see https://example.com/x?y=1 now").contains(
            "<a href=\"https://example.com/x?y=1\">https://example.com/x?y=1</a>"))
        #expect(Markdown.renderHTML("visit www.example.org today").contains(
            "<a href=\"http://www.example.org\">www.example.org</a>"))
        #expect(Markdown.renderHTML("mail me@example.com please").contains(
            "<a href=\"mailto:me@example.com\">me@example.com</a>"))
        #expect(Markdown.renderHTML("<https://a.example>").contains("<a href=\"https://a.example\">"))
    }

    @Test func rawHTMLPassesThrough() {
        #expect(Markdown.renderHTML("<div class=\"note\">\nhi\n</div>\n") == "<div class=\"note\">\nhi\n</div>\n")
        #expect(Markdown.renderHTML("a <span data-x=\"1\">b</span> c") ==
            "<p>a <span data-x=\"1\">b</span> c</p>\n")
    }

    @Test func entities() {
        #expect(Markdown.renderHTML("&copy; &amp; &#35; & < \"q\"") ==
            "<p>© &amp; # &amp; &lt; &quot;q&quot;</p>\n")
    }

    @Test func templateSyntaxSurvivesUntouched() {
        let source = "Hello {{ user.name }}!\n\n{% for p in posts %}\n- {{ p.title | upper }}\n{% endfor %}\n"
        let html = Markdown.renderHTML(source)
        #expect(html.contains("Hello {{ user.name }}!"))
        #expect(html.contains("{% for p in posts %}"))
        #expect(html.contains("{{ p.title | upper }}"))
        #expect(html.contains("{% endfor %}"))
    }

    @Test func emptyInput() {
        #expect(Markdown.renderHTML([UInt8]()) == [])
        #expect(Markdown.renderHTML("") == "")
    }

    @Test func leadingByteOrderMarkIsSkipped() {
        #expect(Markdown.renderHTML([0xEF, 0xBB, 0xBF] + Array("# T".utf8)) == Array("<h1>T</h1>\n".utf8))
    }
}
