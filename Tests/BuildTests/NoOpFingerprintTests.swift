import Build
import Cache
import Foundation
import Site
import Testing

/// The no-op fast path: a build whose inputs and outputs all have the stat
/// the last error-free build left ends early, and anything else takes the
/// full path with the same result as before.
@Suite struct NoOpFingerprintTests {
    @Test func aSecondBuildWithNothingChangedEndsAtTheFingerprint() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        let first = try site.build()
        #expect(!first.upToDateByFingerprint)
        let second = try site.build()
        #expect(second.upToDateByFingerprint)
        #expect(second.pages == first.pages)
        #expect(second.skipped == first.pages)
        #expect(second.assets == first.assets)
        #expect(second.rendered == 0 && second.written == 0 && second.errors.isEmpty)
    }

    /// `sites/blog`, `./sites/blog` and `sites/blog/` are one site: the
    /// same build state, so switching spellings is still a no-op.
    @Test func theSiteDirectorySpelledAnotherWayIsTheSameSite() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        let cache = try site.openCache()
        #expect(try !site.build(with: cache).upToDateByFingerprint)
        let parent = (site.siteRoot as NSString).deletingLastPathComponent
        for spelling in [parent + "/./" + site.name, site.siteRoot + "/", parent + "/../" + (parent as NSString).lastPathComponent + "/" + site.name] {
            let again = try site.build(with: cache, root: spelling)
            #expect(again.upToDateByFingerprint, "\(spelling)")
            #expect(again.written == 0)
        }
    }

    /// A watcher reports absolute, normalised paths; the site's root as given
    /// may hold `.` components (`unjucksd watch ./sites`). The edit must
    /// still be seen.
    @Test func aWatchersHintMatchesARootWithDotComponents() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        let cache = try site.openCache()
        let spelled = (site.siteRoot as NSString).deletingLastPathComponent + "/./" + site.name
        #expect(try site.build(with: cache, root: spelled).errors.isEmpty)
        try site.write("posts/first.md", "---\ntitle: First, edited\ndate: 2024-01-01\ntags: posts\nlayout: post.njk\n---\nHello again.\n")
        let hinted = try site.build(with: cache, root: spelled, changes: site.hint(changed: "posts/first.md"))
        #expect(hinted.rendered >= 1)
        #expect(site.output("posts/first/index.html")?.contains("First, edited") == true)
    }

    /// `rm -rf out` under a watching daemon, then an edit: the hint names
    /// one page, but every output comes back.
    @Test func aDeletedOutputDirectoryIsRestoredByAHintedBuild() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        let cache = try site.openCache()
        #expect(try site.build(with: cache).errors.isEmpty)
        let before = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let report = try site.build(with: cache, changes: site.hint(changed: "assets/style.css"))
        #expect(report.errors.isEmpty)
        #expect(site.outputTree() == before)
    }

    @Test func aDeletedOrAlteredOutputIsRestored() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        try site.build()
        let before = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput + "/posts/first/index.html")
        let restored = try site.build()
        #expect(!restored.upToDateByFingerprint)
        #expect(site.outputTree() == before)

        try Data("tampered".utf8).write(to: URL(fileURLWithPath: site.siteOutput + "/about/index.html"))
        let repaired = try site.build()
        #expect(!repaired.upToDateByFingerprint)
        #expect(site.outputTree() == before)
        #expect(try site.build().upToDateByFingerprint)
    }

    @Test func anyInputChangeTakesTheFullPath() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        try site.build()
        try site.write("posts/second.md", "---\ntitle: Second\ndate: 2024-02-01\ntags: [posts, news]\nlayout: post.njk\n---\nHello **2**.\n")
        let edited = try site.build()
        #expect(!edited.upToDateByFingerprint)
        #expect(edited.rendered == 1)
        try site.write("extra.txt", "new file")
        let added = try site.build()
        #expect(!added.upToDateByFingerprint)
        #expect(site.output("extra.txt") == "new file")
        try site.remove("extra.txt")
        let removed = try site.build()
        #expect(!removed.upToDateByFingerprint)
        #expect(site.output("extra.txt") == nil)
        #expect(try site.build().upToDateByFingerprint)
    }

    @Test func aBuildWithErrorsReportsThemAgainNextTime() throws {
        var files = SiteBuildTests.blog
        files["broken.njk"] = "{{ 1 + }}"
        let site = try TestSite(files: files)
        let first = try site.build()
        #expect(!first.errors.isEmpty)
        let second = try site.build()
        #expect(!second.upToDateByFingerprint)
        #expect(second.errors.map(\.description) == first.errors.map(\.description))
    }

    @Test func anotherOutputDirectoryIsNotUpToDate() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        try site.build()
        let elsewhere = site.directory + "/elsewhere"
        let report = try site.build(outputRoot: elsewhere)
        #expect(!report.upToDateByFingerprint)
        #expect(site.outputTree(elsewhere + "/" + site.name) == site.outputTree())
        #expect(try site.build().upToDateByFingerprint, "each output directory keeps its own fingerprint")
    }

    @Test func aBuildThatStopsHalfWayLeavesNoFingerprint() throws {
        let site = try TestSite(files: SiteBuildTests.blog)
        try site.build()
        let cache = try Cache(CacheConfiguration(location: .sqlite(path: site.cachePath), memoryCapacity: 1 << 20))
        let state = try BuildState(database: cache.database)
        let key = SiteBuilder(name: site.name, root: site.siteRoot, options: { var o = BuildOptions(); o.outputRoot = site.outputRoot; return o }(),
                              state: state, blobs: cache, pool: WorkerPool(workers: 1)).stateKey
        #expect(state.fingerprint(site: key) != nil)
        // What a build does before it may touch an output; a crash after it
        // must make the next build check everything.
        try state.forgetFingerprint(site: key)
        #expect(state.fingerprint(site: key) == nil)
        let full = try site.build()
        #expect(!full.upToDateByFingerprint)
        // The state rows (some written ahead of the commit, with the blobs)
        // are complete: nothing renders, nothing is written.
        #expect(full.rendered == 0 && full.written == 0 && full.skipped == full.pages)
        #expect(try site.build().upToDateByFingerprint)
    }
}
