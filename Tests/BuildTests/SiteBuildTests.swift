import Build
import Cache
import Foundation
import Site
import Testing

@Suite struct SiteBuildTests {
    static let blog: [String: String] = [
        "site.yaml": "title: Test Blog\nbaseURL: https://example.com/\n",
        "_data/nav.json": #"[{"title": "Home", "url": "/"}, {"title": "About", "url": "/about/"}]"#,
        "_layouts/base.njk": "<title>{{ title }} | {{ site.title }}</title><nav>{% for n in nav %}<a href=\"{{ n.url }}\">{{ n.title }}</a>{% endfor %}</nav><main>{{ content }}</main>",
        "_layouts/post.njk": "---\nlayout: base.njk\n---\n<article><h1>{{ title }}</h1>{{ content }}</article>",
        "index.njk": "---\ntitle: Home\nlayout: base.njk\n---\n<ul>{% for p in collections.posts %}<li><a href=\"{{ p.url }}\">{{ p.data.title }}</a></li>{% endfor %}</ul>",
        "about.md": "---\ntitle: About\nlayout: base.njk\n---\n# About {{ site.title }}\n\nPlain *markdown*.\n",
        "posts/first.md": "---\ntitle: First\ndate: 2024-01-01\ntags: posts\nlayout: post.njk\n---\nHello **one**.\n",
        "posts/second.md": "---\ntitle: Second\ndate: 2024-02-01\ntags: [posts, news]\nlayout: post.njk\n---\nHello **two**.\n",
        "assets/style.css": "body { color: red }\n",
        "_includes/unused.njk": "not output",
    ]

    @Test func buildsPagesLayoutsCollectionsAndAssets() throws {
        let site = try TestSite(files: Self.blog)
        let report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(site.output("index.html") == "<title>Home | Test Blog</title><nav><a href=\"/\">Home</a><a href=\"/about/\">About</a></nav><main><ul><li><a href=\"/posts/first/\">First</a></li><li><a href=\"/posts/second/\">Second</a></li></ul></main>")
        #expect(site.output("posts/first/index.html") == "<title>First | Test Blog</title><nav><a href=\"/\">Home</a><a href=\"/about/\">About</a></nav><main><article><h1>First</h1><p>Hello <strong>one</strong>.</p>\n</article></main>")
        #expect(site.output("about/index.html")?.contains("<h1>About Test Blog</h1>\n<p>Plain <em>markdown</em>.</p>") == true)
        #expect(site.output("assets/style.css") == "body { color: red }\n")
        #expect(site.output("_includes/unused.njk") == nil)
        #expect(Set(site.outputTree().keys) == ["index.html", "about/index.html", "posts/first/index.html", "posts/second/index.html", "assets/style.css"])
        #expect(report.rendered == 4)
    }

