import Cache
import Governor
import Synchronization

/// Carries out the memory governor's decisions on a build: fewer workers,
/// a smaller (or empty) in-memory cache tier, no read-ahead. Used by
/// `unjucksd build --memory-limit`; the watch daemon adds pausing rebuilds.
public final class BuilderGovernorActions: GovernorDelegate {
    let pool: WorkerPool
    let cache: Cache
    private let readAhead = Atomic<Bool>(true)

    public init(pool: WorkerPool, cache: Cache) {
        self.pool = pool
        self.cache = cache
    }

    /// Whether builds may look keys up ahead of use (off when memory is tight).
    public var readAheadEnabled: Bool { readAhead.load(ordering: .relaxed) }

    public func setConcurrency(_ workers: Int) { pool.setConcurrency(workers) }
    public func shrinkMemoryCache(toFraction fraction: Double) { cache.shrinkMemory(toFraction: fraction) }
    public func dropMemoryCache() { cache.memory.removeAll() }
    public func setReadAhead(_ enabled: Bool) { readAhead.store(enabled, ordering: .relaxed) }
    public func releaseMemory() { cache.database.releaseMemory() }
}
