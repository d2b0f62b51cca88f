import Build
import Foundation
import Testing

/// Eleventy's universal filters and its RSS plugin's collection helper, as
/// an Eleventy blog uses them: previous/next links from a layout, a feed
/// dated by its newest post.
@Suite struct EleventyFilterTests {
    static let files: [String: String] = [
        "_layouts/post.njk": """
            {%- set previous = collections.posts | getPreviousCollectionItem(page) -%}
            {%- set next = collections.posts | getNextCollectionItem -%}
            <h1>{{ title }}</h1>{{ content }}
            <nav>{% if previous %}prev:{{ previous.url }}|{{ previous.data.title }}{% endif %} \
            {% if next %}next:{{ next.url }}|{{ next.data.title }}{% endif %} \
            index:{{ collections.posts | getCollectionItemIndex }} \
            self:{{ (collections.posts | getCollectionItem).data.title }}</nav>
            """,
        "posts/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: posts\nlayout: post.njk\n---\nfirst",
        "posts/b.md": "---\ntitle: B\ndate: 2024-02-01\ntags: posts\nlayout: post.njk\n---\nsecond",
        "posts/c.md": "---\ntitle: C\ndate: 2024-03-01\ntags: posts\nlayout: post.njk\n---\nthird",
        "feed.njk": """
            ---
            permalink: /feed.xml
            ---
            <updated>{{ collections.posts | getNewestCollectionItemDate | dateToRfc3339 }}</updated>\
            <none>{{ [] | getNewestCollectionItemDate("none") }}</none>\
            <logged>{{ "kept" | log }}</logged><url>{{ "/x/" | url("/base/") }}</url>
            """,
    ]

    @Test func previousAndNextItemsFollowTheCollectionsOrder() throws {
        let site = try TestSite(files: Self.files)
        let report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors)")
        let first = try #require(site.output("posts/a/index.html"))
        #expect(!first.contains("prev:"))
        #expect(first.contains("next:/posts/b/|B"))
        #expect(first.contains("index:0"))
        #expect(first.contains("self:A"))
        let middle = try #require(site.output("posts/b/index.html"))
        #expect(middle.contains("prev:/posts/a/|A"))
        #expect(middle.contains("next:/posts/c/|C"), "without the page argument the rendering page is used")
        #expect(middle.contains("index:1"))
        let last = try #require(site.output("posts/c/index.html"))
        #expect(last.contains("prev:/posts/b/|B"))
        #expect(!last.contains("next:"))
    }

    @Test func feedHelpersLogAndURLOverride() throws {
        let site = try TestSite(files: Self.files)
        #expect(try site.build().errors.isEmpty)
        let feed = try #require(site.output("feed.xml"))
        #expect(feed.contains("<updated>2024-03-01T00:00:00Z</updated>"))
        #expect(feed.contains("<none>none</none>"))
        #expect(feed.contains("<logged>kept</logged>"), "log passes its input through")
        #expect(feed.contains("<url>/base/x/</url>"))
    }

    /// The HTML base plugin's filters, with and without a path prefix.
    @Test func htmlBaseUrlAsEleventyHasIt() throws {
        let page = """
            {{ "/x/" | htmlBaseUrl }}|{{ "/x/" | htmlBaseUrl("https://example.com/") }}|\
            {{ "https://other.org/a" | htmlBaseUrl("https://example.com/") }}|{{ "sub/" | htmlBaseUrl("https://example.com/") }}|\
            {{ "/x/" | htmlBaseUrl("/prefix/") }}|{{ "https://example.com/x/" | addPathPrefixToFullUrl }}
            """
        let plain = try TestSite.built(files: ["posts/a.njk": page])
        #expect(plain.output("posts/a/index.html")
            == "/x/|https://example.com/x/|https://other.org/a|https://example.com/posts/a/sub/|/prefix/x/|https://example.com/x/")
        let prefixed = try TestSite.built(files: ["posts/a.njk": page, "site.yaml": "pathPrefix: /docs/\n"])
        #expect(prefixed.output("posts/a/index.html")
            == "/docs/x/|https://example.com/docs/x/|https://other.org/a|https://example.com/docs/posts/a/sub/|/prefix/x/|https://example.com/docs/x/")
    }

    /// The RSS plugin's URL helpers resolve as a browser does.
    @Test func absoluteUrlsResolveAgainstTheBase() throws {
        let site = try TestSite.built(files: ["a.njk": """
            {{ "/a/" | absoluteUrl("https://x.com/blog/") }}|{{ "sub/" | absoluteUrl("https://x.com/blog/post/") }}|\
            {{ "https://o.org/x" | absoluteUrl("https://x.com/") }}|{{ "/a/" | absoluteUrl("") }}|{{ "" | absoluteUrl("https://x.com") }}
            {{ html | htmlToAbsoluteUrls("https://x.com/blog/post/") | renderTransforms(page, "https://x.com/") | safe }}
            """, "_data/html.json": #"""
            "<p><a href=\"/about/\">a</a> <img src='pic.png' srcset=\"pic.png 1x, /big.png 2x\" alt=\"href=x\"> <a href=\"#top\">t</a> <a href=\"mailto:a@b.c\">m</a></p>"
            """#])
        let lines = try #require(site.output("a/index.html")).split(separator: "\n").map(String.init)
        #expect(lines.first == "https://x.com/a/|https://x.com/blog/post/sub/|https://o.org/x|/a/|https://x.com/")
        #expect(lines.last == #"<p><a href="https://x.com/about/">a</a> <img src='https://x.com/blog/post/pic.png' srcset="https://x.com/blog/post/pic.png 1x, https://x.com/big.png 2x" alt="href=x"> <a href="https://x.com/blog/post/#top">t</a> <a href="mailto:a@b.c">m</a></p>"#)
    }

    /// A page whose neighbours change renders again: a new post between two
    /// others changes both their links.
    @Test func aNewPostUpdatesItsNeighboursLinks() throws {
        let site = try TestSite(files: Self.files)
        #expect(try site.build().errors.isEmpty)
        try site.write("posts/ab.md", "---\ntitle: AB\ndate: 2024-01-15\ntags: posts\nlayout: post.njk\n---\nbetween")
        #expect(try site.build().errors.isEmpty)
        #expect(site.output("posts/a/index.html")?.contains("next:/posts/ab/|AB") == true)
        #expect(site.output("posts/b/index.html")?.contains("prev:/posts/ab/|AB") == true)
    }
}
