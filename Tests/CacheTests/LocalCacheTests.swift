import TestSupport
import Foundation
import Testing
@testable import Cache

@Suite struct LocalCacheTests {
    func sqliteCache(_ path: String, secret: String? = nil, memory: Int = 1 << 20, compressLocal: Bool = false) throws -> Cache {
        try Cache(CacheConfiguration(location: .sqlite(path: path), memoryCapacity: memory, secret: secret, compressLocal: compressLocal))
    }

    @Test func putGetAndReopen() throws {
        let dir = TemporaryDirectory()
        let page = Array(String(repeating: "<p>page</p>", count: 500).utf8)
        do {
            let cache = try sqliteCache(dir.file("c.db"), compressLocal: true)
            cache.put(key("a"), page)
            #expect(cache.get(key("a")) == page)
            #expect(cache.stats().memory.hits == 1)
            cache.close()
        }
        let reopened = try sqliteCache(dir.file("c.db"))
        #expect(reopened.get(key("a")) == page)
        #expect(reopened.get(key("missing")) == nil)
        let stats = reopened.stats()
        #expect(stats.sqlite.hits == 1)
        #expect(stats.sqlite.misses == 1)
        #expect(stats.sqlite.entries == 1)
        #expect(stats.sqlite.bytes < UInt64(page.count))   // stored compressed
        #expect(reopened.get(key("a")) == page)
        #expect(reopened.stats().memory.hits == 1)          // filled on the SQLite hit
    }

    @Test func localValuesAreStoredRawUnlessCompressionIsAskedFor() throws {
        let dir = TemporaryDirectory()
        let page = Array(String(repeating: "<li>compressible markup</li>", count: 400).utf8)
        let raw = try sqliteCache(dir.file("raw.db"))
        raw.put(key("a"), page)
        let deflated = try sqliteCache(dir.file("deflated.db"), compressLocal: true)
        deflated.put(key("a"), page)
        #expect(raw.stats().sqlite.bytes >= UInt64(page.count))
        #expect(deflated.stats().sqlite.bytes < UInt64(page.count) / 4)
        raw.close()
        deflated.close()
        // Either form reads back under either setting.
        #expect(try sqliteCache(dir.file("raw.db"), compressLocal: true).get(key("a")) == page)
        #expect(try sqliteCache(dir.file("deflated.db")).get(key("a")) == page)
    }

    @Test func corruptStoredValuesAreMissesAndDeleted() throws {
        let dir = TemporaryDirectory()
        let cache = try sqliteCache(dir.file("c.db"))
        cache.put(key("good"), Array("fine".utf8))
        try cache.database.write {
            try $0.execute("INSERT INTO cache_blobs(hash, bytes, size, last_used) VALUES (?, ?, 64, 0)",
                           [.hash(key("bad")), .blob(randomBytes(64))])
        }
        #expect(cache.get(key("bad")) == nil)
        #expect(cache.stats().sqlite.rejected == 1)
        let left = try cache.database.read { try $0.queryFirst("SELECT count(*) FROM cache_blobs WHERE hash = ?", [.hash(key("bad"))]) }
        #expect(left?[0].integer == 0)
    }

    @Test func valueCopiedUnderAnotherKeyIsRejected() throws {
        let scratch = TemporaryDirectory()
        let cache = try sqliteCache(scratch.file("c.db"), memory: 0)
        cache.put(key("one"), Array("first".utf8))
        try cache.database.write {
            try $0.execute("INSERT INTO cache_blobs SELECT ?, bytes, size, last_used FROM cache_blobs WHERE hash = ?",
                           [.hash(key("two")), .hash(key("one"))])
        }
        #expect(cache.get(key("two")) == nil)
        #expect(cache.get(key("one")) == Array("first".utf8))
        #expect(cache.stats().sqlite.rejected == 1)
    }

    @Test func secretRefusesUnsignedLocalValues() throws {
        let dir = TemporaryDirectory()
        try sqliteCache(dir.file("c.db")).put(key("k"), Array("plain".utf8))
        let signed = try sqliteCache(dir.file("c.db"), secret: "s3cret")
        #expect(signed.get(key("k")) == nil)
        signed.put(key("k"), Array("signed".utf8))
        let again = try sqliteCache(dir.file("c.db"), secret: "s3cret")
        #expect(again.get(key("k")) == Array("signed".utf8))
    }

    @Test func actionsRoundTripAndPersist() throws {
        let dir = TemporaryDirectory()
        let outputs = [key("out1"), key("out2")]
        try sqliteCache(dir.file("c.db")).setAction(key("page"), outputs: outputs)
        let cache = try sqliteCache(dir.file("c.db"))
        #expect(cache.action(key("page")) == outputs)
        #expect(cache.action(key("nope")) == nil)
        #expect(cache.prefetchActions([key("page"), key("nope")]) == [key("page"): outputs])
    }

