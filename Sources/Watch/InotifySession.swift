import CInotify
import Foundation
import Glibc

/// The inotify reader's state; lives on (and is only touched by) the reader thread.
///
/// It keeps the watch descriptor <-> directory maps and the names of the files
/// in each watched directory, so that a directory moved away or deleted can be
/// reported as the removal of every file it held.
final class InotifySession {
    private static let watchMask: UInt32 = flags(
        IN_CREATE, IN_DELETE, IN_MODIFY, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO,
        IN_DELETE_SELF, IN_MOVE_SELF, IN_ONLYDIR, IN_DONT_FOLLOW, IN_EXCL_UNLINK)

    private let fd: Int32
    private let configuration: WatchConfiguration
    private let roots: [String]
    private let filter: PathFilter
    private let counters: WatchCounters

    private var pathByWatch: [Int32: String] = [:]
    private var watchByPath: [String: Int32] = [:]
    private var filesByDirectory: [String: Set<String>] = [:]
    /// Subtrees inotify could not serve, with their last scan.
    private var polledSubtrees: [String: DirectorySnapshot] = [:]
    private var nextPoll: ContinuousClock.Instant?
    private var hasLoggedWatchLimit = false
    /// When a watch was last refused, and how many were held then: polled
    /// subtrees are moved back to inotify once watches were freed, or after
    /// `retryRefusedWatchesAfter` (the kernel limit is shared by all processes).
    private var lastRefusal: (time: ContinuousClock.Instant, watchesHeld: Int)?
    /// While moving polled subtrees back, a refusal is expected and not news.
    private var isRetryingRefusedWatches = false
    private static let retryRefusedWatchesAfter: Duration = .seconds(10)
    private var pending = PendingBatch()

    init(fd: Int32, configuration: WatchConfiguration, roots: [String], filter: PathFilter,
         counters: WatchCounters) {
        self.fd = fd
        self.configuration = configuration
        self.roots = roots
        self.filter = filter
        self.counters = counters
    }

    /// Watches every root recursively (reporting nothing for what already exists).
    func watchInitialTrees() {
        for root in roots { addTree(root, report: false) }
    }