    @Test func secondBuildRendersNothingAndEditRendersOnlyDependents() throws {
        let site = try TestSite(files: Self.blog)
        try site.build()
        let noop = try site.build()
        #expect(noop.rendered == 0)
        #expect(noop.skipped == 4)
        #expect(noop.written == 0)

        // A body edit re-renders that post only: the index reads front matter, not bodies.
        try site.write("posts/first.md", "---\ntitle: First\ndate: 2024-01-01\ntags: posts\nlayout: post.njk\n---\nHello **edited**.\n")
        let body = try site.build()
        #expect(body.rendered == 1)
        #expect(site.output("posts/first/index.html")?.contains("<strong>edited</strong>") == true)

        // A title edit changes collections: the post and the index re-render.
        try site.write("posts/first.md", "---\ntitle: Renamed\ndate: 2024-01-01\ntags: posts\nlayout: post.njk\n---\nHello **edited**.\n")
        let title = try site.build()
        #expect(title.rendered == 2)
        #expect(site.output("index.html")?.contains(">Renamed</a>") == true)

        // A layout edit re-renders every page that uses it.
        try site.write("_layouts/post.njk", "---\nlayout: base.njk\n---\n<article class=\"x\"><h1>{{ title }}</h1>{{ content }}</article>")
        let layout = try site.build()
        #expect(layout.rendered == 2)
        #expect(site.output("posts/second/index.html")?.contains("<article class=\"x\">") == true)

        // Global data changes every page.
        try site.write("_data/nav.json", #"[{"title": "Start", "url": "/"}]"#)
        #expect(try site.build().rendered == 4)
    }

    @Test func aLayoutThatStartsReadingCollectionsGetsThem() throws {
        let site = try TestSite(files: Self.blog)
        try site.build()
        // Only the layout changes, and only the layout names collections: the
        // post is rendered without them first, then again once they exist.
        try site.write("_layouts/post.njk", "---\nlayout: base.njk\n---\n<article>{{ collections.posts | length }} posts<h1>{{ title }}</h1>{{ content }}</article>")
        let report = try site.build()
        #expect(report.errors.isEmpty)
        #expect(report.rendered == 2)
        #expect(site.output("posts/first/index.html")?.contains("<article>2 posts<h1>First</h1>") == true)
        // And the record now says the post reads collections: a new post re-renders it.
        try site.write("posts/third.md", "---\ntitle: Third\ndate: 2024-03-01\ntags: posts\nlayout: post.njk\n---\nThree.")
        try site.build()
        #expect(site.output("posts/first/index.html")?.contains("<article>3 posts<h1>First</h1>") == true)
    }

    @Test func deletedAndRenamedSourcesLoseTheirOutputs() throws {
        let site = try TestSite(files: Self.blog)
        try site.build()
        try FileManager.default.createDirectory(atPath: site.siteOutput + "/mine", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: site.siteOutput + "/mine/keep.txt"))

        try site.move("posts/second.md", "posts/renamed.md")
        try site.remove("assets/style.css")
        let report = try site.build()
        #expect(report.errors.isEmpty)
        #expect(site.output("posts/second/index.html") == nil)
        #expect(site.output("posts/renamed/index.html") != nil)
        #expect(site.output("assets/style.css") == nil)
        #expect(!FileManager.default.fileExists(atPath: site.siteOutput + "/posts/second"))
        #expect(site.output("mine/keep.txt") == "keep", "files the build did not write are never deleted")
        #expect(site.output("index.html")?.contains("/posts/renamed/") == true)
    }

    @Test func permalinksDraftsAndCollisions() throws {
        let site = try TestSite(files: [
            "feed.njk": "---\npermalink: /feed.xml\n---\n<feed>{{ collections.all | length }}</feed>",
            "a.md": "---\npermalink: \"/custom/{{ slug }}/\"\nslug: abc\n---\nA",
            "draft.md": "---\ndraft: true\n---\nnot built",
            "none.njk": "---\npermalink: false\n---\nnot written",
        ])
        var report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(site.output("feed.xml") == "<feed>3</feed>", "a permalink: false page is in collections (Eleventy), a draft is not")
        #expect(site.output("custom/abc/index.html") == "<p>A</p>\n")
        #expect(site.output("draft/index.html") == nil)
        #expect(site.output("none/index.html") == nil)

        try site.write("b.md", "---\npermalink: /custom/abc/\n---\nB")
        report = try site.build()
        #expect(report.errors.count == 1)
        let message = report.errors.first?.description ?? ""
        #expect(message.contains("b.md") && message.contains("a.md") && message.contains("custom/abc/index.html"))

        try site.write("escape.md", "---\npermalink: /../../outside.html\n---\nx")
        report = try site.build()
        #expect(report.errors.contains { $0.file.hasSuffix("escape.md") && $0.message.contains("escapes the output directory") })
        #expect(!FileManager.default.fileExists(atPath: site.outputRoot + "/outside.html"))
        #expect(!FileManager.default.fileExists(atPath: site.directory + "/outside.html"))
    }

