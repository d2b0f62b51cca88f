/// One sample of the figures the governor steers by.
public struct MemoryReading: Sendable, Equatable {
    /// Resident set size of this process, in bytes.
    public var residentBytes: UInt64
    /// The cgroup's memory limit, if it has one.
    public var cgroupLimitBytes: UInt64?
    /// The cgroup's current memory usage (includes page cache), if known.
    public var cgroupUsageBytes: UInt64?
    /// PSI `some avg10` for memory (percent of the last 10 s some task stalled), if the kernel reports it.
    public var pressureSomeAvg10: Double?

    public init(residentBytes: UInt64, cgroupLimitBytes: UInt64? = nil, cgroupUsageBytes: UInt64? = nil,
                pressureSomeAvg10: Double? = nil) {
        self.residentBytes = residentBytes
        self.cgroupLimitBytes = cgroupLimitBytes
        self.cgroupUsageBytes = cgroupUsageBytes
        self.pressureSomeAvg10 = pressureSomeAvg10
    }
}

/// Where memory figures come from: `/proc` in production, a simulation in tests.
public protocol MemorySource: Sendable {
    func read() -> MemoryReading
}