    /// Reads events until `wake` fires; then delivers what is still pending.
    func run(wake: WakeSignal, deliver: (WatchBatch) -> Void) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let now = ContinuousClock.now
            var deadline = pending.deadline(settle: configuration.settleWindow,
                                            maxDelay: configuration.maxBatchDelay)
            if !polledSubtrees.isEmpty {
                let poll = nextPoll ?? now + configuration.fallbackPollInterval
                nextPoll = poll
                deadline = deadline.map { min($0, poll) } ?? poll
            }
            guard let ready = waitReadable([fd], wake: wake, timeout: deadline.map { $0 - now }) else { break }
            if !ready.isEmpty { readAvailable(into: buffer) }
            if let poll = nextPoll, ContinuousClock.now >= poll {
                scanPolledSubtrees()
                nextPoll = polledSubtrees.isEmpty ? nil : ContinuousClock.now + configuration.fallbackPollInterval
            }
            if let due = pending.deadline(settle: configuration.settleWindow, maxDelay: configuration.maxBatchDelay),
               ContinuousClock.now >= due {
                flush(deliver)
            }
        }
        readAvailable(into: buffer)
        if !pending.isEmpty { flush(deliver) }
    }

    // MARK: Reading

    /// Reads what the kernel has queued, at most 16 buffers at a time so a
    /// writer faster than the reader cannot keep batches from being flushed.
    private func readAvailable(into buffer: UnsafeMutableRawBufferPointer) {
        for _ in 0..<16 {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count <= 0 { return }  // EAGAIN: drained (the fd is non-blocking)
            let readAt = ContinuousClock.now
            for event in InotifyEvent.decode(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) {
                counters.add(\.eventsRead)
                handle(event, at: readAt)
            }
        }
    }

    private func flush(_ deliver: (WatchBatch) -> Void) {
        let batch = pending.take()
        counters.add(\.batches)
        if batch.needsRescan { counters.add(\.rescans) }
        deliver(batch)
    }

    // MARK: Events

    private func handle(_ event: InotifyEvent, at time: ContinuousClock.Instant) {
        if event.has(IN_Q_OVERFLOW) { return recoverFromOverflow(at: time) }
        if event.has(IN_IGNORED) { return forgetWatch(event.watchDescriptor) }
        guard let directory = pathByWatch[event.watchDescriptor] else { return }
        if event.name.isEmpty {
            if roots.contains(directory), event.has(IN_DELETE_SELF) || event.has(IN_MOVE_SELF) {
                configuration.logger("watch: root \(directory) was removed or moved; asking for a rescan")
                pending.noteEvent(at: time)
                pending.requestRescan()
            }
            return
        }
        let path = directory + "/" + event.name
        if event.isDirectory {
            guard !filter.skipsDirectory(named: Substring(event.name), at: path) else { return }
            if event.has(IN_CREATE) || event.has(IN_MOVED_TO) {
                pending.noteEvent(at: time)
                addTree(path, report: true)
            } else if event.has(IN_DELETE) || event.has(IN_MOVED_FROM) {
                pending.noteEvent(at: time)
                removeTree(path, report: true)
            }
            return
        }
        guard !filter.excludes(path) else { return }
        if event.has(IN_CREATE) || event.has(IN_MOVED_TO) || event.has(IN_MODIFY) || event.has(IN_CLOSE_WRITE) {
            filesByDirectory[directory, default: []].insert(event.name)
            pending.noteEvent(at: time)
            pending.markChanged(path)
        } else if event.has(IN_DELETE) || event.has(IN_MOVED_FROM) {
            filesByDirectory[directory]?.remove(event.name)
            pending.noteEvent(at: time)
            pending.markRemoved(path)
        }
    }

    /// The kernel dropped events: ask the consumer to rescan, and refresh our
    /// own picture (vanished directories, directories we never saw created).
    private func recoverFromOverflow(at time: ContinuousClock.Instant) {
        counters.add(\.overflows)
        pending.noteEvent(at: time)
        pending.requestRescan()
        configuration.logger(
            "watch: inotify event queue overflowed, events were lost; asking for a full rescan. "
                + "Raise the queue length: sysctl fs.inotify.max_queued_events=\(Self.suggestedLimit("max_queued_events"))")
        for path in watchByPath.keys where !DirectoryListing.isDirectory(path) { removeTree(path, report: false) }
        for root in roots { addTree(root, report: false) }
    }

    // MARK: Watches

    /// Watches `top` and every directory below it, watch first and scan second,
    /// so that files created before the watch existed are still seen.
    private func addTree(_ top: String, report: Bool) {
        var stack = [top]
        while let directory = stack.popLast() {
            if isPolled(directory) || !addWatch(directory, report: report) { continue }
            guard let entries = DirectoryListing.entries(of: directory) else { continue }
            var files = Set<String>()
            for entry in entries {
                let path = directory + "/" + entry.name
                if entry.isDirectory {
                    if !filter.skipsDirectory(named: Substring(entry.name), at: path) { stack.append(path) }
                } else if !filter.excludes(path) {
                    files.insert(entry.name)
                    if report { pending.markChanged(path) }
                }
            }
            filesByDirectory[directory] = files
        }
    }

    /// Adds one watch; false if the directory is gone or handed to polling.
    private func addWatch(_ directory: String, report: Bool) -> Bool {
        if let budget = configuration.watchBudget, watchByPath[directory] == nil, watchByPath.count >= budget {
            fallBackToPolling(directory, reason: "the configured budget of \(budget) watches is used up", report: report)
            return false
        }
        let wd = inotify_add_watch(fd, directory, Self.watchMask)
        guard wd >= 0 else {
            let code = errno
            switch code {
            case ENOSPC, ENOMEM:
                fallBackToPolling(directory, reason: String(cString: strerror(code)), report: report)
            case ENOENT, ENOTDIR:
                break  // vanished before we got to it; its parent reports the removal
            default:
                configuration.logger("watch: cannot watch \(directory): \(String(cString: strerror(code)))")
            }
            return false
        }
        if let previous = pathByWatch[wd], previous != directory {
            // The same directory under an old name whose move we never saw.
            removeTree(previous, report: true, keeping: wd)
        }
        pathByWatch[wd] = directory
        watchByPath[directory] = wd
        counters.set(\.watchesActive, watchByPath.count)
        return true
    }

    /// Forgets `directory` and everything below it, reporting its files as removed.
    private func removeTree(_ directory: String, report: Bool, keeping kept: Int32? = nil) {
        let prefix = directory + "/"
        for (path, wd) in watchByPath where path == directory || path.hasPrefix(prefix) {
            if report {
                for name in filesByDirectory[path] ?? [] { pending.markRemoved(path + "/" + name) }
            }
            if wd != kept {
                inotify_rm_watch(fd, wd)
                pathByWatch[wd] = nil
            }
            watchByPath[path] = nil
            filesByDirectory[path] = nil
        }
        for (root, snapshot) in polledSubtrees where root == directory || root.hasPrefix(prefix) {
            if report { for path in snapshot.files.keys { pending.markRemoved(path) } }
            polledSubtrees[root] = nil
        }
        counters.set(\.watchesActive, watchByPath.count)
        counters.set(\.polledSubtrees, polledSubtrees.count)
    }

    /// The kernel dropped a watch (its directory was deleted).
    private func forgetWatch(_ wd: Int32) {
        guard let path = pathByWatch.removeValue(forKey: wd) else { return }
        if watchByPath[path] == wd {
            watchByPath[path] = nil
            filesByDirectory[path] = nil
        }
        counters.set(\.watchesActive, watchByPath.count)
    }

    // MARK: Polling fallback

    private func isPolled(_ directory: String) -> Bool {
        polledSubtrees.keys.contains { directory == $0 || directory.hasPrefix($0 + "/") }
    }

    /// inotify cannot serve `directory`: never silent. Count it, log the fix
    /// once, ask the consumer for a rescan and poll the subtree from now on.
    private func fallBackToPolling(_ directory: String, reason: String, report: Bool) {
        let snapshot = DirectorySnapshot.scan(directory, filter: filter)
        if report { for path in snapshot.files.keys { pending.markChanged(path) } }
        polledSubtrees[directory] = snapshot
        counters.set(\.polledSubtrees, polledSubtrees.count)
        lastRefusal = (.now, watchByPath.count)
        guard !isRetryingRefusedWatches else { return }
        counters.add(\.failedWatches)
        pending.noteEvent(at: .now)
        pending.requestRescan()
        if !hasLoggedWatchLimit {
            hasLoggedWatchLimit = true
            configuration.logger(
                "watch: cannot add an inotify watch for \(directory) (\(reason)); polling that subtree every "
                    + "\(configuration.fallbackPollInterval) instead. Raise the limit: "
                    + "sysctl fs.inotify.max_user_watches=\(Self.suggestedLimit("max_user_watches"))")
        }
    }

    /// Moves polled subtrees back to inotify when watches may be available
    /// again. Watches first, then a scan diffed against the last poll, so no
    /// change in between is lost.
    private func retryRefusedWatches() {
        guard let refusal = lastRefusal, !polledSubtrees.isEmpty,
              watchByPath.count < refusal.watchesHeld
                || ContinuousClock.now - refusal.time >= Self.retryRefusedWatchesAfter
        else { return }
        lastRefusal = nil
        isRetryingRefusedWatches = true
        defer { isRetryingRefusedWatches = false }
        let now = ContinuousClock.now
        for (root, previous) in polledSubtrees.sorted(by: { $0.key < $1.key }) {
            if lastRefusal != nil { break }  // refused again: the rest stays polled
            polledSubtrees[root] = nil
            addTree(root, report: false)
            let differences = DirectorySnapshot.scan(root, filter: filter).differences(from: previous, into: &pending)
            for _ in 0..<differences { pending.noteEvent(at: now) }
        }
        counters.set(\.polledSubtrees, polledSubtrees.count)
    }

    private func scanPolledSubtrees() {
        retryRefusedWatches()
        let now = ContinuousClock.now
        for (root, previous) in polledSubtrees {
            let current = DirectorySnapshot.scan(root, filter: filter)
            let differences = current.differences(from: previous, into: &pending)
            for _ in 0..<differences { pending.noteEvent(at: now) }
            polledSubtrees[root] = DirectoryListing.isDirectory(root) ? current : nil
        }
        counters.set(\.polledSubtrees, polledSubtrees.count)
    }

    // MARK: Helpers

    private static func flags(_ values: Int32...) -> UInt32 {
        values.reduce(0) { $0 | UInt32(bitPattern: $1) }
    }

    /// The current value of /proc/sys/fs/inotify/NAME.
    static func currentLimit(_ name: String) -> Int? {
        (try? String(contentsOfFile: "/proc/sys/fs/inotify/" + name, encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Twice the current value of /proc/sys/fs/inotify/NAME (or a sane figure).
    static func suggestedLimit(_ name: String) -> Int {
        max(524_288, (currentLimit(name) ?? 0) * 2)
    }
}
