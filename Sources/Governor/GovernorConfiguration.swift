/// A caller-supplied sink for the governor's log lines (one per transition).
public typealias GovernorLogger = @Sendable (String) -> Void

/// How the governor steers.
public struct GovernorConfiguration: Sendable {
    /// Worker concurrency in the normal state (`--jobs`).
    public var maxWorkers: Int
    /// `--memory-limit` in bytes; nil: 80% of the cgroup limit where there is one, else none.
    public var memoryLimit: UInt64?
    public var thresholds: GovernorThresholds
    /// Period of the background sampling loop.
    public var sampleInterval: Duration
    public var logger: GovernorLogger

    public init(maxWorkers: Int, memoryLimit: UInt64? = nil, thresholds: GovernorThresholds = .init(),
                sampleInterval: Duration = .milliseconds(75), logger: @escaping GovernorLogger = { _ in }) {
        self.maxWorkers = max(1, maxWorkers)
        self.memoryLimit = memoryLimit
        self.thresholds = thresholds
        self.sampleInterval = sampleInterval
        self.logger = logger
    }

    /// The limit to steer by: the explicit one, else 80% of the cgroup limit, else none.
    public static func effectiveLimit(explicit: UInt64?, cgroupLimit: UInt64?) -> UInt64? {
        explicit ?? cgroupLimit.map { $0 / 5 * 4 }
    }
}
