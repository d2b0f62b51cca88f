import Nunjucks
import Testing
@testable import Site

/// `PageSource.storedForm()` and back: the same data, order and flags.
@Suite struct PageSourceStoredTests {
    private func page(_ text: String, path: String = "posts/a.md") throws -> PageSource {
        try PageParser.parse(path: path, text: text, format: .markdown)
    }

    private func roundTrip(_ page: PageSource) -> PageSource? {
        guard let stored = page.storedForm() else { return nil }
        return stored.withUnsafeBytes { PageSource(stored: $0, path: page.path, format: page.format) }
    }

    @Test func frontMatterSurvivesInOrderWithoutTheBody() throws {
        let original = try page("""
            ---
            title: "Ünïcode ✓"
            date: 2024-01-02
            count: 3
            ratio: -0.25
            draft: false
            empty: null
            tags: [posts, news]
            9: numeric key first
            nested: {a: 1, list: [true, {deep: x}], "": blank key}
            ---
            Body with collections.posts
            """)
        let decoded = try #require(roundTrip(original))
        #expect(decoded.data.keys == original.data.keys)
        #expect(try JSON.stringify(.object(decoded.data), indent: nil) == JSON.stringify(.object(original.data), indent: nil))
        #expect(decoded.bodyStartLine == original.bodyStartLine)
        #expect(decoded.mentionsCollections && original.mentionsCollections)
        #expect(!decoded.hasBody && decoded.body.isEmpty)
        #expect(decoded.tags == ["posts", "news"] && decoded.dateText == original.dateText)
        let restored = decoded.restoringBody(from: "---\ntitle: x\ndate: 2024-01-02\ncount: 3\nratio: -0.25\ndraft: false\nempty: null\ntags: [posts, news]\n9: numeric key first\nnested: {a: 1, list: [true, {deep: x}], \"\": blank key}\n---\nBody with collections.posts")
        #expect(restored.body == original.body && restored.bodyStartLine == original.bodyStartLine)
    }

    @Test func aPageWithoutFrontMatterAndFlagsOff() throws {
        let original = try page("Just *text*.\n")
        let decoded = try #require(roundTrip(original))
        #expect(decoded.data.count == 0 && !decoded.mentionsCollections && decoded.bodyStartLine == 1)
    }

    @Test func valuesFrontMatterCannotHoldAreNotStored() {
        let page = PageSource(path: "a.njk", format: .nunjucks, data: JSObject([("x", .safe("<b>"))]), body: "", bodyStartLine: 1, frontMatterText: "")
        #expect(page.storedForm() == nil)
    }

    @Test func damagedOrForeignBytesDecodeToNothing() throws {
        let stored = try #require(try page("---\ntitle: T\ntags: [a, b]\n---\nx").storedForm())
        func decode(_ bytes: [UInt8]) -> PageSource? {
            bytes.withUnsafeBytes { PageSource(stored: $0, path: "a.md", format: .markdown) }
        }
        #expect(decode(stored) != nil)
        for length in 0..<stored.count { #expect(decode(Array(stored.prefix(length))) == nil) }
        var otherVersion = stored
        otherVersion[0] = 99
        #expect(decode(otherVersion) == nil)
        #expect(decode(stored + [0]) == nil)
        #expect(decode([1, 0, 1, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == nil)  // an absurd count
    }
}
