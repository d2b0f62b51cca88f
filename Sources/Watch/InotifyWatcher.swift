import CInotify
import Foundation
import Glibc
import Synchronization

/// Watches directory trees with raw inotify and delivers settled batches.
///
/// New directories are watched first and scanned second, so files created in
/// them before the watch existed are reported too. Excluded paths and skipped
/// directories are never watched. Attribute-only changes (chmod, and `touch`
/// of an existing file) are not watched at all: they trigger nothing.
/// Subtrees for which no watch can be added (ENOSPC, or `watchBudget`) are
/// polled at `fallbackPollInterval`, after a rescan batch and a log line.
public final class InotifyWatcher: FileWatcher {
    private let configuration: WatchConfiguration
    private let roots: [String]
    private let filter: PathFilter
    private let counters = WatchCounters()
    private let lifecycle = Mutex<WatcherLifecycle>(.idle)
    private let fd: Int32

    /// Opens an inotify instance; throws if the kernel refuses one.
    public init(_ configuration: WatchConfiguration) throws {
        let fd = cinotify_init_nonblocking_cloexec()
        guard fd >= 0 else { throw WatchError.systemCall("inotify_init1", errno: errno) }
        self.fd = fd
        self.configuration = configuration
        self.roots = configuration.roots.map(PathFilter.absolute)
        self.filter = PathFilter(configuration)
    }

    deinit { close(fd) }

    public var statistics: WatchStatistics { counters.snapshot }

    public func start(
        _ deliver: @escaping @Sendable (WatchBatch) -> Void, finished: @escaping @Sendable () -> Void
    ) throws {
        for root in roots where !DirectoryListing.isDirectory(root) { throw WatchError.notADirectory(root) }
        let wake = try WakeSignal()
        let ready = DispatchSemaphore(value: 0)
        try lifecycle.withLock { state in
            guard case .idle = state else { throw WatchError.alreadyStarted }
            let thread = BackgroundThread(name: "unjucksd.watch.inotify") { [self] in
                let session = InotifySession(fd: fd, configuration: configuration, roots: roots,
                                             filter: filter, counters: counters)
                session.watchInitialTrees()
                ready.signal()
                session.run(wake: wake, deliver: deliver)
                finished()
            }
            state = .running(thread, wake)
        }
        ready.wait()
    }

    public func stop() {
        WatcherLifecycle.stop(lifecycle)
    }
}
