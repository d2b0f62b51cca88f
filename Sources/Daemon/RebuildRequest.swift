import Foundation

/// What a rebuild is asked to cover. Requests that arrive while a rebuild
/// runs are merged into one, which runs right after it.
public struct RebuildRequest: Sendable, Equatable {
    /// Why a build runs; shown in `/status` and the log.
    public enum Trigger: String, Sendable, Codable {
        case initial, watch, rescan, manual
    }

    /// Absolute paths written, created or moved in.
    public var changed: Set<String> = []
    /// Absolute paths deleted or moved away.
    public var removed: Set<String> = []
    /// Build every site (first build, `POST /api/build`, lost events).
    public var everything = false
    /// Events were lost or a root vanished: sites may have appeared or gone.
    public var rescan = false
    /// Asked for by a person (`POST /api/build`): runs even while the
    /// governor pauses watch-triggered rebuilds.
    public var manual = false
    public var trigger: Trigger = .watch
    /// When the first event behind this request happened (latency figures).
    public var firstEvent: ContinuousClock.Instant?

    public init(trigger: Trigger = .watch) {
        self.trigger = trigger
        switch trigger {
        case .initial, .manual: everything = true
        case .rescan: everything = true; rescan = true
        case .watch: break
        }
        manual = trigger == .manual || trigger == .initial
    }

    /// Folds a later request into this one.
    mutating func merge(_ other: RebuildRequest) {
        for path in other.changed {
            changed.insert(path)
            removed.remove(path)
        }
        for path in other.removed {
            removed.insert(path)
            changed.remove(path)
        }
        everything = everything || other.everything
        rescan = rescan || other.rescan
        manual = manual || other.manual
        if trigger == .watch { trigger = other.trigger }
        if let time = other.firstEvent, firstEvent.map({ time < $0 }) ?? true { firstEvent = time }
    }
}