    @Test func anAssetAddedOverAPageOutputIsACollision() throws {
        let site = try TestSite(files: ["styles.njk": "---\npermalink: /styles.css\n---\nbody { color: {{ 'red' }} }", "index.njk": "home"])
        try site.build()
        #expect(site.output("styles.css") == "body { color: red }")
        try site.write("styles.css", "body { color: blue }")
        let report = try site.build()
        #expect(report.errors.contains { $0.file.hasSuffix("styles.css") && $0.message.contains("also written by") })
        #expect(site.output("styles.css") == "body { color: red }", "the page keeps its output")
    }

    @Test func paginationChunksACollection() throws {
        var files: [String: String] = [
            "blog.njk": """
            ---
            pagination:
              data: collections.post
              size: 2
              alias: posts
            permalink: "/blog/{% if pagination.pageNumber > 0 %}{{ pagination.pageNumber + 1 }}/{% endif %}"
            ---
            {{ pagination.pageNumber }}:{% for p in posts %}{{ p.data.title }},{% endfor %}|{{ pagination.href.previous }}|{{ pagination.href.next }}
            """,
        ]
        for i in 1...5 { files["p/\(i).md"] = "---\ntitle: T\(i)\ndate: 2024-01-0\(i)\ntags: post\n---\nx" }
        let site = try TestSite(files: files)
        let report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(site.output("blog/index.html") == "0:T1,T2,||/blog/2/")
        #expect(site.output("blog/2/index.html") == "1:T3,T4,|/blog/|/blog/3/")
        #expect(site.output("blog/3/index.html") == "2:T5,|/blog/2/|")
    }

