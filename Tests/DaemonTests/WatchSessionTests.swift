import Foundation
import Pipeline
import Watch
import Testing
@testable import Daemon

/// The daemon keeps the output byte-identical to a clean build through a
/// scripted editing session on real files with real inotify.
@Suite("Watch session", .serialized)
struct WatchSessionTests {
    func expectMatchesCleanBuild(_ fixture: DaemonFixture, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let differences = try fixture.differencesFromCleanBuild()
        #expect(differences.isEmpty, "after \(step): \(differences.prefix(10))", sourceLocation: sourceLocation)
    }

    @Test func scriptedSessionKeepsOutputIdenticalToCleanBuild() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 12)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        #expect(fixture.daemon.lastBuild?.failed == 0)
        #expect(fixture.outputTree().count == 15)  // 12 posts, index, about, the CSS
        try expectMatchesCleanBuild(fixture, "the first build")

        // Plain edit in place.
        var count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-3.md", SampleSite.post(3, body: "Edited in place."))
        #expect(fixture.waitForRebuild(after: count))
        try expectMatchesCleanBuild(fixture, "an in-place edit")
        #expect(String(decoding: FileManager.default.contents(atPath: fixture.outputRoot + "/blog/posts/post-3/index.html") ?? Data(), as: UTF8.self).contains("Edited in place."))

        // Atomic save (temporary file renamed over the original).
        count = fixture.daemon.completedBuilds
        try fixture.atomicSave("blog", "posts/post-4.md", SampleSite.post(4, body: "Saved atomically."))
        #expect(fixture.waitForRebuild(after: count))
        try expectMatchesCleanBuild(fixture, "an atomic save")

        // vim-style save (probe file, backup rename, new file, backup removed).
        count = fixture.daemon.completedBuilds
        try fixture.vimSave("blog", "posts/post-5.md", SampleSite.post(5, body: "Saved like vim."))
        #expect(fixture.waitForRebuild(after: count))
        try expectMatchesCleanBuild(fixture, "a vim-style save")

        // A layout edit changes every page that uses it.
        count = fixture.daemon.completedBuilds
        try fixture.write("blog", "_layouts/post.njk", "---\nlayout: base.njk\n---\n<article class=\"v2\"><h1>{{ title }}</h1>{{ content | safe }}</article>")
        #expect(fixture.waitForRebuild(after: count))
        try expectMatchesCleanBuild(fixture, "a layout edit")

        // Rename a page: the old output goes, the new one appears.
        count = fixture.daemon.completedBuilds
        try fixture.move("blog", "posts/post-6.md", "posts/renamed-six.md")
        #expect(fixture.waitForRebuild(after: count))
        try expectMatchesCleanBuild(fixture, "a rename")
        #expect(!FileManager.default.fileExists(atPath: fixture.outputRoot + "/blog/posts/post-6/index.html"))

        // Delete a page and an asset.
        count = fixture.daemon.completedBuilds
        try fixture.remove("blog", "posts/post-7.md")
        try fixture.remove("blog", "assets/style.css")
        #expect(fixture.waitForRebuild(after: count))
        try expectMatchesCleanBuild(fixture, "deletes")

        // A new directory with files created in it at once.
        count = fixture.daemon.completedBuilds
        let folder = fixture.path("blog", "notes/deep")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for index in 1...5 {
            try Data(SampleSite.post(100 + index, body: "Note \(index).").utf8).write(to: URL(fileURLWithPath: folder + "/note-\(index).md"))
        }
        #expect(fixture.waitForRebuild(after: count))
        try expectMatchesCleanBuild(fixture, "a new directory filled at once")
        #expect(FileManager.default.fileExists(atPath: fixture.outputRoot + "/blog/notes/deep/note-5/index.html"))

        // A mass change: 500 new pages, then all 500 rewritten.
        count = fixture.daemon.completedBuilds
        for index in 1...500 {
            try fixture.write("blog", "bulk/page-\(index).md", SampleSite.post(1000 + index, body: "Bulk page \(index)."))
        }
        #expect(fixture.waitForRebuild(after: count, quiet: .milliseconds(800)))
        try expectMatchesCleanBuild(fixture, "500 new files")
        count = fixture.daemon.completedBuilds
        for index in 1...500 {
            try fixture.write("blog", "bulk/page-\(index).md", SampleSite.post(1000 + index, body: "Bulk page \(index), second version."))
        }
        #expect(fixture.waitForRebuild(after: count, quiet: .milliseconds(800)))
        try expectMatchesCleanBuild(fixture, "500 rewritten files")

        // Removing the whole directory.
        count = fixture.daemon.completedBuilds
        try fixture.remove("blog", "bulk")
        #expect(fixture.waitForRebuild(after: count, quiet: .milliseconds(800)))
        try expectMatchesCleanBuild(fixture, "removing 500 files at once")
        #expect(fixture.daemon.lastBuild?.failed == 0)
    }

    /// `unjucksd watch ./sites`: the sites directory given with `.`
    /// components, while the watcher reports normalised absolute paths.
    @Test func editsAreSeenWhenTheSitesPathHasDotComponents() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 4)])
        try fixture.start(sitesPath: fixture.directory + "/./sites/")
        #expect(fixture.waitForQuiet())
        let count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-2.md", SampleSite.post(2, body: "Seen through a dotted path."))
        #expect(fixture.waitForRebuild(after: count))
        #expect(fixture.daemon.lastBuild?.rendered ?? 0 >= 1)
        let page = FileManager.default.contents(atPath: fixture.outputRoot + "/blog/posts/post-2/index.html") ?? Data()
        #expect(String(decoding: page, as: UTF8.self).contains("Seen through a dotted path."))
    }

    @Test func newSiteUnderTheSitesDirectoryIsPickedUp() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 2)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let count = fixture.daemon.completedBuilds
        try fixture.write("shop", "index.njk", "<p>{{ 6 * 7 }} items</p>")
        try fixture.write("shop", "about.md", "# About the shop\n")
        #expect(fixture.waitForRebuild(after: count))
        #expect(fixture.daemon.sites.map(\.name).sorted() == ["blog", "shop"])
        #expect(String(decoding: FileManager.default.contents(atPath: fixture.outputRoot + "/shop/index.html") ?? Data(), as: UTF8.self) == "<p>42 items</p>")
        try expectMatchesCleanBuild(fixture, "a new site")
        #expect(fixture.log.contains { $0.contains("new site: shop") })
    }

    @Test func stopLeavesNoTemporaryFilesAndRefusesFurtherWork() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 40)])
        try fixture.start()
        // Stop while the first build may still be running: it is finished, not torn.
        Thread.sleep(forTimeInterval: 0.05)
        fixture.daemon.stop()
        let leftovers = FixtureFiles.all(under: fixture.outputRoot).filter { $0.contains("unjucksd-tmp") }
        #expect(leftovers.isEmpty)
        #expect(throws: (any Error).self) { _ = try fixture.client().get("/health") }
        fixture.daemon.stop()  // twice is fine
    }
}

