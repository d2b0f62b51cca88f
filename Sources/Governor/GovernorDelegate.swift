/// What the governor asks of the build engine and the daemon. Every method
/// has a default that does nothing, so an implementer provides only what it
/// owns. Calls arrive on the governor's sampling thread or on the thread that
/// called `sampleNow()`, serialised, in the order of the transitions; they
/// must not call back into `sampleNow()`.
public protocol GovernorDelegate: AnyObject, Sendable {
    /// New worker concurrency for dispatches from now on (running work is never interrupted).
    func setConcurrency(_ workers: Int)
    /// Budget of the in-memory cache tier as a fraction of its configured size (1 = full size).
    func shrinkMemoryCache(toFraction fraction: Double)
    /// Empty the in-memory cache tier (critical).
    func dropMemoryCache()
    /// Whether speculative read-ahead (prefetching sources, warming caches) may run.
    func setReadAhead(_ enabled: Bool)
    /// Whether new watch-triggered rebuilds must wait (critical).
    func setRebuildsPaused(_ paused: Bool)
    /// Release pools or buffers the implementer holds; the governor itself
    /// calls `malloc_trim(0)` afterwards.
    func releaseMemory()
}

extension GovernorDelegate {
    public func setConcurrency(_ workers: Int) {}
    public func shrinkMemoryCache(toFraction fraction: Double) {}
    public func dropMemoryCache() {}
    public func setReadAhead(_ enabled: Bool) {}
    public func setRebuildsPaused(_ paused: Bool) {}
    public func releaseMemory() {}
}
