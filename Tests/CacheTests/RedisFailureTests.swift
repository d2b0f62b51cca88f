import TestSupport
import Foundation
import Testing
@testable import Cache

/// Redis going away, hanging or refusing writes must cost time, never fail
/// a lookup or a store.
@Suite(.serialized) struct RedisFailureTests {
    @Test func killedServerOpensCircuitThenRecoversAfterRestart() throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let log = LogRecorder()
        let cache = try redisCache(server, sqlite: dir.file("c.db"), settings: .fast(threshold: 3), log: log.sink)
        cache.put(key("before"), Array("kept locally".utf8))
        cache.flush()
        #expect(cache.stats().redis.entries == 1)

        server.kill()
        for index in 0..<10 {
            #expect(cache.get(key("missing\(index)")) == nil)
            #expect(cache.get(key("before")) == Array("kept locally".utf8))
            cache.put(key("during\(index)"), [UInt8(index)])
        }
        cache.flush()
        #expect(cache.get(key("during3")) == [3])
        var stats = cache.stats()
        #expect(stats.redisDetails.circuit == .open)
        #expect(stats.redis.errors >= 10)
        #expect(stats.redisDetails.skippedWhileOpen >= 5)
        #expect(log.all.filter { $0.contains("circuit open") }.count == 1)

        try server.start()
        Thread.sleep(forTimeInterval: 0.35)
        // The first request after the cooldown is the probe; it succeeds.
        #expect(cache.get(key("fresh")) == nil)
        stats = cache.stats()
        #expect(stats.redisDetails.circuit == .closed)
        #expect(log.all.contains { $0.contains("half-open") })
        #expect(log.all.last?.contains("closed") == true)
        // Writes reach Redis again and another machine sees them.
        cache.put(key("after"), Array("after restart".utf8))
        cache.flush()
        let other = try redisCache(server, sqlite: dir.file("other.db"))
        #expect(other.get(key("after")) == Array("after restart".utf8))
        #expect(other.stats().redis.hits == 1)
    }

    @Test func failedProbeReopensTheCircuit() throws {
        let server = try RedisServer()
        let log = LogRecorder()
        let scratch = TemporaryDirectory()
        let cache = try redisCache(server, sqlite: scratch.file("c.db"),
                                   settings: .fast(threshold: 2, cooldown: .milliseconds(200)), log: log.sink)
        server.kill()
        _ = cache.get(key("a"))
        _ = cache.get(key("b"))
        #expect(cache.stats().redisDetails.circuit == .open)
        Thread.sleep(forTimeInterval: 0.25)
        _ = cache.get(key("c"))   // probe fails
        #expect(cache.stats().redisDetails.circuit == .open)
        #expect(log.all.filter { $0.contains("circuit open") }.count == 2)
        #expect(log.all.filter { $0.contains("half-open") }.count == 1)
    }

    @Test func slowServerCountsAsTimeoutNotHang() throws {
        let server = try RedisServer()
        let scratch = TemporaryDirectory()
        let cache = try redisCache(server, sqlite: scratch.file("c.db"))
        cache.put(key("local"), [42])
        cache.flush()
        let sleeper = Thread {
            _ = try? server.client(commandTimeout: .seconds(3)).command(["DEBUG", "SLEEP", "0.5"].map { Array($0.utf8) })
        }
        sleeper.start()
        Thread.sleep(forTimeInterval: 0.05)
        let started = Date()
        #expect(cache.get(key("absent")) == nil)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 0.45)
        #expect(cache.get(key("local")) == [42])
        let stats = cache.stats()
        #expect(stats.redisDetails.timeouts >= 1)
        #expect(stats.redis.errors >= 1)
        Thread.sleep(forTimeInterval: 0.5)
        // Redis answers again and the stale reply is not mistaken for a new one.
        cache.put(key("later"), [7])
        cache.flush()
        let scratch2 = TemporaryDirectory()
        let other = try redisCache(server, sqlite: scratch2.file("o.db"))
        #expect(other.get(key("later")) == [7])
    }

    @Test func outOfMemoryWritesAreCountedNotFatal() throws {
        let server = try RedisServer(["--maxmemory", "1mb", "--maxmemory-policy", "noeviction"])
        let scratch = TemporaryDirectory()
        let log = LogRecorder()
        let cache = try redisCache(server, sqlite: scratch.file("c.db"), log: log.sink)
        let keys = (0..<40).map { key("big\($0)") }
        for k in keys { cache.put(k, randomBytes(64 * 1024)) }
        cache.flush()
        let stats = cache.stats()
        #expect(stats.redisDetails.droppedWrites > 0)
        #expect(stats.redis.errors > 0)
        #expect(stats.redisDetails.circuit == .closed)
        for k in keys { #expect(cache.get(k)?.count == 64 * 1024) }
        // Logged once when writes start failing, not once per refused write.
        #expect(log.all.filter { $0.contains("refuses writes") && $0.contains("OOM") }.count == 1, "\(log.all)")

        // Room again: the next write is stored, and that is logged once too.
        _ = try server.run("CONFIG", "SET", "maxmemory", "0")
        cache.put(key("after"), [1, 2, 3])
        cache.flush()
        #expect(log.all.filter { $0.contains("accepts writes again") }.count == 1, "\(log.all)")
        let other = try redisCache(server, sqlite: scratch.file("o.db"))
        #expect(other.get(key("after")) == [1, 2, 3])
    }

    @Test func unreachableRedisAtStartStillServesLocally() throws {
        let server = try RedisServer()
        let endpoint = server.endpoint
        server.kill()
        let scratch = TemporaryDirectory()
        let cache = try Cache(CacheConfiguration(location: .redis(endpoint, sqlitePath: scratch.file("c.db")),
                                                 redis: .fast()))
        cache.put(key("x"), [1])
        cache.flush()
        #expect(cache.get(key("x")) == [1])
        #expect(cache.prefetch([key("x"), key("y")]) == [key("x")])
        #expect(throws: CacheError.self) { try cache.clear(tier: .redis) }
    }
}

