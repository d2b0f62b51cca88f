import Build
import Foundation
import Testing

/// `node_modules` and `.eleventyignore`: what an Eleventy project keeps out
/// of its site stays out of ours, in full builds and in a watcher's.
@Suite struct IgnoredFilesTests {
    static let files: [String: String] = [
        "index.njk": "{% for p in collections.all %}{{ p.url }};{% endfor %}",
        "README.md": "# For the repository, not the site",
        "drafts/wip.md": "{{ broken",
        "posts/a.md": "a",
        "node_modules/pkg/index.js": "module.exports = 1",
        "node_modules/pkg/README.md": "# pkg",
        ".eleventyignore": "README.md\ndrafts/\n",
    ]

    @Test func ignoredFilesAreNeitherPagesNorAssets() throws {
        // Built without errors: the broken draft is never read.
        let site = try TestSite.built(files: Self.files)
        #expect(Set(site.outputTree().keys) == ["index.html", "posts/a/index.html"])
        #expect(site.output("index.html") == "/posts/a/;/;" || site.output("index.html") == "/;/posts/a/;")
    }

    @Test func editingTheIgnoreFileRescansTheSite() throws {
        let site = try TestSite.built(files: Self.files)
        let cache = try site.openCache()
        // A hinted build naming only the ignore file still finds README.md.
        var report = try site.edit(".eleventyignore", "drafts/\n", cache: cache)
        #expect(report.errors.isEmpty)
        #expect(site.output("README/index.html")?.contains("<h1>For the repository") == true)
        // A watcher reporting a file under an ignored directory builds nothing from it.
        report = try site.edit("drafts/new.md", "new", cache: cache)
        #expect(report.errors.isEmpty)
        #expect(site.output("drafts/new/index.html") == nil)
        // And the full build that follows agrees.
        report = try site.build(with: cache)
        #expect(report.errors.isEmpty)
        #expect(Set(site.outputTree().keys) == ["index.html", "posts/a/index.html", "README/index.html"])
    }
}
