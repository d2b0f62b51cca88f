import Cache
import Governor

/// Carries out the memory governor's decisions on a builder: fewer
/// workers, a smaller (or empty) in-memory cache tier, no read-ahead (page
/// bodies are not kept between parsing and rendering), SQLite page caches
/// released. `unjucksd build --memory-limit` uses it as is; the watch
/// daemon wraps it and adds pausing rebuilds and dropping its own caches.
public final class BuilderGovernorActions: GovernorDelegate {
    let builder: Builder

    public init(builder: Builder) {
        self.builder = builder
    }

    public func setConcurrency(_ workers: Int) { builder.pool.setConcurrency(workers) }
    public func shrinkMemoryCache(toFraction fraction: Double) { builder.cache.shrinkMemory(toFraction: fraction) }
    public func dropMemoryCache() { builder.cache.memory.removeAll() }
    public func setReadAhead(_ enabled: Bool) { builder.setReadAhead(enabled) }
    public func releaseMemory() { builder.cache.database.releaseMemory() }
}
