import Foundation

/// The governor's state and figures, for `/status`, `/ready` and metrics.
public struct GovernorSnapshot: Sendable, Equatable {
    public var state: MemoryPressureState
    /// Last sampled resident size.
    public var residentBytes: UInt64
    /// The limit steered by (nil: none, only pressure counts).
    public var limitBytes: UInt64?
    public var cgroupLimitBytes: UInt64?
    public var cgroupUsageBytes: UInt64?
    public var pressureSomeAvg10: Double?
    /// Resident / limit, when there is a limit.
    public var usageFraction: Double?
    /// Worker concurrency currently granted, and the configured maximum.
    public var concurrency: Int
    public var maxWorkers: Int
    /// Fraction of the in-memory cache budget granted (0 when dropped).
    public var memoryCacheFraction: Double
    public var readAheadEnabled: Bool
    public var rebuildsPaused: Bool
    public var transitions: Int
    public var lastTransitionReason: String?
    public var lastTransitionAt: Date?
    public var samples: Int
    /// When the figures were last sampled (nil: only the reading taken at init).
    public var sampledAt: ContinuousClock.Instant?

    /// False while critical: `/ready` answers 503.
    public var allowsReadiness: Bool { state != .critical }
}
