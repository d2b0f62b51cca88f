import Build
import Cache
import Foundation
import Site
import Testing

/// Eleventy's directory and template data files: `posts/posts.json` gives
/// every post its layout and tag; deeper files and front matter win, with
/// objects merged and tags added up.
@Suite struct DirectoryDataTests {
    static let files: [String: String] = [
        "_layouts/post.njk": "<article data-layout=\"post\" data-colour=\"{{ colour }}\">{{ content }}</article>",
        "_layouts/other.njk": "<article data-layout=\"other\">{{ content }}</article>",
        "index.njk": "{% for p in collections.posts %}{{ p.data.title }};{% endfor %}|{% for p in collections.featured %}{{ p.data.title }};{% endfor %}",
        "posts/posts.json": #"{"layout": "post.njk", "tags": "posts", "colour": "red", "meta": {"a": 1, "b": 1}}"#,
        "posts/2024/2024.yaml": "colour: blue\nmeta:\n  b: 2\n",
        "posts/2024/a.11tydata.json": #"{"colour": "green"}"#,
        "posts/2024/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nmeta {{ meta.a }}{{ meta.b }}",
        "posts/2024/b.md": "---\ntitle: B\ndate: 2024-01-02\ncolour: pink\ntags: featured\n---\nb",
        "posts/2024/c.md": "---\ntitle: C\ndate: 2024-01-03\n---\nc",
        "posts/d.md": "---\ntitle: D\ndate: 2024-01-04\nlayout: other.njk\n---\nd",
        "notes/e.md": "---\ntitle: E\n---\ne",
    ]

    @Test func theCascadeAppliesInEleventysOrder() throws {
        let site = try TestSite(files: Self.files)
        let report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(site.output("posts/2024/a/index.html") == "<article data-layout=\"post\" data-colour=\"green\"><p>meta 12</p>\n</article>",
                "template data over directory data; objects merged key by key")
        #expect(site.output("posts/2024/b/index.html")?.contains("data-colour=\"pink\"") == true, "front matter wins")
        #expect(site.output("posts/2024/c/index.html")?.contains("data-colour=\"blue\"") == true, "the deeper directory wins")
        #expect(site.output("posts/d/index.html")?.contains("data-layout=\"other\"") == true)
        #expect(site.output("notes/e/index.html") == "<p>e</p>\n", "nothing applies outside posts/")
        #expect(site.output("index.html") == "A;B;C;D;|B;", "tags add up: B is in posts (directory) and featured (its own)")
        // Data files are not output.
        #expect(site.output("posts/posts.json") == nil)
        #expect(site.output("posts/2024/2024.yaml") == nil)
        #expect(site.output("posts/2024/a.11tydata.json") == nil)
    }

    @Test func overridePrefixReplacesInsteadOfMerging() throws {
        var files = Self.files
        files["posts/2024/c.md"] = "---\ntitle: C\ndate: 2024-01-03\noverride:tags: [solo]\n---\nc"
        let site = try TestSite(files: files)
        #expect(try site.build().errors.isEmpty)
        #expect(site.output("index.html") == "A;B;D;|B;", "C's tags are only its own")
    }

    /// Editing, adding or removing a data file changes every page it applies
    /// to, with or without a watcher's hint; what is stored of a page is its
    /// own front matter, so no stale merge survives.
    @Test func editsToDataFilesRebuildThePagesTheyApplyTo() throws {
        let site = try TestSite.built(files: Self.files)
        let cache = try site.openCache()
        let hinted = try site.edit("posts/2024/2024.yaml", "colour: purple\n", cache: cache)
        #expect(hinted.errors.isEmpty)
        #expect(site.output("posts/2024/c/index.html")?.contains("data-colour=\"purple\"") == true)
        #expect(site.output("posts/2024/a/index.html") == "<article data-layout=\"post\" data-colour=\"green\"><p>meta 11</p>\n</article>",
                "meta.b now only from posts.json")

        try site.remove("posts/posts.json")
        let removed = try site.build(with: cache)
        #expect(removed.errors.isEmpty)
        #expect(site.output("posts/2024/c/index.html") == "<p>c</p>\n", "no layout any more")
        #expect(site.output("index.html") == "|B;")

        try site.write("posts/posts.11tydata.json", #"{"layout": "other.njk", "tags": ["posts"]}"#)
        #expect(try site.build(with: cache).errors.isEmpty)
        #expect(site.output("posts/2024/c/index.html")?.contains("data-layout=\"other\"") == true)
        #expect(site.output("index.html") == "A;B;C;D;|B;")
        // A fresh process over the same state and outputs: nothing to do.
        let again = try site.build(with: try site.openCache())
        #expect(again.upToDateByFingerprint)
    }

    /// A page edited under a watcher (the fast path that looks at the
    /// changed page alone) still gets its directory's data.
    @Test func anEditedPageKeepsItsDirectorysData() throws {
        let site = try TestSite.built(files: Self.files)
        let report = try site.edit("posts/2024/c.md", "---\ntitle: C\ndate: 2024-01-03\n---\nc edited", cache: try site.openCache())
        #expect(report.errors.isEmpty)
        #expect(report.rendered >= 1)
        #expect(site.output("posts/2024/c/index.html") == "<article data-layout=\"post\" data-colour=\"blue\"><p>c edited</p>\n</article>")
        #expect(site.output("index.html") == "A;B;C;D;|B;")
    }