extension RedisFailureTests {
    @Test func writesAfterServerDeathAreDroppedNotFatal() throws {
        let server = try RedisServer()
        let scratch = TemporaryDirectory()
        let cache = try redisCache(server, sqlite: scratch.file("c.db"), settings: .fast(threshold: 3))
        cache.put(key("warm"), [1])
        cache.flush()                     // the writer connection is now open
        server.kill()
        let keys = (0..<100).map { key("large\($0)") }
        for k in keys { cache.put(k, randomBytes(32 * 1024)) }
        cache.flush()
        for k in keys.prefix(5) { #expect(cache.get(k)?.count == 32 * 1024) }
        #expect(cache.stats().redisDetails.droppedWrites >= 1)
    }

    @Test func concurrentReadersAndWritersWithRedis() async throws {
        let server = try RedisServer()
        let dir = TemporaryDirectory()
        let writer = try redisCache(server, sqlite: dir.file("w.db"))
        let keys = (0..<400).map { key("c\($0)") }
        writer.put(keys.map { ($0, Array($0.hex.utf8)) })
        writer.flush()
        let reader = try Cache(CacheConfiguration(location: .redis(server.endpoint, sqlitePath: dir.file("r.db")),
                                                  memoryCapacity: 8 * 1024))
        let wrong = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for (index, k) in keys.enumerated() where index % 4 == worker || index % 7 == 0 {
                        if reader.get(k) != Array(k.hex.utf8) { wrong += 1 }
                        reader.put(key("new\(worker)-\(index)"), [UInt8(truncatingIfNeeded: index)])
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
        reader.flush()
        let stats = reader.stats()
        #expect(stats.redis.errors == 0)
        #expect(stats.memory.bytes <= 8 * 1024)
        #expect(stats.sqlite.entries >= 400)
    }
}
