/// Accumulates changes until the settle window closes; "last event wins" per path.
struct PendingBatch {
    private enum Change { case changed, removed }

    private var changes: [String: Change] = [:]
    private(set) var needsRescan = false
    private(set) var firstEventTime: ContinuousClock.Instant?
    private(set) var lastEventTime: ContinuousClock.Instant?
    private(set) var eventCount = 0

    var isEmpty: Bool { changes.isEmpty && !needsRescan }

    /// Marks the time of an event (also for events that add no path, so that
    /// a burst keeps the window open while it lasts).
    mutating func noteEvent(at time: ContinuousClock.Instant) {
        if firstEventTime == nil { firstEventTime = time }
        lastEventTime = time
        eventCount += 1
    }

    mutating func markChanged(_ path: String) { changes[path] = .changed }
    mutating func markRemoved(_ path: String) { changes[path] = .removed }
    mutating func requestRescan() { needsRescan = true }

    /// The moment the batch should be flushed: `settle` after the last event,
    /// but never later than `maxDelay` after the first (a never-ending stream
    /// of writes must not starve the consumer).
    func deadline(settle: Duration, maxDelay: Duration) -> ContinuousClock.Instant? {
        guard let first = firstEventTime, let last = lastEventTime else { return nil }
        return min(last + settle, first + maxDelay)
    }

    /// Empties the accumulator and returns what it held.
    mutating func take() -> WatchBatch {
        var batch = WatchBatch(needsRescan: needsRescan, firstEventTime: firstEventTime ?? .now,
                               eventCount: eventCount)
        for (path, change) in changes {
            switch change {
            case .changed: batch.changed.insert(path)
            case .removed: batch.removed.insert(path)
            }
        }
        self = PendingBatch()
        return batch
    }
}
