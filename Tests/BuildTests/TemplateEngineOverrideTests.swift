import Build
import Foundation
import Testing

/// How a page's source is read, as Eleventy reads it: `templateEngineOverride`
/// (a page documenting Nunjucks shows its tags as text with `md`, a
/// Markdown page can skip Markdown with `njk`) and front matter languages.
@Suite struct TemplateEngineOverrideTests {
    static let files: [String: String] = [
        "_layouts/base.njk": "<main>{{ content }}</main>",
        "docs/syntax.md": "---\nlayout: base.njk\ntemplateEngineOverride: md\n---\n# Loops\n\n`{% for x in xs %}` and `{{ x }}`\n",
        "docs/both.md": "---\ntitle: T\ntemplateEngineOverride: njk, md\n---\n# {{ title }}\n",
        "docs/plain.md": "---\ntitle: T\ntemplateEngineOverride: njk\n---\n# {{ title }}\n",
        "raw.html": "---\ntemplateEngineOverride: html\n---\n<p>{{ kept }}</p>\n",
        "page.njk": "---\ntemplateEngineOverride: md\n---\n*{{ x }}*\n",
        "feed.njk": "---\npermalink: /feed.xml\n---\n{{ page.outputFileExtension }} {{ page.templateSyntax }}",
        "about.md": "{{ page.outputFileExtension }} {{ page.templateSyntax }} {{ eleventy.generator }}",
        "docs/plain2.md": "---\ntemplateEngineOverride: njk\n---\n{{ page.templateSyntax }}",
    ]

    @Test func theOverrideChoosesTheEngines() throws {
        let site = try TestSite.built(files: Self.files)
        #expect(site.output("docs/syntax/index.html")
            == "<main><h1>Loops</h1>\n<p><code>{% for x in xs %}</code> and <code>{{ x }}</code></p>\n</main>",
            "Markdown alone, then the layout as usual")
        #expect(site.output("docs/both/index.html") == "<h1>T</h1>\n")
        #expect(site.output("docs/plain/index.html") == "# T\n", "Nunjucks alone: no Markdown")
        #expect(site.output("raw/index.html") == "<p>{{ kept }}</p>\n")
        #expect(site.output("page/index.html") == "<p><em>{{ x }}</em></p>\n", "a .njk page rendered as Markdown")
    }

    @Test func pagesSeeTheirSyntaxAndOutputExtension() throws {
        let site = try TestSite.built(files: Self.files)
        #expect(site.output("feed.xml") == "xml njk")
        #expect(site.output("about/index.html") == "<p>html njk,md unjucksd</p>\n")
        #expect(site.output("docs/plain2/index.html") == "njk")
    }

    /// Eleventy's `---json` front matter reads as YAML; `---js` cannot run.
    @Test func frontMatterLanguages() throws {
        let site = try TestSite(files: [
            "j.njk": "---json\n{\"title\": \"From JSON\", \"tags\": [\"a\"]}\n---\n{{ title }} {{ tags }}",
            "s.njk": "---js\nconst title = 'x';\n---\n{{ title }}",
        ])
        let messages = try site.build().errors.map(\.description)
        #expect(site.output("j/index.html") == "From JSON a")
        #expect(messages.count == 1)
        #expect(messages.first?.contains("/s.njk:1:4: front matter in 'js' cannot be read here") == true, "\(messages)")
    }

    @Test func anUnknownEngineIsAnErrorNamingThePage() throws {
        let site = try TestSite(files: ["a.md": "---\ntemplateEngineOverride: liquid,md\n---\nx"])
        let messages = try site.build().errors.map(\.description)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("/a.md:1:1: templateEngineOverride \"liquid,md\" is not supported") == true, "\(messages)")
    }
}
