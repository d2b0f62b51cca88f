import Foundation
import Testing
@testable import Daemon

@Suite("Search index and page text")
struct SearchAndTextTests {
    @Test func textSkipsMarkupScriptsAndDecodesEntities() {
        let html = """
        <!doctype html><html><head><title>Tips &amp; Tricks</title><style>body{color:red}</style>
        <script>var hidden = "nope";</script></head>
        <body><nav><a href="/">Home</a></nav><!-- a comment -->
        <h1>Hello <em>world</em></h1><p>Caf&eacute; costs &lt;5&gt; &#8364; &#x41;</p></body></html>
        """
        let text = HTMLText(html: Array(html.utf8))
        #expect(text.title == "Tips & Tricks")
        #expect(text.text.contains("Hello world"))
        #expect(text.text.contains("costs <5> € A"))
        #expect(!text.text.contains("hidden"))
        #expect(!text.text.contains("color:red"))
        #expect(!text.text.contains("comment"))
        #expect(HTMLText(html: Array("<body><h1>Only <b>heading</b></h1><p>x</p></body>".utf8)).title == "Only heading")
    }

    @Test func searchRanksAndSnippetsAndUpdates() {
        let index = SearchIndex()
        index.update(site: "blog", path: "/a/", html: Array("<title>Sourdough bread</title><p>How to bake sourdough bread at home.</p>".utf8))
        index.update(site: "blog", path: "/b/", html: Array("<title>Rye</title><p>Rye bread, dense and dark.</p>".utf8))
        index.update(site: "docs", path: "/c/", html: Array("<title>Ovens</title><p>Baking needs an oven.</p>".utf8))
        var result = index.search("bread")
        #expect(result.total == 2)
        #expect(result.hits.map(\.path) == ["/a/", "/b/"])  // title + body beats body
        #expect(result.hits[0].url == "/sites/blog/a/")
        #expect(result.hits[0].snippet.contains("sourdough bread"))
        #expect(index.search("sourdough bread").hits.map(\.path) == ["/a/"])  // every word must match
        #expect(index.search("bak").hits.map(\.path).sorted() == ["/a/", "/c/"])  // last word is a prefix
        #expect(index.search("bread", site: "docs").hits.isEmpty)
        #expect(index.search("  ").hits.isEmpty)
        index.update(site: "blog", path: "/a/", html: Array("<title>Pasta</title><p>Fresh pasta.</p>".utf8))
        result = index.search("sourdough")
        #expect(result.hits.isEmpty)
        #expect(index.search("pasta").hits.map(\.path) == ["/a/"])
        index.remove(site: "blog", path: "/b/")
        #expect(index.search("rye").hits.isEmpty)
        #expect(index.count == 2)
        #expect(index.count(of: "blog") == 1)
        index.removeSite("docs")
        #expect(index.count == 1)
        #expect(index.paths(of: "blog", sample: 10) == ["/a/"])
    }

    @Test func wordsAreLowercaseLettersAndDigits() {
        #expect(SearchIndex.words(in: "Hello, Wörld! a 42 x-ray") == ["hello", "wörld", "42", "ray"])
    }

    @Test func outputPathsMapToURLs() {
        #expect(OutputTracker.url(forOutput: "index.html") == "/")
        #expect(OutputTracker.url(forOutput: "posts/a/index.html") == "/posts/a/")
        #expect(OutputTracker.url(forOutput: "feed.xml") == "/feed.xml")
    }

    @Test func trackerReportsChangedAndRemovedOutputs() throws {
        let root = NSTemporaryDirectory() + "unjucksd-tracker-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try Data("1".utf8).write(to: URL(fileURLWithPath: root + "/a/index.html"))
        try Data("2".utf8).write(to: URL(fileURLWithPath: root + "/b.css"))
        let tracker = OutputTracker()
        #expect(tracker.refresh(site: "s", directory: root).changed == ["a/index.html", "b.css"])
        #expect(tracker.refresh(site: "s", directory: root).isEmpty)
        try Data("22".utf8).write(to: URL(fileURLWithPath: root + "/b.css.tmp"))
        rename(root + "/b.css.tmp", root + "/b.css")
        try FileManager.default.removeItem(atPath: root + "/a/index.html")
        let difference = tracker.refresh(site: "s", directory: root)
        #expect(difference.changed == ["b.css"])
        #expect(difference.removed == ["a/index.html"])
    }

    @Test func errorOverlayShowsLocationAndSourceLine() throws {
        let file = NSTemporaryDirectory() + "unjucksd-overlay-" + UUID().uuidString + ".njk"
        defer { unlink(file) }
        try Data("first\n  {{ a | <b> }}\n".utf8).write(to: URL(fileURLWithPath: file))
        let html = ErrorOverlay.html(site: "blog", errors: [.init(file: file, line: 2, column: 10, message: "bad <filter>")])
        #expect(html.contains("\(file):2:10"))
        #expect(html.contains("bad &lt;filter&gt;"))
        #expect(html.contains("2 |   {{ a | &lt;b&gt; }}\n" + String(repeating: " ", count: 13) + "^"))
    }
}