    /// Many pages to parse again (a layout edited) come from their stored
    /// forms, which hold the front matter alone: the cascade is applied to
    /// them as to freshly parsed ones.
    @Test func pagesFromStoredFormsGetTheCascadeToo() throws {
        var files: [String: String] = [
            "_layouts/post.njk": "<article data-colour=\"{{ colour }}\">{{ content }}</article>",
            "posts/posts.json": #"{"layout": "post.njk", "colour": "red"}"#,
        ]
        for i in 0..<80 { files["posts/p\(i).md"] = "---\ntitle: P\(i)\ndate: 2024-01-01\n---\nbody \(i)" }
        let site = try TestSite(files: files)
        let cache = try site.openCache()
        #expect(try site.build(with: cache).errors.isEmpty)
        try site.write("_layouts/post.njk", "<article class=\"v2\" data-colour=\"{{ colour }}\">{{ content }}</article>")
        let fresh = try site.openCache()
        let report = try site.build(with: fresh)
        #expect(report.errors.isEmpty)
        #expect(report.rendered == 80)
        #expect(report.pagesFromStoredSources > 0, "the stored forms were used")
        #expect(site.output("posts/p7/index.html") == "<article class=\"v2\" data-colour=\"red\"><p>body 7</p>\n</article>")
    }

    @Test func aBrokenDataFileIsAnErrorWithItsPosition() throws {
        var files = Self.files
        files["posts/posts.json"] = "{\n  \"layout\": \"post.njk\",\n  oops\n}"
        files["posts/2024/2024.yaml"] = "- a list\n- not a mapping\n"
        let site = try TestSite(files: files)
        let report = try site.build()
        let messages = report.errors.map(\.description)
        #expect(messages.contains { $0.hasPrefix(site.siteRoot + "/posts/posts.json:3:3: ") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix(site.siteRoot + "/posts/2024/2024.yaml:1:1: a data file must be a mapping") }, "\(messages)")
    }

    /// Layouts' front matter is part of the cascade below the page's own
    /// data (Eleventy): the page body sees it too, the nearest layout wins
    /// over the farther, the page over both; editing the layout's data
    /// renders the page again.
    @Test func layoutFrontMatterIsPageData() throws {
        let site = try TestSite(files: [
            "_layouts/base.njk": "---\nsection: base\nsiteName: X\n---\n<html>{{ section }}/{{ siteName }}:{{ content }}</html>",
            "_layouts/post.njk": "---\nlayout: base.njk\nsection: blog\n---\n<article>{{ section }}|{{ content }}</article>",
            "a.md": "---\nlayout: post.njk\n---\nbody {{ section }} {{ siteName }}",
            "b.md": "---\nlayout: post.njk\nsection: own\n---\nbody {{ section }}",
        ])
        let cache = try site.openCache()
        #expect(try site.build(with: cache).errors.isEmpty)
        #expect(site.output("a/index.html") == "<html>blog/X:<article>blog|<p>body blog X</p>\n</article></html>")
        #expect(site.output("b/index.html") == "<html>own/X:<article>own|<p>body own</p>\n</article></html>")
        try site.write("_layouts/base.njk", "---\nsection: base\nsiteName: Y\n---\n<html>{{ section }}/{{ siteName }}:{{ content }}</html>")
        #expect(try site.build(with: cache).errors.isEmpty)
        #expect(site.output("a/index.html") == "<html>blog/Y:<article>blog|<p>body blog Y</p>\n</article></html>")
    }

    /// In Eleventy's cascade layouts sit above global data and below
    /// directory data, and layers merge deeply: objects key by key, tags
    /// added up.
    @Test func layoutDataSitsBetweenGlobalAndDirectoryData() throws {
        let site = try TestSite.built(files: [
            "_data/section.json": #""global""#,
            "_data/theme.json": #""light""#,
            "_layouts/base.njk": """
                ---
                section: layout
                theme: dark
                nav: {parent: Docs, order: 1}
                tags: [layout-tag]
                ---
                {{ section }}|{{ theme }}|{{ nav.parent }}/{{ nav.key }}/{{ nav.order }}|{{ tags | join(",") }}|{{ content }}
                """,
            "guide/guide.json": #"{"section": "directory"}"#,
            "guide/a.md": "---\nlayout: base.njk\nnav: {key: A}\ntags: own\n---\na",
            "b.md": "---\nlayout: base.njk\n---\nb",
        ])
        #expect(site.output("guide/a/index.html") == "directory|dark|Docs/A/1|layout-tag,own|<p>a</p>\n")
        #expect(site.output("b/index.html") == "layout|dark|Docs//1|layout-tag|<p>b</p>\n")
    }

    @Test func classification() {
        #expect(SiteFile.classify("posts/posts.json") == .directoryData)
        #expect(SiteFile.classify("posts/2024/2024.yml") == .directoryData)
        #expect(SiteFile.classify("posts/posts.11tydata.json") == .directoryData)
        #expect(SiteFile.classify("posts/a.11tydata.yaml") == .directoryData)
        #expect(SiteFile.classify("about.11tydata.json") == .directoryData)
        #expect(SiteFile.classify("posts/feed.json") == .asset, "any other JSON file is an asset, as before")
        #expect(SiteFile.classify("posts.json") == .asset, "the site root has no directory data file")
        #expect(SiteFile.classify("_data/posts.json") == .data)
    }
}