enum FixtureFiles {
    static func all(under root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String { paths.append(path) }
        return paths
    }
}

@Suite("Watch pipelines")
struct WatchPipelineTests {
    /// The repository's newsletter pipeline, copied beside the sites.
    func copyNewsletter(into fixture: DaemonFixture) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("pipelines").path
        let target = fixture.directory + "/pipelines"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source + "/newsletter", toPath: target + "/newsletter")
        try FileManager.default.copyItem(atPath: source + "/newsletter.yaml", toPath: target + "/newsletter.yaml")
        return target
    }

    @Test func pipelinesRunFirstAndAgainWhenTheirFilesChange() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 1)])
        let pipelines = try copyNewsletter(into: fixture)
        try fixture.start { $0.sitePaths.append(pipelines) }
        #expect(fixture.waitForQuiet())
        #expect(fixture.daemon.pipelines.map { ($0 as NSString).lastPathComponent } == ["newsletter.yaml"])
        #expect(fixture.daemon.sites.map(\.name) == ["blog"])  // the pipeline's tree is not a site
        #expect(fixture.daemon.lastBuild?.pipelines == ["newsletter"])
        #expect(fixture.daemon.lastBuild?.failed == 0, "\(fixture.log)")
        let issues = try FileManager.default.contentsOfDirectory(atPath: pipelines + "/newsletter/issues").sorted()
        let issue = try #require(issues.first)
        let count = fixture.daemon.completedBuilds
        let path = pipelines + "/newsletter/issues/" + issue
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text += "\n\nA sentence about quokkas.\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(fixture.waitForRebuild(after: count))
        let record = try #require(fixture.daemon.lastBuild)
        #expect(record.pipelines == ["newsletter"])
        #expect(record.sites.isEmpty)  // no site was touched
        // Same bytes as a fresh run of the pipeline into another directory.
        let clean = fixture.directory + "/clean-pipeline"
        let report = PipelineRunner(file: pipelines + "/newsletter.yaml", outputRoot: clean, jobs: 2, blobs: nil).run()
        #expect(report.errors.isEmpty)
        let served = DaemonFixture.tree(fixture.outputRoot + "/newsletter")
        let fresh = DaemonFixture.tree(clean + "/newsletter")
        #expect(!served.isEmpty)
        #expect(served == fresh)
        #expect(served.values.contains { String(decoding: $0, as: UTF8.self).contains("quokkas") })
        let hits = try JSONDecoder().decode(SearchAnswer.self, from: Data(try fixture.client().get("/api/search?q=quokkas").body))
        #expect(hits.hits.first?.site == "newsletter")
    }
}

