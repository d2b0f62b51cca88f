import Synchronization

/// Detects changes by scanning the trees every `interval` and comparing
/// size/mtime/inode snapshots. For network and VM mounts where inotify sees
/// nothing. Each scan that finds differences becomes one batch.
///
/// Limitation: two same-size writes within one mtime tick of the file system
/// are indistinguishable to a scan.
public final class PollingWatcher: FileWatcher {
    private let configuration: WatchConfiguration
    private let roots: [String]
    private let filter: PathFilter
    private let interval: Duration
    private let counters = WatchCounters()
    private let lifecycle = Mutex<WatcherLifecycle>(.idle)

    /// A watcher for `configuration.roots` scanning every `interval`.
    public init(_ configuration: WatchConfiguration, interval: Duration) {
        self.configuration = configuration
        self.roots = configuration.roots.map(PathFilter.absolute)
        self.filter = PathFilter(configuration)
        self.interval = interval
    }

    public var statistics: WatchStatistics { counters.snapshot }

    public func start(
        _ deliver: @escaping @Sendable (WatchBatch) -> Void, finished: @escaping @Sendable () -> Void
    ) throws {
        for root in roots where !DirectoryListing.isDirectory(root) { throw WatchError.notADirectory(root) }
        let wake = try WakeSignal()
        let initial = roots.map { DirectorySnapshot.scan($0, filter: filter) }
        counters.set(\.polledSubtrees, roots.count)
        try lifecycle.withLock { state in
            guard case .idle = state else { throw WatchError.alreadyStarted }
            let thread = BackgroundThread(name: "unjucksd.watch.poll") { [self] in
                run(snapshots: initial, wake: wake, deliver: deliver)
                finished()
            }
            state = .running(thread, wake)
        }
    }

    public func stop() {
        WatcherLifecycle.stop(lifecycle)
    }

    private func run(snapshots initial: [DirectorySnapshot], wake: WakeSignal,
                     deliver: @Sendable (WatchBatch) -> Void) {
        var snapshots = initial
        while waitReadable([], wake: wake, timeout: interval) != nil {
            var pending = PendingBatch()
            let scannedAt = ContinuousClock.now
            for (index, root) in roots.enumerated() {
                let current = DirectorySnapshot.scan(root, filter: filter)
                let count = current.differences(from: snapshots[index], into: &pending)
                for _ in 0..<count { pending.noteEvent(at: scannedAt) }
                snapshots[index] = current
            }
            guard !pending.isEmpty else { continue }
            counters.add(\.eventsRead, pending.eventCount)
            counters.add(\.batches)
            deliver(pending.take())
        }
    }
}

/// Start/stop state shared by both watchers.
enum WatcherLifecycle {
    case idle
    case running(BackgroundThread, WakeSignal)
    case stopped(BackgroundThread?)

    /// Moves to `.stopped`, wakes the thread and joins it (outside the lock);
    /// every caller of `stop` returns only after the thread has ended.
    static func stop(_ lifecycle: borrowing Mutex<WatcherLifecycle>) {
        let thread: BackgroundThread? = lifecycle.withLock { state in
            switch state {
            case .idle:
                state = .stopped(nil)
                return nil
            case .running(let thread, let wake):
                state = .stopped(thread)
                wake.signal()
                return thread
            case .stopped(let thread):
                return thread
            }
        }
        thread?.join()
    }
}