    @Test func gcKeepsReferencedRecentBlobsUnderMaxSize() throws {
        let dir = TemporaryDirectory()
        let cache = try sqliteCache(dir.file("c.db"))
        // Blobs of 50 KB: the bound is on the file, whose empty tables and
        // indexes take a few 16 KiB pages of their own.
        for index in 0..<40 { cache.put(key("blob\(index)"), randomBytes(50_000)) }
        for index in 0..<20 { cache.setAction(key("page\(index)"), outputs: [key("blob\(index)")]) }
        // Distinct ages, blob0 the oldest (equal ages would leave the order
        // of eviction among them to SQLite's sorter).
        try cache.database.write {
            for index in 0..<20 {
                try $0.execute("UPDATE cache_blobs SET last_used = ? WHERE hash = ?", [.int(index), .hash(key("blob\(index)"))])
            }
        }
        let before = cache.database.fileSize
        let report = try cache.gc(maxSize: 600_000)
        #expect(report.unreferencedBlobsRemoved == 20)
        #expect(report.remainingBytes <= 600_000)
        #expect(cache.database.fileSize <= 600_000)
        #expect(report.leastRecentlyUsedBlobsRemoved >= 10)
        #expect(report.actionsRemoved == report.leastRecentlyUsedBlobsRemoved)
        #expect(cache.database.fileSize < before)
        #expect(cache.get(key("blob0")) == nil)
        #expect(cache.get(key("blob19")) != nil)
        #expect(cache.action(key("page0")) == nil)
        #expect(cache.action(key("page19")) == [key("blob19")])
    }

    @Test func gcReadsReferencesFromTheActionsThemselves() throws {
        let dir = TemporaryDirectory()
        let cache = try sqliteCache(dir.file("c.db"))
        cache.put(key("kept"), randomBytes(2_000))
        cache.put(key("orphan"), randomBytes(2_000))
        cache.put(key("of-broken"), randomBytes(2_000))
        cache.setAction(key("page"), outputs: [key("kept")])
        cache.setAction(key("broken"), outputs: [key("of-broken")])
        // A stored action that no longer decodes keeps nothing alive and goes too.
        try cache.database.write {
            try $0.execute("UPDATE cache_actions SET value = ? WHERE key = ?", [.blob([1, 2, 3]), .hash(key("broken"))])
        }
        let report = try cache.gc(maxSize: Int.max)
        #expect(report.unreferencedBlobsRemoved == 2)
        #expect(report.leastRecentlyUsedBlobsRemoved == 0)
        #expect(cache.get(key("kept")) != nil)
        #expect(cache.get(key("orphan")) == nil)
        #expect(cache.get(key("of-broken")) == nil)
        #expect(cache.action(key("page")) == [key("kept")])
        #expect(cache.action(key("broken")) == nil)
    }

    @Test func clearEmptiesLocalTiers() throws {
        let scratch = TemporaryDirectory()
        let cache = try sqliteCache(scratch.file("c.db"))
        cache.put(key("x"), [1, 2, 3])
        try cache.clear()
        #expect(cache.get(key("x")) == nil)
        #expect(cache.stats().sqlite.entries == 0)
        #expect(cache.stats().memory.entries == 0)
    }

    @Test func memoryLocationPersistsNothing() throws {
        let dir = TemporaryDirectory()
        let cache = try Cache(CacheConfiguration(location: .memory))
        cache.put(key("m"), [9])
        cache.setAction(key("p"), outputs: [key("m")])
        #expect(cache.get(key("m")) == [9])
        #expect(cache.action(key("p")) == [key("m")])
        #expect(cache.database.path == nil)
        try cache.database.write { try $0.executeScript("CREATE TABLE build_state(x)") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        #expect(cache.prefetch([key("m"), key("other")]) == [key("m")])
    }

    @Test func governorCanShrinkMemory() throws {
        let cache = try Cache(CacheConfiguration(location: .memory, memoryCapacity: 1 << 20))
        for index in 0..<100 { cache.put(key("\(index)"), [UInt8](repeating: 0, count: 1000)) }
        cache.shrinkMemory(toFraction: 0.5)
        #expect(cache.stats().memory.bytes == 50_000)
    }
}

extension LocalCacheTests {
    struct Abort: Error {}

    @Test func cacheWritesJoinAnEnclosingTransaction() throws {
        let scratch = TemporaryDirectory()
        let cache = try sqliteCache(scratch.file("c.db"))
        try cache.database.write { try $0.executeScript("CREATE TABLE manifest(path TEXT)") }
        try cache.database.transaction { connection in
            try connection.execute("INSERT INTO manifest VALUES ('a.html')")
            cache.put(key("inside"), [1])
            cache.setAction(key("page"), outputs: [key("inside")])
        }
        #expect(try cache.database.read { try $0.queryFirst("SELECT count(*) FROM cache_blobs")?[0].integer } == 1)
        #expect(throws: Abort.self) {
            try cache.database.transaction { _ in
                cache.put(key("rolled-back"), [2])
                throw Abort()
            }
        }
        cache.memory.removeAll()
        #expect(cache.get(key("rolled-back")) == nil)
        #expect(cache.get(key("inside")) == [1])
    }
}
