import Build
import Foundation
import Site
import Testing

/// Bad input never crashes a build: each case ends in output or a clear error.
@Suite struct BadInputTests {
    @Test func binaryFileNamedMarkdownBuildsWithoutCrashing() throws {
        let site = try TestSite(files: ["ok.md": "fine"])
        var bytes = [UInt8](repeating: 0, count: 4096)
        for i in bytes.indices { bytes[i] = UInt8((i * 131 + 7) % 256) }
        try site.write("binary.md", bytes: bytes)
        let report = try site.build()
        #expect(site.output("ok/index.html") == "<p>fine</p>\n")
        let html = site.output("binary/index.html")
        #expect(html != nil || !report.errors.isEmpty)
    }

    @Test func invalidUTF8IsReplacedNotFatal() throws {
        let site = try TestSite()
        try site.write("bad.md", bytes: Array("caf".utf8) + [0xE9, 0xFF] + Array(" ok\n".utf8))
        let report = try site.build()
        #expect(report.errors.isEmpty)
        #expect(site.output("bad/index.html") == "<p>caf\u{FFFD}\u{FFFD} ok</p>\n")
    }

    @Test func fiftyMegabyteMarkdownPage() throws {
        let site = try TestSite()
        let paragraph = "Some *emphasis* and a [link](https://example.com) in a long paragraph of text.\n\n"
        let count = 50 * 1024 * 1024 / paragraph.utf8.count
        try site.write("huge.md", String(repeating: paragraph, count: count))
        let report = try site.build()
        #expect(report.errors.isEmpty)
        let size = (try FileManager.default.attributesOfItem(atPath: site.siteOutput + "/huge/index.html")[.size] as? Int) ?? 0
        #expect(size > 50 * 1024 * 1024)
    }

    @Test func symlinkLoopsAreReportedNotFollowed() throws {
        let site = try TestSite(files: ["index.njk": "home", "dir/page.md": "x"])
        #expect(symlink(site.siteRoot + "/dir", site.siteRoot + "/dir/again") == 0)
        #expect(symlink("self-loop", site.siteRoot + "/self-loop") == 0)
        let report = try site.build()
        #expect(site.output("index.html") == "home")
        #expect(site.output("dir/page/index.html") == "<p>x</p>\n")
        #expect(report.errors.contains { $0.file.hasSuffix("dir/again") && $0.message.contains("symlink loop") })
        #expect(report.errors.contains { $0.file.hasSuffix("self-loop") && $0.message.contains("symlink loop") })
    }

    @Test func includeOutsideTheSiteRootIsNotRead() throws {
        let site = try TestSite(files: ["index.njk": "{% include \"../../secret.txt\" %}"])
        try Data("secret".utf8).write(to: URL(fileURLWithPath: site.directory + "/secret.txt"))
        let report = try site.build()
        #expect(site.output("index.html") == nil)
        #expect(report.errors.count == 1)
    }
}
