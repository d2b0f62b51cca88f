import Foundation

/// Feeds changed output pages into the search index on its own queue, so a
/// rebuild of thousands of pages does not hold up the next rebuild (search
/// results follow a moment later). Stopping drops work not yet done.
final class SearchIndexer: @unchecked Sendable {
    private let index: SearchIndex
    private let queue = DispatchQueue(label: "unjucksd.search-index", qos: .utility)
    private let condition = NSCondition()
    private var pending = 0
    private var stopped = false

    init(index: SearchIndex) {
        self.index = index
    }

    /// Indexes `changed` and unindexes `removed` outputs (paths relative to `directory`) of `site`.
    func enqueue(site: String, directory: String, changed: [String], removed: [String]) {
        let pages = changed.filter { $0.hasSuffix(".html") || $0.hasSuffix(".htm") }
        let gone = removed.filter { $0.hasSuffix(".html") || $0.hasSuffix(".htm") }
        guard !pages.isEmpty || !gone.isEmpty else { return }
        let accepted = condition.withLock { () -> Bool in
            guard !stopped else { return false }
            pending += 1
            return true
        }
        guard accepted else { return }
        queue.async { [self] in
            for path in gone { index.remove(site: site, path: OutputTracker.url(forOutput: path)) }
            for path in pages {
                if condition.withLock({ stopped }) { break }
                guard let data = FileManager.default.contents(atPath: directory + "/" + path) else { continue }
                index.update(site: site, path: OutputTracker.url(forOutput: path), html: [UInt8](data))
            }
            condition.withLock {
                pending -= 1
                condition.broadcast()
            }
        }
    }

    /// Drops the index of a site that is gone (after work queued before).
    func removeSite(_ site: String) {
        queue.async { [index] in index.removeSite(site) }
    }

    /// True when no indexing work waits or runs.
    var isIdle: Bool { condition.withLock { pending == 0 } }

    /// Waits until the queued work is done; false on timeout.
    func waitUntilIdle(deadline: Date) -> Bool {
        condition.withLock {
            while pending > 0 {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Stops indexing: work not started is skipped, a page being indexed finishes.
    func stop() {
        condition.withLock { stopped = true }
        _ = waitUntilIdle(deadline: Date().addingTimeInterval(10))
    }
}
