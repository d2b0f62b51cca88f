import Build
import Cache
import Foundation
import Synchronization
import Testing
import TestSupport

/// Builds with Redis as the shared tier: a second machine fetches instead of
/// rendering; Redis dying mid-build slows a build down, never fails it.
@Suite(.serialized) struct SharedCacheBuildTests {
    static func site(pages: Int) throws -> TestSite {
        var files: [String: String] = [
            "_layouts/post.njk": "<html><body><h1>{{ title }}</h1>{{ content }}<p>{{ collections.all | length }}</p></body></html>",
        ]
        for i in 0..<pages {
            files["posts/p\(i).md"] = "---\ntitle: Post \(i)\ndate: 2024-01-\(10 + i % 18)\nlayout: post.njk\n---\n" + String(repeating: "Some *text* for post \(i). ", count: 60)
        }
        let site = try TestSite(files: files)
        site.jobs = 2
        return site
    }

    static func settings() -> RedisSettings {
        var settings = RedisSettings()
        settings.failureThreshold = 3
        settings.cooldown = .milliseconds(300)
        settings.commandTimeout = .milliseconds(200)
        return settings
    }

    static func cache(_ redis: RedisServer, sqlite: String) throws -> Cache {
        try Cache(CacheConfiguration(location: .redis(redis.endpoint, sqlitePath: sqlite), memoryCapacity: 4 << 20, redis: settings()))
    }

    @Test func secondMachineFetchesEverythingFromRedis() throws {
        let redis = try RedisServer()
        let site = try Self.site(pages: 120)
        let first = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/a.db"))
        #expect(first.rendered == 120)

        // Machine B: the same sources and output path, its own SQLite file, no outputs yet.
        let machineA = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let cacheB = try Self.cache(redis, sqlite: site.directory + "/b.db")
        let second = try site.build(with: cacheB)
        #expect(second.errors.isEmpty)
        #expect(second.rendered == 0)
        #expect(second.cached == 120)
        #expect(cacheB.stats().redis.hits >= 240, "actions and outputs come from Redis")
        #expect(site.outputTree() == machineA)
    }

    @Test func redisKilledMidBuildFinishesCorrectlyAndRecovers() throws {
        let redis = try RedisServer()
        let site = try Self.site(pages: 200)
        let cache = try Self.cache(redis, sqlite: site.directory + "/a.db")
        let killed = Atomic<Bool>(false)
        let report = try site.build(with: cache) { done, _ in
            if done >= 50, !killed.exchange(true, ordering: .relaxed) { redis.kill() }
        }
        let wasKilled = killed.load(ordering: .relaxed)
        #expect(wasKilled)
        #expect(report.errors.isEmpty, "Redis down makes a build slower, never failed")
        #expect(report.rendered == 200)
        cache.flush()
        let stats = cache.stats()
        #expect(stats.redis.errors > 0, "failures are counted")
        #expect(stats.redisDetails.circuit == .open)

        // The output is what a build without Redis produces.
        let reference = site.directory + "/reference"
        try site.build(cache: .memory, outputRoot: reference)
        #expect(site.outputTree() == site.outputTree(reference + "/" + site.name))

        // Redis back: after the cooldown the circuit half-opens, a probe
        // succeeds, and a fresh machine's build hits Redis again.
        try redis.start()
        Thread.sleep(forTimeInterval: 0.4)
        _ = cache.get(ContentHash.of("probe"))  // half-open: one probe, which succeeds
        #expect(cache.stats().redisDetails.circuit == .closed)
        // A machine with the restarted (empty) Redis fills it; the next one fetches.
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let refill = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/warm.db"))
        #expect(refill.errors.isEmpty)
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let again = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/c.db"))
        #expect(again.cached == 200, "the restarted Redis serves the next machine")
    }

    @Test func gcKeepsTheFileUnderMaxSizeAndTheNextBuildIsCorrect() throws {
        let site = try Self.site(pages: 300)
        try site.build()
        let cache = try Cache(CacheConfiguration(location: .sqlite(path: site.cachePath)))
        _ = try cache.gc(maxSize: Int.max)  // compacts: the WAL goes back into the file
        let maxSize = cache.database.fileSize * 2 / 3
        let gc = try cache.gc(maxSize: maxSize)
        #expect(gc.leastRecentlyUsedBlobsRemoved > 0)
        #expect(cache.database.fileSize <= maxSize)
        cache.close()
        let expected = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let report = try site.build()
        #expect(report.errors.isEmpty)
        #expect(report.cached + report.rendered == 300, "evicted outputs are rendered again")
        #expect(site.outputTree() == expected)
    }
}
