import Build
import Foundation
import Testing

/// Eleventy 3's bundle shortcodes as eleventy-base-blog uses them: the
/// layout's head outputs the CSS that the page and the layout add later in
/// the render, each snippet once; pages never see each other's code.
@Suite struct BundleShortcodeTests {
    static let files: [String: String] = [
        "css/index.css": "body { margin: 0 }\n",
        "_includes/layouts/base.njk": """
            <head>{%- css %}{% include "css/index.css" %}{% endcss %}<style>{% getBundle "css" %}</style>\
            <script type="module">{% getBundle "js", "module" %}</script>{% getBundle "html" %}</head>
            <body>{{ content | safe }}</body>
            """,
        "a.md": """
            ---
            layout: layouts/base.njk
            ---
            {% css %}
              .a { color: red }
            {% endcss %}{% css %}.a { color: red }{% endcss %}{% js "module" %}import "/a.js";{% endjs %}
            Text
            """,
        "b.njk": "---\nlayout: layouts/base.njk\n---\n{% css \"print\" %}.print{}{% endcss %}b",
    ]

    @Test func aLayoutOutputsWhatThePageAdds() throws {
        let site = try TestSite.built(files: Self.files)
        #expect(site.output("a/index.html") == """
            <head><style>.a { color: red }
            body { margin: 0 }</style><script type="module">import "/a.js";</script></head>
            <body><p>Text</p>
            </body>
            """)
        #expect(site.output("b/index.html") == """
            <head><style>body { margin: 0 }</style><script type="module"></script></head>
            <body>b</body>
            """, "another bucket is not the default one, and a's code stays on a")
    }

    @Test func unknownTypesAndBundleFilesAreErrorsAtTheTag() throws {
        let site = try TestSite(files: [
            "a.njk": "x\n{% getBundle \"scss\" %}",
            "b.njk": "{% getBundleFileUrl \"css\" %}",
            "c.njk": "{% css %}unclosed",
        ])
        let messages = try site.build().errors.map(\.description).sorted()
        #expect(messages.count == 3, "\(messages)")
        #expect(messages[0].contains("/a.njk:2:4: Invalid bundle type: scss. Available options: css,js,html"), "\(messages)")
        #expect(messages[1].contains("/b.njk:1:4: getBundleFileUrl: bundles are not written to files here"), "\(messages)")
        #expect(messages[2].contains("/c.njk:1:") && messages[2].contains("css without endcss"), "\(messages)")
    }
}
