import Build
import Foundation
import Testing

/// Collection items' `templateContent` (Eleventy 3: `content`): a feed
/// shows each post's body without its layout, and stays current when a
/// post's body changes, while pages that only read collections do not
/// render again for it.
@Suite struct TemplateContentTests {
    static let files: [String: String] = [
        "_includes/style.css": ".content { margin: 0 }",
        "_layouts/post.njk": """
            <style>{% include "style.css" %}</style><article class="content">{{ content }}</article>\
            {% set next = collections.posts | getNextCollectionItem %}{% if next %}<a>{{ next.data.title }}</a>{% endif %}
            """,
        "posts/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: posts\nlayout: post.njk\n---\nFirst *post*.\n",
        "posts/b.md": "---\ntitle: B\ndate: 2024-02-01\ntags: posts\nlayout: post.njk\n---\n{% set who = \"world\" %}Hello {{ who }}.\n",
        "feed.njk": """
            ---
            permalink: /feed.xml
            ---
            {% for post in collections.posts %}<entry>{{ post.templateContent | safe }}</entry>{% endfor %}\
            <last>{{ (collections.posts | last).content | safe }}</last><escaped>{{ (collections.posts | first).templateContent }}</escaped>
            """,
        "self.njk": "---\ntags: posts\ndate: 2024-03-01\n---\n[{% for post in collections.posts %}{{ post.data.title }}:{{ post.templateContent | length }};{% endfor %}]",
    ]

    @Test func feedsShowEachPostsContentWithoutItsLayout() throws {
        let site = try TestSite.built(files: Self.files)
        let feed = try #require(site.output("feed.xml"))
        #expect(feed.hasPrefix("<entry><p>First <em>post</em>.</p>\n</entry><entry><p>Hello world.</p>\n</entry>"), "\(feed)")
        #expect(feed.contains("<last>[A:"), "an item reading its own content gets undefined, not a hang: \(feed)")
        #expect(feed.contains("<escaped>&lt;p&gt;First &lt;em&gt;post&lt;/em&gt;.&lt;/p&gt;\n</escaped>"), "a plain string, escaped without | safe: \(feed)")
    }

    @Test func aBodyEditRendersTheFeedAgainAndNotThePostsThatOnlyReadCollections() throws {
        let site = try TestSite.built(files: Self.files)
        let cache = try site.openCache()
        var report = try site.edit("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: posts\nlayout: post.njk\n---\nFirst **edited** post.\n", cache: cache)
        #expect(report.errors.isEmpty)
        #expect(site.output("feed.xml")?.hasPrefix("<entry><p>First <strong>edited</strong> post.</p>\n</entry>") == true)
        #expect(report.rendered == 3, "a, the feed and the page listing contents; not b (it reads collections, not content): \(report.rendered)")
        // The same through a full build (no watcher's hint).
        try site.write("posts/b.md", "---\ntitle: B\ndate: 2024-02-01\ntags: posts\nlayout: post.njk\n---\nBye.\n")
        report = try site.build(with: cache)
        #expect(report.errors.isEmpty)
        #expect(site.output("feed.xml")?.contains("<entry><p>Bye.</p>\n</entry>") == true)
        #expect(report.rendered == 3, "\(report.rendered)")
        // Nothing changed: nothing renders.
        report = try site.build(with: cache)
        #expect(report.rendered == 0)
    }
}
