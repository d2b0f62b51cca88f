import Build
import Cache
import Site
import Testing

@Suite struct BuilderGovernorActionsTests {
    @Test func governorDecisionsReachTheBuilder() throws {
        let site = try TestSite(files: [
            "index.md": "---\ntitle: Home\n---\n# {{ title }}\n\nSome *text*.\n",
            "about.md": "---\ntitle: About\n---\n# {{ title }}\n",
        ])
        let cache = try Cache(CacheConfiguration(location: .sqlite(path: site.cachePath), memoryCapacity: 8 << 20))
        var options = BuildOptions()
        options.outputRoot = site.outputRoot
        options.jobs = 2
        let builder = try Builder(sites: [SiteDiscovery.FoundSite(name: site.name, root: site.siteRoot)], cache: cache, options: options)
        defer { builder.shutdown() }
        let actions = BuilderGovernorActions(builder: builder)

        actions.setConcurrency(1)
        #expect(builder.pool.concurrency == 1)
        actions.setReadAhead(false)
        #expect(!builder.readAheadEnabled)
        // Without read-ahead every body is read again by its renderer: same pages.
        let report = builder.build().sites[0]
        #expect(report.errors.isEmpty)
        #expect(report.rendered == 2)
        #expect(site.output("index.html")?.contains("<h1>Home</h1>") == true)
        #expect(site.output("index.html")?.contains("<em>text</em>") == true)

        actions.dropMemoryCache()
        #expect(cache.memory.count == 0)
        actions.setReadAhead(true)
        actions.setConcurrency(2)
        #expect(builder.readAheadEnabled && builder.pool.concurrency == 2)
    }
}
