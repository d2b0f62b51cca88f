import Synchronization

/// A point-in-time copy of a watcher's counters, for `/status` and `/metrics`.
public struct WatchStatistics: Sendable, Equatable {
    /// Raw inotify events read (or differences found by a poll scan).
    public var eventsRead: Int
    /// Batches delivered.
    public var batches: Int
    /// Times the kernel queue overflowed (IN_Q_OVERFLOW).
    public var overflows: Int
    /// Batches delivered with `needsRescan` set.
    public var rescans: Int
    /// Watches that could not be added (ENOSPC or the configured budget).
    public var failedWatches: Int
    /// inotify watches currently held.
    public var watchesActive: Int
    /// Subtrees currently served by polling instead of inotify.
    public var polledSubtrees: Int
}

/// Counters shared between the reader thread and readers of statistics.
final class WatchCounters: Sendable {
    private let values = Mutex(WatchStatistics(
        eventsRead: 0, batches: 0, overflows: 0, rescans: 0, failedWatches: 0, watchesActive: 0,
        polledSubtrees: 0))

    func add(_ counter: WritableKeyPath<WatchStatistics, Int>, _ amount: Int = 1) {
        values.withLock { $0[keyPath: counter] += amount }
    }

    func set(_ counter: WritableKeyPath<WatchStatistics, Int>, _ value: Int) {
        values.withLock { $0[keyPath: counter] = value }
    }

    var snapshot: WatchStatistics { values.withLock { $0 } }
}
