import Nunjucks
import Testing
@testable import Site

@Suite struct PermalinkTests {
    @Test(arguments: [("a/b.md", "/a/b/"), ("index.njk", "/"), ("a/index.md", "/a/"), ("about.html", "/about/"), ("x.y/z.md", "/x.y/z/")])
    func defaultURLs(input: String, url: String) {
        #expect(Permalink.defaultURL(forInput: input) == url)
    }

    @Test func outputPaths() throws {
        #expect(try Permalink.outputPath(forURL: "/a/b/") == "a/b/index.html")
        #expect(try Permalink.outputPath(forURL: "/") == "index.html")
        #expect(try Permalink.outputPath(forURL: "/feed.xml") == "feed.xml")
        #expect(try Permalink.outputPath(forURL: "/a/./b/../c.html") == "a/c.html")
        #expect(throws: PermalinkError.self) { try Permalink.outputPath(forURL: "/../x.html") }
        #expect(throws: PermalinkError.self) { try Permalink.outputPath(forURL: "/a/../../x.html") }
    }

    @Test func fileSlugs() {
        #expect(Permalink.fileSlug(forInput: "posts/hello.md") == "hello")
        #expect(Permalink.fileSlug(forInput: "posts/index.md") == "posts")
        #expect(Permalink.fileSlug(forInput: "index.njk") == "")
    }

    @Test func classification() {
        #expect(SiteFile.classify("site.yaml") == .config)
        #expect(SiteFile.classify("_layouts/base.njk") == .layout)
        #expect(SiteFile.classify("_includes/nav.njk") == .include)
        #expect(SiteFile.classify("_data/nav.json") == .data)
        #expect(SiteFile.classify("_drafts/x.md") == .hidden)
        #expect(SiteFile.classify("a/.secret.md") == .hidden)
        #expect(SiteFile.classify("posts/a.md") == .page(.markdown))
        #expect(SiteFile.classify("index.njk") == .page(.nunjucks))
        #expect(SiteFile.classify("assets/x.css") == .asset)
    }
}

@Suite struct PageDateTests {
    @Test func parsesDatesAndPrintsISO() {
        #expect(PageDate.parse("2024-01-05").map(PageDate.isoString) == "2024-01-05T00:00:00.000Z")
        #expect(PageDate.parse("2024-01-05T10:30:00+02:00").map(PageDate.isoString) == "2024-01-05T08:30:00.000Z")
        #expect(PageDate.parse("1969-12-31 23:59:59Z").map(PageDate.isoString) == "1969-12-31T23:59:59.000Z")
        #expect(PageDate.parse("yesterday") == nil)
        #expect(PageDate.parse("2024-13-01") == nil)
    }

    @Test func strftimeSubset() {
        let t = PageDate.parse("2024-03-07T09:05:01Z")!
        #expect(SiteFilters.format(t, "%Y-%m-%d %H:%M:%S %B %b %e %A %a %j %%") == "2024-03-07 09:05:01 March Mar 7 Thursday Thu 067 %")
    }

    @Test func slugify() {
        #expect(SiteFilters.slugify("Héllo, World! It's 2024") == "hello-world-its-2024")
    }
}

@Suite struct PageParserTests {
    @Test func frontMatterKeysAndBodyLine() throws {
        let page = try PageParser.parse(path: "p.md", text: "---\ntitle: Hi\ntags: [a, b]\ndate: 2024-01-05\n---\nbody\n", format: .markdown)
        #expect(page.data["title"]?.jsString == "Hi")
        #expect(page.tags == ["a", "b"])
        #expect(page.dateText == "2024-01-05")
        #expect(page.body == "body\n")
        #expect(page.bodyStartLine == 6)
    }

    @Test func frontMatterErrorHasFilePosition() {
        #expect {
            try PageParser.parse(path: "p.md", text: "---\ntitle: ok\nbad: [1, 2\n---\n", format: .markdown)
        } throws: { error in
            guard let error = error as? SiteError else { return false }
            return error.file == "p.md" && error.line >= 3
        }
    }

    @Test func collectionsSortByDateThenPath() {
        func entry(_ path: String, _ date: Double, _ tags: [String]) -> CollectionEntry {
            let item = JSObject([("inputPath", .string(path))])
            return CollectionEntry(inputPath: path, date: date, tags: tags, item: item)
        }
        let collections = Collections.build([entry("b", 2, ["x"]), entry("a", 2, ["x", "y"]), entry("c", 1, [])])
        guard case .array(let all)? = collections["all"], case .array(let x)? = collections["x"] else {
            Issue.record("missing collections")
            return
        }
        #expect(all.elements.map { $0.member(.string("inputPath")).jsString } == ["c", "a", "b"])
        #expect(x.elements.count == 2)
        #expect(collections.keys == ["all", "x", "y"])
    }
}