@Suite("Watch modes and lost events")
struct WatchModeTests {
    @Test func pollingModeSeesEditsToo() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 3)])
        try fixture.start { $0.pollInterval = .milliseconds(100) }
        #expect(fixture.waitForQuiet())
        let count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-2.md", SampleSite.post(2, body: "Seen by a poll, with a longer body."))
        #expect(fixture.waitForRebuild(after: count))
        #expect(try fixture.differencesFromCleanBuild().isEmpty)
        #expect(try fixture.client().get("/sites/blog/posts/post-2/").text.contains("Seen by a poll"))
    }

    @Test func lostEventsRebuildEverythingAgainstTheStoredState() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 3)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        // What the watcher delivers after a queue overflow: no paths, only a rescan request.
        fixture.daemon.handle(WatchBatch(needsRescan: true))
        #expect(fixture.waitForQuiet())
        #expect(fixture.daemon.lastBuild?.trigger == .rescan)
        #expect(fixture.daemon.lastBuild?.sites == ["blog"])  // every site, diffed against its stored state
        #expect(fixture.daemon.lastBuild?.rendered == 0)  // and nothing had changed
        let metrics = try fixture.client().get("/metrics").text
        #expect(metrics.contains("unjucksd_watch_rescans_total 1"))
        #expect(fixture.log.contains { $0.contains("events were lost") })
    }

    @Test func aSiteThatDisappearsIsDropped() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 2), "shop": ["index.njk": "<p>shop</p>"]])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        #expect(fixture.daemon.sites.map(\.name).sorted() == ["blog", "shop"])
        let count = fixture.daemon.completedBuilds
        try FileManager.default.removeItem(atPath: fixture.sitesDirectory + "/shop")
        #expect(fixture.waitForRebuild(after: count))
        #expect(fixture.daemon.sites.map(\.name) == ["blog"])
        #expect(fixture.daemon.lastBuild?.failed == 0)
        let status = try JSONDecoder().decode(StatusReport.self, from: Data(try fixture.client().get("/status").body))
        #expect(status.sites.map(\.name) == ["blog"])
    }
}
