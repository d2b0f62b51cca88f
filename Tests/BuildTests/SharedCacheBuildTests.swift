import Build
@testable import Cache
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

    /// Machine A: a site of `pages` pages built cold with Redis, storing its
    /// site action; its output removed again for machine B.
    static func firstMachine(pages: Int) throws -> (redis: RedisServer, site: TestSite, outputs: [String: Data]) {
        let redis = try RedisServer()
        let site = try Self.site(pages: pages)
        let cache = try Self.cache(redis, sqlite: site.directory + "/a.db")
        #expect(try site.build(with: cache).siteAction == .stored)
        cache.flush()
        let outputs = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput)
        return (redis, site, outputs)
    }

    @Test func secondMachineFetchesEverythingFromRedis() throws {
        let redis = try RedisServer()
        let site = try Self.site(pages: 120)
        let cacheA = try Self.cache(redis, sqlite: site.directory + "/a.db")
        let first = try site.build(with: cacheA)
        #expect(first.rendered == 120)
        #expect(first.siteAction == .stored, "a cold build of 64+ pages stores the whole site's records")
        cacheA.flush()

        // Machine B: the same sources and output path, its own SQLite file, no outputs yet.
        let machineA = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let cacheB = try Self.cache(redis, sqlite: site.directory + "/b.db")
        let second = try site.build(with: cacheB)
        #expect(second.errors.isEmpty)
        #expect(second.rendered == 0)
        #expect(second.cached == 120)
        #expect(second.siteAction == .hit)
        #expect(second.pagesFromStoredSources == 0)
        #expect(cacheB.stats().redis.hits >= 121, "the site action and every output come from Redis")
        #expect(site.outputTree() == machineA)

        // Its state is complete: a no-op next, then an edit rebuilds one page.
        let noOp = try site.build(with: cacheB)
        #expect(noOp.upToDateByFingerprint)
        try site.write("posts/p7.md", "---\ntitle: Edited\ndate: 2024-01-17\nlayout: post.njk\n---\nNew text.")
        let edited = try site.build(with: cacheB)
        #expect(edited.errors.isEmpty)
        #expect(edited.rendered == 120, "every post shows collections.all, so every post renders")
        #expect(edited.siteAction == .notLookedUp, "one changed page: no site action")
        #expect(site.output("posts/p7/index.html")?.contains("<h1>Edited</h1>") == true)
        // What B fetched stays referenced in its own SQLite tier.
        #expect(try cacheB.gc(maxSize: Int.max).unreferencedBlobsRemoved == 0)
    }

    /// A site action whose outputs Redis no longer has (evicted, expired):
    /// those pages are rendered, the rest still fetched.
    @Test func siteActionWithEvictedOutputsRendersThoseAgain() throws {
        let (redis, site, machineA) = try Self.firstMachine(pages: 100)
        let cacheB = try Self.cache(redis, sqlite: site.directory + "/b.db")
        let evicted = ["posts/p3/index.html", "posts/p40/index.html", "posts/p99/index.html"]
        let client = try RedisConnection(endpoint: redis.endpoint, connectTimeout: .seconds(1), commandTimeout: .seconds(2))
        for path in evicted {
            let hash = ContentHash.of([UInt8](try #require(machineA[path])))
            #expect(try client.command([Array("DEL".utf8), Array(cacheB.redisKey(for: hash).utf8)]) == .integer(1))
        }

        let second = try site.build(with: cacheB)
        #expect(second.errors.isEmpty)
        #expect(second.siteAction == .hit)
        #expect(second.rendered == evicted.count)
        #expect(second.cached == 100 - evicted.count)
        #expect(site.outputTree() == machineA)
    }

    /// Values in Redis that are not what they claim — random bytes, a valid
    /// value copied under another page's key, and one planted by a client
    /// without the secret — are refused and never reach the output: those
    /// pages are rendered, the rest fetched.
    @Test func poisonedRedisValuesNeverReachTheOutput() throws {
        let redis = try RedisServer()
        let site = try Self.site(pages: 100)
        func cache(_ name: String, secret: String?) throws -> Cache {
            try Cache(CacheConfiguration(location: .redis(redis.endpoint, sqlitePath: site.directory + "/\(name).db"),
                                         secret: secret, redis: Self.settings()))
        }
        let cacheA = try cache("a", secret: "s3cret")
        #expect(try site.build(with: cacheA).siteAction == .stored)
        cacheA.flush()
        let machineA = site.outputTree()
        try FileManager.default.removeItem(atPath: site.siteOutput)
        func hash(_ path: String) throws -> ContentHash { ContentHash.of([UInt8](try #require(machineA[path]))) }
        func redisKey(_ path: String) throws -> [UInt8] { Array(cacheA.redisKey(for: try hash(path)).utf8) }

        let client = try RedisConnection(endpoint: redis.endpoint, connectTimeout: .seconds(1), commandTimeout: .seconds(2))
        _ = try client.command([Array("SET".utf8), try redisKey("posts/p3/index.html"), (0..<900).map { UInt8(truncatingIfNeeded: $0 &* 37) }])
        let valid = try #require(try client.command([Array("GET".utf8), try redisKey("posts/p41/index.html")]).bytes)
        _ = try client.command([Array("SET".utf8), try redisKey("posts/p40/index.html"), valid])
        let attacker = try cache("attacker", secret: nil)
        attacker.put(try hash("posts/p70/index.html"), Array("<h1>planted</h1>".utf8))
        attacker.flush()

        let cacheB = try cache("b", secret: "s3cret")
        let second = try site.build(with: cacheB)
        #expect(second.errors.isEmpty)
        #expect(second.siteAction == .hit)
        #expect(second.rendered == 3, "the three poisoned outputs are rendered")
        #expect(second.cached == 97)
        #expect(cacheB.stats().redis.rejected >= 3)
        #expect(site.outputTree() == machineA, "nothing planted is written")
        #expect(site.output("posts/p70/index.html")?.contains("planted") == false)
    }

    /// Redis dies while machine B restores from it (after the site action
    /// and the first batch of outputs; the second was fetched meanwhile): the
    /// build still finishes, renders what it could not fetch, and its output
    /// is the first machine's.
    @Test func redisKilledWhileRestoringFinishesCorrectly() throws {
        let (redis, site, machineA) = try Self.firstMachine(pages: 1200)
        let cacheB = try Self.cache(redis, sqlite: site.directory + "/b.db")
        let killed = Atomic<Bool>(false)
        let second = try site.build(with: cacheB) { done, _ in
            if done > 0, !killed.exchange(true, ordering: .relaxed) { redis.kill() }
        }
        let wasKilled = killed.load(ordering: .relaxed)
        #expect(wasKilled)
        #expect(second.errors.isEmpty, "Redis down makes a build slower, never failed")
        #expect(second.siteAction == .hit)
        #expect(second.cached > 0 && second.rendered > 0, "restored the first batch, rendered the rest: \(second.cached) + \(second.rendered)")
        #expect(second.cached + second.rendered == 1200)
        cacheB.flush()
        #expect(cacheB.stats().redis.errors > 0)
        #expect(site.outputTree() == machineA)
    }

    /// An undated page's date is its file's mtime, which another machine
    /// does not share: the site action leaves such pages' collection keys
    /// out, and what lists their dates renders again with this machine's.
    @Test func undatedPagesTakeThisMachinesDates() throws {
        let redis = try RedisServer()
        var files: [String: String] = [
            "_layouts/plain.njk": "<main>{{ content }}</main>",
            "index.njk": "{% for post in collections.post %}{{ post.url }} {{ post.date }}\n{% endfor %}",
        ]
        for i in 0..<70 {
            files["posts/u\(i).md"] = "---\ntitle: U\(i)\ntags: post\nlayout: plain.njk\n---\nBody \(i)."
        }
        let site = try TestSite(files: files)
        let first = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/a.db"))
        #expect(first.errors.isEmpty)
        #expect(first.siteAction == .stored)

        // Machine B: the same bytes, other mtimes.
        try FileManager.default.removeItem(atPath: site.siteOutput)
        for i in 0..<70 {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000 + Double(i) * 86_400)],
                                                  ofItemAtPath: site.siteRoot + "/posts/u\(i).md")
        }
        let second = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/b.db"))
        #expect(second.errors.isEmpty)
        #expect(second.siteAction == .hit)
        #expect(second.rendered == 1, "only the page listing dates renders again")
        #expect(second.cached == 70)
        #expect(site.output("index.html")?.contains("2020-09-13") == true, "B's mtimes, not A's")
        let reference = site.directory + "/reference"
        try site.build(cache: .memory, outputRoot: reference)
        #expect(site.outputTree() == site.outputTree(reference + "/" + site.name))
    }

    /// Under memory pressure the site action is looked up but not stored.
    @Test func noSiteActionIsStoredWhenMemoryIsTight() throws {
        let redis = try RedisServer()
        let site = try Self.site(pages: 80)
        let first = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/a.db"), memoryTight: true)
        #expect(first.errors.isEmpty)
        #expect(first.siteAction == .missed)
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let second = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/b.db"))
        #expect(second.siteAction == .stored, "none to find: fetched page by page, and stored now")
        #expect(second.cached == 80)
    }

    @Test func fewNewPagesLookUpNoSiteAction() throws {
        let redis = try RedisServer()
        let site = try Self.site(pages: 20)
        let first = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/a.db"))
        #expect(first.siteAction == .notLookedUp)
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let cacheB = try Self.cache(redis, sqlite: site.directory + "/b.db")
        let second = try site.build(with: cacheB)
        #expect(second.siteAction == .notLookedUp)
        #expect(second.cached == 20, "page by page, as before")
        #expect(try cacheB.gc(maxSize: Int.max).unreferencedBlobsRemoved == 0, "fetched actions are referenced here too")
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

    /// Redis stops answering (`DEBUG SLEEP`) while machine B builds: each
    /// request times out, the circuit opens and B renders what it cannot
    /// fetch, with A's output. Once Redis answers again the circuit closes and
    /// the next machine fetches everything again.
    @Test func slowRedisMidBuildFinishesCorrectlyAndRecovers() throws {
        let (redis, site, machineA) = try Self.firstMachine(pages: 120)
        let cacheB = try Self.cache(redis, sqlite: site.directory + "/b.db")
        let sleeper = Thread {
            let client = try? RedisConnection(endpoint: redis.endpoint, connectTimeout: .seconds(1), commandTimeout: .seconds(5))
            _ = try? client?.command(["DEBUG", "SLEEP", "2"].map { Array($0.utf8) })
        }
        sleeper.start()
        Thread.sleep(forTimeInterval: 0.1)
        let started = Date()
        let second = try site.build(with: cacheB)
        let seconds = Date().timeIntervalSince(started)
        #expect(second.errors.isEmpty, "Redis slow makes a build slower, never failed")
        #expect(second.rendered == 120, "nothing could be fetched")
        #expect(seconds < 1.9, "timeouts and the open circuit bound the wait: \(seconds) s")
        cacheB.flush()
        let stats = cacheB.stats()
        #expect(stats.redisDetails.timeouts >= 1)
        #expect(stats.redis.errors >= 3, "counted: \(stats.redis.errors)")
        #expect(stats.redisDetails.skippedWhileOpen >= 1, "the circuit opened and Redis was skipped")
        #expect(site.outputTree() == machineA)

        // Redis answers again: after the cooldown one probe closes the circuit.
        Thread.sleep(forTimeInterval: max(0, 2.4 - Date().timeIntervalSince(started)))
        _ = cacheB.get(ContentHash.of("probe"))
        #expect(cacheB.stats().redisDetails.circuit == .closed)
        try FileManager.default.removeItem(atPath: site.siteOutput)
        let third = try site.build(with: try Self.cache(redis, sqlite: site.directory + "/c.db"))
        #expect(third.errors.isEmpty)
        #expect(third.siteAction == .hit)
        #expect(third.cached == 120, "the next machine fetches from Redis again")
        #expect(site.outputTree() == machineA)
    }

    /// Redis full (`maxmemory`, `noeviction`): its OOM answers to writes are
    /// counted and the values kept only locally; the build's output is right,
    /// and a second machine fetches what Redis holds and renders the rest.
    /// The circuit stays closed: the server is up and still serves reads.
    @Test func fullRedisRefusesWritesAndBuildsStayCorrect() throws {
        let redis = try RedisServer(["--maxmemory-policy", "noeviction"])
        func post(_ i: Int) -> String {
            // Hex digests: text that deflate cannot shrink much.
            "---\ntitle: P\(i)\ndate: 2024-02-01\nlayout: post.njk\n---\n" + (0..<20).map { ContentHash.of("\(i)-\($0)").hex }.joined(separator: " ")
        }
        var files: [String: String] = ["_layouts/post.njk": "<article>{{ content }}</article>"]
        for i in 0..<200 { files["posts/p\(i).md"] = post(i) }
        let site = try TestSite(files: files)
        site.jobs = 2
        let cacheA = try Self.cache(redis, sqlite: site.directory + "/a.db")
        #expect(try site.build(with: cacheA).errors.isEmpty)
        cacheA.flush()
        #expect(cacheA.stats().redis.errors == 0)

        // Redis is now full: no write fits any more (half of what it uses:
        // its own buffers come and go, the stored values stay).
        let admin = try RedisConnection(endpoint: redis.endpoint, connectTimeout: .seconds(1), commandTimeout: .seconds(2))
        let info = String(decoding: try admin.command(["INFO", "memory"].map { Array($0.utf8) }).bytes ?? [], as: UTF8.self)
        let used = try #require(info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("used_memory:") }
            .flatMap { Int($0.dropFirst("used_memory:".count)) })
        _ = try admin.command(["CONFIG", "SET", "maxmemory", String(used / 2)].map { Array($0.utf8) })

        for i in 200..<300 { try site.write("posts/p\(i).md", post(i)) }
        let first = try site.build(with: cacheA)
        #expect(first.errors.isEmpty, "Redis full makes a build slower, never failed")
        #expect(first.rendered == 100)
        cacheA.flush()
        let stats = cacheA.stats()
        #expect(stats.redis.errors >= 100, "OOM answers are counted: \(stats.redis.errors)")
        #expect(stats.redisDetails.droppedWrites >= 100)
        #expect(stats.redisDetails.circuit == .closed)
        let machineA = site.outputTree()

        try FileManager.default.removeItem(atPath: site.siteOutput)
        let cacheB = try Self.cache(redis, sqlite: site.directory + "/b.db")
        let second = try site.build(with: cacheB)
        #expect(second.errors.isEmpty)
        #expect(second.cached == 200, "what Redis took before it was full is fetched")
        #expect(second.rendered == 100, "what it refused is rendered")
        #expect(site.outputTree() == machineA)
    }

    @Test func gcKeepsTheFileUnderMaxSizeAndTheNextBuildIsCorrect() throws {
        let site = try Self.site(pages: 300)
        try site.build()
        let cache = try site.openCache()
        let kept = try cache.gc(maxSize: Int.max)  // compacts: the WAL goes back into the file
        #expect(kept.unreferencedBlobsRemoved == 0, "outputs, page actions and the site action are all referenced")
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
