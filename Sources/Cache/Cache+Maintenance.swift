/// Statistics, garbage collection and clearing: what `unjucksd cache
/// stats|gc|clear`, `/status` and the memory governor call.
extension Cache {
    /// A snapshot of every counter and the current tier sizes.
    /// Counters per tier; with `includingUsage`, also the SQLite tier's
    /// entries and bytes, which takes a scan of the blob table (skip it on
    /// hot paths such as every build's summary).
    public func stats(includingUsage: Bool = true) -> CacheStatistics {
        var snapshot = CacheStatistics()
        snapshot.memory = memoryCounters.snapshot()
        snapshot.memory.bytes = UInt64(memory.byteCount)
        snapshot.memory.entries = UInt64(memory.count)
        snapshot.sqlite = sqliteCounters.snapshot()
        if includingUsage, let sqlite {
            fillQueue.sync {}  // count what Redis fetches are still storing
            if let usage = try? sqlite.usage() {
                snapshot.sqlite.bytes = UInt64(usage.bytes)
                snapshot.sqlite.entries = UInt64(usage.entries)
            }
        }
        snapshot.redis = redisCounters.snapshot()
        if let redis {
            snapshot.redisConfigured = true
            snapshot.redisDetails.circuit = redis.circuitState
            snapshot.redisDetails.timeouts = redis.timeouts.load(ordering: .relaxed)
            snapshot.redisDetails.skippedWhileOpen = redis.skippedWhileOpen.load(ordering: .relaxed)
            snapshot.redisDetails.droppedWrites = redis.droppedWrites.load(ordering: .relaxed)
            snapshot.redisDetails.pendingWrites = UInt64(redis.pendingWriteCount)
        }
        return snapshot
    }

    /// Removes blobs no action references and the least recently used
    /// beyond `maxSize` bytes from SQLite, then shrinks the file.
    /// Without an SQLite tier it only empties memory of unreferenced data.
    public func gc(maxSize: Int) throws -> GarbageCollectionReport {
        guard let sqlite else {
            memory.setCapacity(min(memory.capacity, max(0, maxSize)))
            memory.setCapacity(configuration.memoryCapacity)
            var report = GarbageCollectionReport()
            report.remainingBlobs = memory.count
            report.remainingBytes = memory.byteCount
            return report
        }
        memory.removeAll()
        // `maxSize` bounds the file, which also holds indexes, actions and
        // the build's state: whatever the file overshoots by after a pass
        // comes off the blobs that remain, for the next one.
        let references = { (key: ContentHash, stored: [UInt8]) -> [ContentHash]? in
            (try? self.codec.decode(stored, key: key, kind: .action)).flatMap(Cache.hashes)
        }
        var report = try sqlite.gc(maxSize: maxSize, references: references)
        var budget = maxSize
        for _ in 0..<6 where report.fileBytesAfter > maxSize && report.remainingBlobs > 0 {
            budget = max(0, min(budget, report.remainingBytes) - (report.fileBytesAfter - maxSize))
            let next = try sqlite.gc(maxSize: budget, references: references)
            report.unreferencedBlobsRemoved += next.unreferencedBlobsRemoved
            report.leastRecentlyUsedBlobsRemoved += next.leastRecentlyUsedBlobsRemoved
            report.actionsRemoved += next.actionsRemoved
            report.remainingBlobs = next.remainingBlobs
            report.remainingBytes = next.remainingBytes
            report.fileBytesAfter = next.fileBytesAfter
        }
        return report
    }

    /// Empties one tier, or all of them when `tier` is `nil`. Clearing
    /// Redis deletes only keys under this cache's namespace.
    public func clear(tier: CacheTier? = nil) throws {
        if tier == nil || tier == .memory { memory.removeAll() }
        if tier == nil || tier == .sqlite, let sqlite { try sqlite.clear() }
        if tier == nil || tier == .redis, let redis {
            redis.flush()
            guard redis.deleteAll(prefix: configuration.namespace) != nil else {
                throw CacheError.redisUnavailable(redis.endpoint)
            }
        }
    }

    /// Evicts least recently used memory entries down to `fraction` of the
    /// bytes held now (called by the memory governor).
    public func shrinkMemory(toFraction fraction: Double) { memory.shrink(toFraction: fraction) }

    /// Waits until values fetched from Redis are stored in SQLite, queued
    /// Redis writes are sent and pending "last used" updates are written.
    public func flush() {
        fillQueue.sync {}
        redis?.flush()
        if let sqlite { try? sqlite.flushTouches() }
    }

    /// Flushes; the cache stays usable afterwards (connections close when
    /// the last reference goes).
    public func close() {
        flush()
        try? database.checkpoint()
    }
}
