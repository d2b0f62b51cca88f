import Build
import Foundation
import Testing

/// Eleventy's `eleventyComputed` as Eleventy sites use it: titles built from
/// other data, tag pages whose title and permalink come from the pagination
/// alias, navigation keys computed into a shared object.
@Suite struct ComputedDataTests {
    static let files: [String: String] = [
        "posts/posts.json": """
            {"tags": ["posts"], "layout": "post.njk",
             "eleventyNavigation": {"parent": "Posts"},
             "eleventyComputed": {"heading": "Post: {{ title }}", "eleventyNavigation": {"key": "{{ title }}"}}}
            """,
        "_layouts/post.njk": "<h1>{{ heading }}</h1><nav>{{ eleventyNavigation.parent }}>{{ eleventyNavigation.key }}</nav>{{ content }}",
        // `title` names `slug`, which is written after it: computed first.
        "posts/a.md": """
            ---
            title: ignored
            tags: [x]
            eleventyComputed:
              title: "{{ slug | upper }}"
              slug: "alpha-{{ page.fileSlug }}"
              count: 3
            ---
            count {{ count }}
            """,
        "posts/b.md": "---\ntitle: Beta\ntags: [x, y]\n---\nb",
        "tags.njk": """
            ---
            pagination:
              data: collections
              size: 1
              alias: tag
              filter: [all, posts]
            eleventyComputed:
              title: Tagged “{{ tag }}”
              permalink: /tags/{{ tag | slugify }}/
            ---
            <h1>{{ title }}</h1>{% for p in collections[tag] %}<li>{{ p.data.title }}|{{ p.data.heading }}|{{ p.url }}</li>{% endfor %}
            """,
    ]

    @Test func computedValuesComeFromTheRestOfTheData() throws {
        let site = try TestSite.built(files: Self.files)
        let a = try #require(site.output("posts/a/index.html"))
        #expect(a.contains("<h1>Post: ALPHA-A</h1>"), "directory data computes from the page's computed title: \(a)")
        #expect(a.contains("<nav>Posts>ALPHA-A</nav>"), "a nested key is computed beside the keys it had")
        #expect(a.contains("count 3"), "values that are not strings are set as they are")
        let b = try #require(site.output("posts/b/index.html"))
        #expect(b.contains("<h1>Post: Beta</h1><nav>Posts>Beta</nav>"), "the shared navigation object is not written into: \(b)")
    }

    @Test func paginatedPagesComputeTitleAndPermalinkPerOutput() throws {
        let site = try TestSite.built(files: Self.files)
        let x = try #require(site.output("tags/x/index.html"))
        #expect(x.hasPrefix("<h1>Tagged “x”</h1>"))
        #expect(x.contains("<li>ALPHA-A|Post: ALPHA-A|/posts/a/</li>"), "collection items carry computed data: \(x)")
        #expect(x.contains("<li>Beta|Post: Beta|/posts/b/</li>"))
        let y = try #require(site.output("tags/y/index.html"))
        #expect(y == "<h1>Tagged “y”</h1><li>Beta|Post: Beta|/posts/b/</li>")
        #expect(site.output("tags/index.html") == nil)
    }

    @Test func anEditedTitleReachesThePageAndTheTagPages() throws {
        let site = try TestSite.built(files: Self.files)
        let report = try site.edit("posts/b.md", "---\ntitle: Gamma\ntags: [x, y]\n---\nb", cache: try site.openCache())
        #expect(report.errors.isEmpty)
        #expect(site.output("posts/b/index.html")?.contains("<h1>Post: Gamma</h1>") == true)
        #expect(site.output("tags/y/index.html") == "<h1>Tagged “y”</h1><li>Gamma|Post: Gamma|/posts/b/</li>")
    }

    /// A layout's computed data is below the page's: the page's own
    /// computed key wins, the layout's fills what the page leaves.
    @Test func layoutsComputeBelowThePage() throws {
        let site = try TestSite.built(files: [
            "_layouts/base.njk": "---\neleventyComputed:\n  footer: \"© {{ owner }}\"\n  heading: \"Layout {{ title }}\"\n---\n{{ heading }}|{{ footer }}|{{ content }}",
            "a.md": "---\nlayout: base.njk\ntitle: A\nowner: Ann\neleventyComputed:\n  heading: \"Page {{ title }}\"\n---\na",
            "b.md": "---\nlayout: base.njk\ntitle: B\nowner: Bob\n---\nb",
        ])
        #expect(site.output("a/index.html") == "Page A|© Ann|<p>a</p>\n")
        #expect(site.output("b/index.html") == "Layout B|© Bob|<p>b</p>\n")
    }

    /// `_data/eleventyComputed.json` computes for every page, below the
    /// page's own computed keys.
    @Test func globalComputedDataAppliesToEveryPage() throws {
        let site = try TestSite.built(files: [
            "_data/eleventyComputed.json": #"{"ogTitle": "{{ title }} | Site", "heading": "global"}"#,
            "a.njk": "---\ntitle: A\n---\n{{ ogTitle }}/{{ heading }}",
            "b.njk": "---\ntitle: B\neleventyComputed:\n  heading: \"own {{ title }}\"\n---\n{{ ogTitle }}/{{ heading }}",
        ])
        #expect(site.output("a/index.html") == "A | Site/global")
        #expect(site.output("b/index.html") == "B | Site/own B")
    }

    @Test func aFailingComputationNamesThePageAndTheKey() throws {
        let site = try TestSite(files: Self.files)
        try site.write("posts/c.md", "---\ntitle: C\neleventyComputed:\n  heading: \"{{ title | nosuch }}\"\n---\nc")
        let report = try site.build()
        let messages = report.errors.map(\.description)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("/posts/c.md:4:12: in eleventyComputed.heading: unknown filter \"nosuch\"") == true, "\(messages)")
        #expect(site.output("posts/a/index.html") != nil, "the other pages are built")
    }

    /// A template error in a permalink points at the permalink's value.
    @Test func aFailingPermalinkPointsAtItsLine() throws {
        let site = try TestSite(files: ["p.njk": "---\ntitle: P\npermalink: \"/{{ title | nosuch }}/\"\n---\np"])
        let messages = try site.build().errors.map(\.description)
        #expect(messages.first?.contains("/p.njk:3:12: in permalink: unknown filter \"nosuch\"") == true, "\(messages)")
    }
}
