import TestSupport
import Foundation
import Testing
@testable import Cache

/// Every test here runs its own `redis-server`; serialized so timeouts are
/// not distorted by other tests competing for the two cores.
@Suite(.serialized) struct RedisTierTests {
    @Test func secondMachineGetsRedisHitsWithIdenticalBytes() throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let page = Array(String(repeating: "<article>shared</article>", count: 300).utf8)
        let first = try redisCache(server, sqlite: dir.file("one.db"))
        first.put(key("page"), page)
        first.setAction(key("action"), outputs: [key("page")])
        first.flush()

        let second = try redisCache(server, sqlite: dir.file("two.db"))
        #expect(second.action(key("action")) == [key("page")])
        #expect(second.get(key("page")) == page)
        var stats = second.stats()
        #expect(stats.redis.hits == 2)
        #expect(stats.sqlite.misses == 2)
        // The Redis hit filled memory ...
        #expect(second.get(key("page")) == page)
        stats = second.stats()
        #expect(stats.memory.hits == 1)
        #expect(stats.redis.hits == 2)
        // ... and SQLite: a cache on the second file without Redis has it.
        let offline = try Cache(CacheConfiguration(location: .sqlite(path: dir.file("two.db"))))
        #expect(offline.get(key("page")) == page)
        #expect(offline.action(key("action")) == [key("page")])
        #expect(offline.stats().sqlite.hits == 2)
    }

    @Test func backgroundWritesArePipelinedWithTTLAndFlushWaits() throws {
        let server = try RedisServer()
        let scratch = TemporaryDirectory()
        let cache = try redisCache(server, sqlite: scratch.file("c.db"))
        let keys = (0..<300).map { key("w\($0)") }
        cache.put(keys.map { ($0, Array("value \($0.hex)".utf8)) })
        cache.flush()
        #expect(cache.stats().redisDetails.pendingWrites == 0)
        #expect(try server.run("DBSIZE") == .integer(300))
        guard case .integer(let ttl) = try server.run("TTL", cache.redisKey(for: keys[0])) else {
            Issue.record("TTL did not answer an integer")
            return
        }
        #expect(ttl > 6 * 24 * 3600 && ttl <= 7 * 24 * 3600)
        #expect(cache.stats().redis.entries == 300)
    }

    @Test func readsRefreshTheTimeToLive() throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let writer = try redisCache(server, sqlite: dir.file("w.db"))
        writer.put(key("used"), [1])
        writer.put(key("prefetched"), [2])
        writer.flush()
        for name in ["used", "prefetched"] {
            _ = try server.run("EXPIRE", writer.redisKey(for: key(name)), "100")
        }
        let reader = try redisCache(server, sqlite: dir.file("r.db"))
        #expect(reader.get(key("used")) == [1])
        #expect(reader.prefetch([key("prefetched")]) == [key("prefetched")])
        reader.flush()
        for name in ["used", "prefetched"] {
            guard case .integer(let ttl) = try server.run("TTL", writer.redisKey(for: key(name))) else {
                Issue.record("no TTL")
                continue
            }
            #expect(ttl > 6 * 24 * 3600)
        }
    }

    @Test func prefetchUsesMGETAndFillsUpperTiers() throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let writer = try redisCache(server, sqlite: dir.file("w.db"))
        let keys = (0..<250).map { key("p\($0)") }
        writer.put(keys.map { ($0, Array($0.hex.utf8)) })
        writer.flush()

        let reader = try redisCache(server, sqlite: dir.file("r.db"))
        let unknown = (0..<5).map { key("unknown\($0)") }
        let found = reader.prefetch(keys + unknown)
        #expect(found == Set(keys))
        let afterPrefetch = reader.stats()
        #expect(afterPrefetch.redis.hits == 250)
        #expect(afterPrefetch.sqlite.entries == 250)
        for k in keys { #expect(reader.get(k) == Array(k.hex.utf8)) }
        let afterGets = reader.stats()
        #expect(afterGets.memory.hits == 250)
        #expect(afterGets.redis.hits == 250)
    }

    @Test func corruptAndMisplacedRedisValuesAreRefusedAndDeleted() throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let writer = try redisCache(server, sqlite: dir.file("w.db"))
        writer.put(key("real"), Array("real value".utf8))
        writer.flush()
        let client = try server.client()
        _ = try client.command([Array("SET".utf8), Array(writer.redisKey(for: key("junk")).utf8), randomBytes(200)])
        // A valid value copied under another key.
        guard case .string(let valid) = try client.command([Array("GET".utf8), Array(writer.redisKey(for: key("real")).utf8)]) else {
            Issue.record("value missing")
            return
        }
        _ = try client.command([Array("SET".utf8), Array(writer.redisKey(for: key("copy")).utf8), valid])

        let reader = try redisCache(server, sqlite: dir.file("r.db"))
        #expect(reader.get(key("junk")) == nil)
        #expect(reader.get(key("copy")) == nil)
        #expect(reader.get(key("real")) == Array("real value".utf8))
        let stats = reader.stats()
        #expect(stats.redis.rejected == 2)
        #expect(stats.redis.hits == 1)
        #expect(try server.run("EXISTS", reader.redisKey(for: key("junk"))) == .integer(0))
        #expect(try server.run("EXISTS", reader.redisKey(for: key("copy"))) == .integer(0))
    }

    @Test func secretRefusesUnsignedAndForeignlySignedValues() throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let unsigned = try redisCache(server, sqlite: dir.file("u.db"))
        unsigned.put(key("u"), Array("unsigned".utf8))
        let otherSecret = try redisCache(server, sqlite: dir.file("o.db"), secret: "other")
        otherSecret.put(key("o"), Array("other".utf8))
        let signer = try redisCache(server, sqlite: dir.file("s.db"), secret: "s3cret")
        signer.put(key("s"), Array("signed".utf8))
        [unsigned, otherSecret, signer].forEach { $0.flush() }

        let reader = try redisCache(server, sqlite: dir.file("r.db"), secret: "s3cret")
        #expect(reader.get(key("u")) == nil)
        #expect(reader.get(key("o")) == nil)
        #expect(reader.get(key("s")) == Array("signed".utf8))
        #expect(reader.stats().redis.rejected == 2)
    }

    @Test func namespacesIsolateProjects() throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let alpha = try redisCache(server, sqlite: dir.file("a.db"), namespace: "alpha:v1:")
        alpha.put(key("same"), Array("alpha".utf8))
        alpha.flush()
        let beta = try redisCache(server, sqlite: dir.file("b.db"), namespace: "beta:v1:")
        #expect(beta.get(key("same")) == nil)
        beta.put(key("same"), Array("beta".utf8))
        beta.flush()
        let alphaAgain = try redisCache(server, sqlite: dir.file("a2.db"), namespace: "alpha:v1:")
        #expect(alphaAgain.get(key("same")) == Array("alpha".utf8))
        #expect(alpha.redisKey(for: key("same")) == "alpha:v1:" + key("same").hex)
        // Clearing one namespace leaves the other.
        try beta.clear(tier: .redis)
        #expect(try server.run("EXISTS", beta.redisKey(for: key("same"))) == .integer(0))
        #expect(try server.run("EXISTS", alpha.redisKey(for: key("same"))) == .integer(1))
    }

    @Test func authAndDatabaseSelectionFromURL() throws {
        let server = try RedisServer(["--requirepass", "hunter2"])
        let dir = TemporaryDirectory()
        let location = try CacheLocation(parsing: "redis://:hunter2@127.0.0.1:\(server.port)/4")
        let cache = try Cache(CacheConfiguration(location: .redis(location.redis!, sqlitePath: dir.file("c.db"))))
        cache.put(key("k"), [1, 2, 3])
        cache.flush()
        #expect(cache.stats().redis.entries == 1)
        let client = try RedisConnection(endpoint: RedisEndpoint(host: "127.0.0.1", port: server.port, password: "hunter2", database: 4),
                                         connectTimeout: .seconds(1), commandTimeout: .seconds(1))
        #expect(try client.command(["EXISTS", cache.redisKey(for: key("k"))].map { Array($0.utf8) }) == .integer(1))
        #expect(try client.command(["SELECT", "0"].map { Array($0.utf8) }) == .status("OK"))
        #expect(try client.command(["DBSIZE"].map { Array($0.utf8) }) == .integer(0))

        let wrong = try Cache(CacheConfiguration(location: .redis(RedisEndpoint(host: "127.0.0.1", port: server.port, password: "nope"),
                                                                  sqlitePath: dir.file("w.db"))))
        #expect(wrong.get(key("k")) == nil)
        #expect(wrong.stats().redis.errors == 1)
    }
}
