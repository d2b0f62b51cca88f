import Synchronization
@testable import Governor

/// Records every call the governor makes, in order.
final class RecordingDelegate: GovernorDelegate {
    enum Call: Equatable {
        case concurrency(Int), shrink(Double), drop, readAhead(Bool), paused(Bool), release
    }

    private let calls = Mutex<[Call]>([])
    var all: [Call] { calls.withLock { $0 } }
    func reset() { calls.withLock { $0.removeAll() } }

    func setConcurrency(_ workers: Int) { calls.withLock { $0.append(.concurrency(workers)) } }
    func shrinkMemoryCache(toFraction fraction: Double) { calls.withLock { $0.append(.shrink(fraction)) } }
    func dropMemoryCache() { calls.withLock { $0.append(.drop) } }
    func setReadAhead(_ enabled: Bool) { calls.withLock { $0.append(.readAhead(enabled)) } }
    func setRebuildsPaused(_ paused: Bool) { calls.withLock { $0.append(.paused(paused)) } }
    func releaseMemory() { calls.withLock { $0.append(.release) } }
}

final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var logger: GovernorLogger { { [self] line in lines.withLock { $0.append(line) } } }
}

let mebibyte: UInt64 = 1024 * 1024

/// A governor with a 1000 MiB limit, 8 workers, over a simulated source.
struct GovernorRig {
    let source = SimulatedMemorySource()
    let delegate = RecordingDelegate()
    let logs = LogLines()
    let governor: MemoryGovernor

    init(limit: UInt64? = 1000 * mebibyte, cgroupLimit: UInt64? = nil, maxWorkers: Int = 8) {
        source.set(MemoryReading(residentBytes: 100 * mebibyte, cgroupLimitBytes: cgroupLimit))
        governor = MemoryGovernor(
            configuration: GovernorConfiguration(maxWorkers: maxWorkers, memoryLimit: limit,
                                                 sampleInterval: .milliseconds(10), logger: logs.logger),
            source: source, delegate: delegate)
    }

    /// Sets resident memory to `percent` of 1000 MiB and samples.
    @discardableResult
    func sample(percent: UInt64, pressure: Double? = nil) -> GovernorSnapshot {
        source.setResident(percent * 10 * mebibyte)
        source.setPressure(pressure)
        return governor.sampleNow()
    }
}