    @Test func errorsNameFileLineAndColumnAndGoodPagesStillBuild() throws {
        let site = try TestSite(files: [
            "good.njk": "fine",
            "bad-fm.md": "---\ntitle: [unclosed\n---\nbody",
            "bad-tpl.njk": "---\ntitle: x\n---\nline one\n{{ 1 + }}",
            "_data/broken.json": "{\n  \"a\": 1,\n  oops\n}",
        ])
        let report = try site.build()
        #expect(site.output("good/index.html") == "fine")
        let byFile = Dictionary(grouping: report.errors, by: { ($0.file as NSString).lastPathComponent })
        #expect(byFile["bad-fm.md"]?.first?.line == 3, "libyaml finds the unclosed sequence at the closing ---")
        #expect(byFile["bad-tpl.njk"]?.first?.line == 5, "body line numbers count the front matter")
        #expect(byFile["broken.json"]?.first?.line == 3)
        for error in report.errors { #expect(error.file.hasPrefix(site.siteRoot + "/")) }
    }

    @Test func jobsDoNotChangeOutputAndNoTemporaryFilesRemain() throws {
        var files = Self.blog
        for i in 0..<60 { files["posts/gen-\(i).md"] = "---\ntitle: Gen \(i)\ndate: 2023-03-\(10 + i % 18)\ntags: [posts]\nlayout: post.njk\n---\nBody \(i) {{ site.title }}\n" }
        let one = try TestSite(files: files)
        one.jobs = 1
        try one.build()
        let eight = try TestSite(files: files)
        eight.jobs = 8
        try eight.build()
        #expect(one.outputTree() == eight.outputTree())
        #expect(!one.outputTree().keys.contains { $0.contains(AtomicFileWriter.temporarySuffix) })
    }

    @Test func keptAndReReadPageBodiesRenderTheSame() throws {
        var files = Self.blog
        for i in 0..<40 { files["posts/gen-\(i).md"] = "---\ntitle: Gen \(i)\ndate: 2023-04-\(10 + i % 18)\ntags: [posts]\nlayout: post.njk\n---\nBody **\(i)** {{ site.title }}\n" }
        let kept = try TestSite(files: files)          // every body kept from the scan
        try kept.build()
        let reread = try TestSite(files: files)        // every body read again to render
        reread.retainedBodyBytes = 0
        try reread.build()
        let some = try TestSite(files: files)          // a budget that runs out half-way
        some.retainedBodyBytes = 2_000
        try some.build()
        #expect(kept.outputTree() == reread.outputTree())
        #expect(kept.outputTree() == some.outputTree())
        #expect(kept.output("posts/gen-7/index.html")?.contains("Body <strong>7</strong> Test Blog") == true)
    }

    /// A layout edit renders every page again from unchanged sources: their
    /// front matter comes from the forms stored by the last build, and the
    /// outputs are exactly what a build from scratch makes.
    @Test func aLayoutEditUsesStoredPageSourcesAndMatchesAFullBuild() throws {
        var files = Self.blog
        for i in 0..<80 {
            files["posts/gen-\(i).md"] = "---\ntitle: \"Gen \(i) ✓\"\ndate: 2023-04-\(10 + i % 18)\ntags: [posts, t\(i % 3)]\nlayout: post.njk\nscore: \(Double(i) / 4)\nmeta: {draft: false, list: [1, two]}\n---\nBody **\(i)** {{ meta.list[1] }} {{ score }}\n"
        }
        let site = try TestSite(files: files)
        let first = try site.build()
        #expect(first.errors.isEmpty, "\(first.errors)")
        #expect(first.pagesFromStoredSources == 0)
        try site.write("_layouts/base.njk", "<title>{{ title }}</title><main>{{ content }}</main><footer>{{ collections.posts | length }}</footer>")
        try site.write("posts/gen-5.md", "---\ntitle: Edited\ntags: posts\nlayout: post.njk\n---\nNew body\n")
        let edited = try site.build()
        #expect(edited.errors.isEmpty, "\(edited.errors)")
        #expect(edited.rendered == 84)
        #expect(edited.pagesFromStoredSources == 83)  // all but the edited post
        let scratch = try TestSite(files: files)
        try scratch.write("_layouts/base.njk", "<title>{{ title }}</title><main>{{ content }}</main><footer>{{ collections.posts | length }}</footer>")
        try scratch.write("posts/gen-5.md", "---\ntitle: Edited\ntags: posts\nlayout: post.njk\n---\nNew body\n")
        #expect(try scratch.build().pagesFromStoredSources == 0)
        #expect(site.outputTree() == scratch.outputTree())
        #expect(site.output("posts/gen-6/index.html") == "<title>Gen 6 ✓</title><main><article><h1>Gen 6 ✓</h1><p>Body <strong>6</strong> two 1.5</p>\n</article></main><footer>82</footer>")
    }

    /// A stored form is only ever used for the exact file it came from.
    @Test func storedPageSourcesOfChangedOrDeletedPagesAreNotUsed() throws {
        var files = Self.blog
        for i in 0..<140 { files["posts/gen-\(i).md"] = "---\ntitle: Gen \(i)\ntags: posts\nlayout: post.njk\n---\nx\n" }
        let site = try TestSite(files: files)
        try site.build()
        for i in 0..<140 where i % 2 == 0 { try site.write("posts/gen-\(i).md", "---\ntitle: Now \(i)\ntags: posts\nlayout: post.njk\n---\ny\n") }
        try site.remove("posts/gen-1.md")
        try site.write("_layouts/post.njk", "---\nlayout: base.njk\n---\n<h2>{{ title }}</h2>{{ content }}")
        let report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors)")
        // To render again: the unchanged odd posts but gen-1, first, second,
        // and index (its collection changed); about.md is not.
        #expect(report.pagesFromStoredSources == 69 + 3)
        #expect(site.output("posts/gen-4/index.html")?.contains("<h2>Now 4</h2><p>y</p>") == true)
        #expect(site.output("posts/gen-3/index.html")?.contains("<h2>Gen 3</h2><p>x</p>") == true)
        #expect(site.output("posts/gen-1/index.html") == nil)
        // The deleted page's stored form is gone; the others are kept.
        let database = try SQLiteDatabase(path: site.cachePath)
        let rows = try database.read { try $0.queryFirst("SELECT COUNT(*), SUM(path = 'posts/gen-1.md') FROM build_page_sources") }
        #expect(rows?[0].integer == 143 && rows?[1].integer == 0)
    }

