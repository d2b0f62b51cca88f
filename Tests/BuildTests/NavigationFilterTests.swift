import Build
import Foundation
import Testing

/// The navigation plugin's filters as its documentation uses them: a menu
/// from `eleventyNavigation` keys, breadcrumbs, nested HTML with the active
/// entry marked, keys computed from titles.
@Suite struct NavigationFilterTests {
    static let files: [String: String] = [
        "site.yaml": "pathPrefix: /docs/\n",
        "_layouts/base.njk": """
            {{ collections.all | eleventyNavigation | eleventyNavigationToHtml({listClass: "menu", activeKey: eleventyNavigation.key, activeAnchorClass: "on", listItemHasChildrenClass: "parent"}) | safe }}
            {% if eleventyNavigation.parent %}{% for crumb in collections.all | eleventyNavigationBreadcrumb(eleventyNavigation.key) %}[{{ crumb.title }} {{ crumb.url }}]{% endfor %}{% endif %}
            {{ content }}
            """,
        "mammals.md": "---\nlayout: base.njk\neleventyNavigation:\n  key: Mammals\n  order: 2\n---\nm",
        "birds.md": "---\nlayout: base.njk\neleventyNavigation:\n  key: Birds\n  order: 1\n  title: The birds\n---\nb",
        "humans.md": """
            ---
            layout: base.njk
            title: Humans
            date: 2024-01-02
            eleventyComputed:
              eleventyNavigation:
                key: "{{ title }}"
                parent: Mammals
            ---
            h
            """,
        "bats.md": "---\nlayout: base.njk\ndate: 2024-01-01\neleventyNavigation:\n  key: Bats\n  parent: Mammals\n  excerpt: they fly\n---\nb",
        "elsewhere.md": "---\npermalink: false\neleventyNavigation:\n  key: Elsewhere\n  url: https://example.org/\n---\n",
        "loop.md": "---\neleventyNavigation:\n  key: Loop\n  parent: Loop\n---\n",
        "sub.njk": """
            {% set entries = collections.all | eleventyNavigation("Mammals") %}{% for e in entries %}{{ e.key }}:{{ e.parentKey }}:{{ e.url }}:{{ e.data.title }};{% endfor %}
            {{ collections.all | eleventyNavigationBreadcrumb("Humans", {includeSelf: true}) | eleventyNavigationToHtml | safe }}
            [{{ collections.all | eleventyNavigationBreadcrumb("Nobody", {allowMissing: true}) | length }}]
            {{ collections.all | eleventyNavigation("Mammals") | eleventyNavigationToHtml({showExcerpt: true}) | safe }}
            """,
    ]

    @Test func menuBreadcrumbsAndNestedLists() throws {
        let site = try TestSite.built(files: Self.files)
        let humans = try #require(site.output("humans/index.html"))
        let menu = """
            <ul class="menu"><li><a href="/docs/birds/">The birds</a></li>
            <li class="parent"><a href="/docs/mammals/">Mammals</a><ul><li><a href="/docs/bats/">Bats</a></li>
            <li><a href="/docs/humans/" class="on">Humans</a></li></ul></li>
            <li><a href="https://example.org/">Elsewhere</a></li></ul>
            """
        #expect(humans.hasPrefix(menu), "ordered entries first, a computed key in place:\n\(humans)")
        #expect(humans.contains("[Mammals /mammals/]"), "breadcrumbs down to the parent")
        let sub = try #require(site.output("sub/index.html"))
        #expect(sub.hasPrefix("Bats:Mammals:/bats/:;Humans:Mammals:/humans/:Humans;"), "\(sub)")
        #expect(sub.contains(#"<ul><li><a href="/docs/mammals/">Mammals</a></li>"# + "\n" + #"<li><a href="/docs/humans/">Humans</a></li></ul>"#))
        #expect(sub.contains("[0]"))
        #expect(sub.contains(#"<li><a href="/docs/bats/">Bats</a>: they fly</li>"#))
    }

    /// A chain of parents deeper than the limit is an error naming the
    /// page, not a stack overflow; one within it nests in full.
    @Test func deepChainsOfParentsEndInAnError() throws {
        func chain(_ depth: Int) -> [String: String] {
            var files = ["menu.njk": "{{ collections.all | eleventyNavigation | eleventyNavigationToHtml | safe }}"]
            for level in 0..<depth {
                let parent = level == 0 ? "" : "\n  parent: n\(level - 1)"
                files["n\(level).md"] = "---\neleventyNavigation:\n  key: n\(level)\(parent)\n---\n"
            }
            return files
        }
        let shallow = try TestSite.built(files: chain(50))
        #expect(shallow.output("menu/index.html")?.components(separatedBy: "<ul>").count == 51)
        // Past the limit (NavigationFilters.maxDepth, 200).
        let deep = try TestSite(files: chain(205))
        let messages = try deep.build().errors.map(\.description)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("menu.njk:1:") == true && messages.first?.contains("more than 200 levels of parents") == true, "\(messages)")
    }

    @Test func aMissingBreadcrumbKeyAndAWrongInputAreErrors() throws {
        let site = try TestSite(files: [
            "a.njk": "{{ collections.all | eleventyNavigationBreadcrumb(\"Nobody\") }}",
            "b.njk": "{{ [1, 2] | eleventyNavigationToHtml }}",
        ])
        let messages = try site.build().errors.map(\.description).sorted()
        #expect(messages.count == 2)
        #expect(messages.first?.contains("a.njk:1:") == true && messages.first?.contains("Node does not exist: Nobody") == true, "\(messages)")
        #expect(messages.last?.contains("You must call `eleventyNavigation` or `eleventyNavigationBreadcrumb` first") == true, "\(messages)")
    }
}
