/// A running source of `WatchBatch`es for a set of directory trees.
public protocol FileWatcher: AnyObject, Sendable {
    /// Scans the roots, installs the watches, then returns; from then on every
    /// change is delivered to `deliver` on the watcher's own background thread,
    /// one batch at a time; `finished` runs once on that thread after the
    /// last batch. Throws if the roots cannot be watched at all.
    func start(
        _ deliver: @escaping @Sendable (WatchBatch) -> Void, finished: @escaping @Sendable () -> Void
    ) throws
    /// Stops watching and joins the background thread. A batch still settling
    /// is delivered before `stop` returns; none is delivered after. Safe to
    /// call more than once, and from inside `deliver`.
    func stop()
    /// Current counters.
    var statistics: WatchStatistics { get }
}

extension FileWatcher {
    /// `start(_:finished:)` without a completion hook.
    public func start(_ deliver: @escaping @Sendable (WatchBatch) -> Void) throws {
        try start(deliver, finished: {})
    }

    /// Starts the watcher and returns its batches as an async sequence; the
    /// stream finishes when `stop()` is called.
    public func batches() throws -> AsyncStream<WatchBatch> {
        let (stream, continuation) = AsyncStream.makeStream(of: WatchBatch.self)
        try start({ continuation.yield($0) }, finished: { continuation.finish() })
        continuation.onTermination = { [weak self] _ in self?.stop() }
        return stream
    }
}

/// Builds the watcher the configuration asks for.
///
/// ```swift
/// let watcher = Watcher.make(WatchConfiguration(
///     roots: [siteRoot], excludedPaths: [outputDirectory], logger: { log.warning($0) }))
/// try watcher.start { batch in
///     if batch.needsRescan { engine.rebuildEverythingThatDiffers() }
///     else { engine.rebuild(changed: batch.changed, removed: batch.removed) }
/// }
/// // ... on shutdown:
/// watcher.stop()
/// ```
/// Start the watcher before the first full build, so nothing edited during
/// that build is missed.
public enum Watcher {
    /// An inotify watcher, or a polling one for `.poll(interval:)`. If inotify
    /// itself is unavailable (`inotify_init1` fails, e.g. EMFILE from
    /// `max_user_instances`), logs why and falls back to polling at
    /// `fallbackPollInterval`.
    public static func make(_ configuration: WatchConfiguration) -> any FileWatcher {
        switch configuration.mode {
        case .poll(let interval):
            return PollingWatcher(configuration, interval: interval)
        case .inotify:
            do {
                return try InotifyWatcher(configuration)
            } catch {
                configuration.logger(
                    "watch: inotify unavailable (\(error)); polling every \(configuration.fallbackPollInterval). "
                        + "Raise the limit with: sysctl fs.inotify.max_user_instances=1024")
                return PollingWatcher(configuration, interval: configuration.fallbackPollInterval)
            }
        }
    }
}
