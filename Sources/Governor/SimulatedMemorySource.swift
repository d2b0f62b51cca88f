import Synchronization

/// A memory source whose figures are set by hand (tests, dry runs).
public final class SimulatedMemorySource: MemorySource {
    private let reading: Mutex<MemoryReading>

    public init(_ initial: MemoryReading = MemoryReading(residentBytes: 0)) {
        reading = Mutex(initial)
    }

    public func read() -> MemoryReading { reading.withLock { $0 } }

    /// Replaces the whole reading.
    public func set(_ newReading: MemoryReading) { reading.withLock { $0 = newReading } }

    /// Changes the resident size only.
    public func setResident(_ bytes: UInt64) { reading.withLock { $0.residentBytes = bytes } }

    /// Changes the PSI figure only.
    public func setPressure(_ someAvg10: Double?) { reading.withLock { $0.pressureSomeAvg10 = someAvg10 } }
}