    /// Permalinks planned by the last build are reused only while the page's
    /// key holds: a change to the global data its permalink reads moves it.
    @Test func permalinksFollowGlobalDataWhenLayoutsChangeToo() throws {
        var files = Self.blog
        files["site.yaml"] = "title: Test Blog\nsection: one\n"
        files = Self.placingPosts(by: "{{ site.section }}", files)
        let site = try Self.builtInSectionOne(files)
        try site.write("_layouts/post.njk", "---\nlayout: base.njk\n---\n<h2>{{ title }}</h2>{{ content }}")
        let layoutOnly = try site.build()
        #expect(layoutOnly.errors.isEmpty, "\(layoutOnly.errors)")
        #expect(site.output("one/gen-3/index.html")?.contains("<h2>Gen 3</h2>") == true)
        let moved = ["site.yaml": "title: Test Blog\nsection: two\n", "_layouts/post.njk": Self.postLayoutH3]
        try Self.expectPostsMoved(site, editing: moved)
        let scratch = try TestSite(files: files.merging(moved) { $1 })
        try scratch.build()
        #expect(site.outputTree() == scratch.outputTree())
    }

    /// A permalink that includes a template is worked out again: the
    /// included template is not part of the page's key.
    @Test func permalinksWithTagsAreNotReused() throws {
        var files = Self.blog
        files["_includes/section.njk"] = "one"
        let site = try Self.builtInSectionOne(Self.placingPosts(by: "{% include 'section.njk' %}", files))
        try Self.expectPostsMoved(site, editing: ["_includes/section.njk": "two", "_layouts/post.njk": Self.postLayoutH3])
    }

    private static let postLayoutH3 = "---\nlayout: base.njk\n---\n<h3>{{ title }}</h3>{{ content }}"

    /// `files` with 70 posts whose permalinks are `/<section>/gen-N/`, the
    /// section worked out by the template text `section`.
    private static func placingPosts(by section: String, _ files: [String: String]) -> [String: String] {
        var files = files
        for i in 0..<70 { files["posts/gen-\(i).md"] = "---\ntitle: Gen \(i)\nlayout: post.njk\npermalink: \"/\(section)/gen-\(i)/\"\n---\nx\n" }
        return files
    }

    /// A site of `files`, built, with its posts in section "one".
    private static func builtInSectionOne(_ files: [String: String]) throws -> TestSite {
        let site = try TestSite(files: files)
        let first = try site.build()
        #expect(first.errors.isEmpty, "\(first.errors)")
        #expect(site.output("one/gen-3/index.html") != nil)
        return site
    }

    /// After `edits` (the section becomes "two", the post layout
    /// `postLayoutH3`), a build moves every post and removes the old outputs.
    private static func expectPostsMoved(_ site: TestSite, editing edits: [String: String]) throws {
        for (path, text) in edits { try site.write(path, text) }
        let moved = try site.build()
        #expect(moved.errors.isEmpty, "\(moved.errors)")
        #expect(site.output("two/gen-3/index.html")?.contains("<h3>Gen 3</h3>") == true)
        #expect(site.output("one/gen-3/index.html") == nil)
    }

    @Test func deletingTheCacheGivesAnIdenticalFullBuild() throws {
        let site = try TestSite(files: Self.blog)
        try site.build()
        let before = site.outputTree()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: site.cachePath + suffix) }
        let report = try site.build()
        #expect(report.rendered == 4)
        #expect(site.outputTree() == before)
    }

    @Test func deletedOutputsAreRestoredFromTheCacheWithoutRendering() throws {
        let site = try TestSite(files: Self.blog)
        try site.build()
        let before = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let report = try site.build()
        #expect(report.rendered == 0)
        #expect(report.cached == 4)
        #expect(site.outputTree() == before)
    }
}
