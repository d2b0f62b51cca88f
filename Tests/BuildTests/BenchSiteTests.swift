import Build
import Foundation
import Testing

/// The 4000-page site of ../shared/bench/gen_site.py builds without errors
/// and its pages hold the rendered Markdown inside the layouts.
@Suite struct BenchSiteTests {
    static var generator: String? {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { directory.deleteLastPathComponent() }
        let path = directory.appendingPathComponent("shared/bench/gen_site.py").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    @Test(.enabled(if: generator != nil, "needs ../shared/bench/gen_site.py"))
    func fourThousandPagesRenderMarkdownInsideTheLayouts() throws {
        let site = try TestSite(name: "bench")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.generator!, "--pages", "4000", "--format", "unjucksd", "--out", site.siteRoot]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let report = try site.build()
        #expect(report.errors.isEmpty, "\(report.errors.prefix(3))")
        #expect(report.pages == 4003)

        let post = try #require(site.output("posts/post-00042/index.html"))
        let source = try String(contentsOfFile: site.siteRoot + "/posts/post-00042.md", encoding: .utf8)
        let title = try #require(source.split(separator: "\n").first { $0.hasPrefix("title: ") }).dropFirst("title: \"".count).dropLast()
        #expect(post.hasPrefix("<!doctype html>\n<html lang=\"en\">"))
        #expect(post.contains("<title>\(title) | Bench Blog</title>"))
        #expect(post.contains("<article><h1>\(title)</h1>"))
        #expect(post.contains("<h2>"), "Markdown headings are rendered")
        #expect(post.contains("<p>"), "Markdown paragraphs are rendered")
        #expect(post.contains("<ul class=\"tags\">"), "the tag macro ran")
        #expect(post.contains("<footer>BENCH BLOG &middot; /posts/post-00042/</footer>"))
        #expect(!post.contains("](https://"), "no raw Markdown links remain")

        // The generated base layout fills `{% block main %}` and never prints
        // `content`, so (as in Eleventy) pages using it directly show an empty main.
        let index = try #require(site.output("index.html"))
        #expect(index.contains("<title>Bench Blog</title>"))
        #expect(index.contains("<main></main>"))
        #expect(site.output("tags/index.html")?.contains("<footer>BENCH BLOG &middot; /tags/</footer>") == true)

        // Nothing changed: nothing renders.
        let again = try site.build()
        #expect(again.rendered == 0)
        #expect(again.skipped == 4003)
    }
}
