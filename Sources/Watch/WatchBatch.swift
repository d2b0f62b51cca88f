/// One settled group of file-system changes, delivered after the settle window.
///
/// Within a batch every path appears at most once, in `changed` or in
/// `removed`: the last thing that happened to it during the window wins.
/// A file created and then removed inside one window is reported as
/// `removed` (the consumer deletes what it may have and otherwise ignores it);
/// a file removed and then created again is reported as `changed`.
/// Renames report the old path in `removed` and the new one in `changed`.
/// Paths are absolute file paths; directories are never listed themselves,
/// only the files inside them.
public struct WatchBatch: Sendable, Equatable {
    /// Files that were written, created, or moved into the tree.
    public var changed: Set<String>
    /// Files that were deleted or moved out of (or away within) the tree.
    public var removed: Set<String>
    /// Events may have been lost (queue overflow, a watch that could not be
    /// added, a watched root that vanished): the consumer must diff the whole
    /// tree against its stored state. `changed`/`removed` still hold what was seen.
    public var needsRescan: Bool
    /// When the first event of this batch was read (for latency metrics).
    public var firstEventTime: ContinuousClock.Instant
    /// How many raw events (or poll differences) were folded into this batch.
    public var eventCount: Int

    public init(
        changed: Set<String> = [], removed: Set<String> = [], needsRescan: Bool = false,
        firstEventTime: ContinuousClock.Instant = .now, eventCount: Int = 0
    ) {
        self.changed = changed
        self.removed = removed
        self.needsRescan = needsRescan
        self.firstEventTime = firstEventTime
        self.eventCount = eventCount
    }

    /// True when the batch carries neither paths nor a rescan request.
    public var isEmpty: Bool { changed.isEmpty && removed.isEmpty && !needsRescan }
}
