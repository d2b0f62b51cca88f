import Foundation
import Glibc
import Synchronization

/// Keeps resident memory under a limit by throttling the process itself.
///
/// normal: full concurrency, full in-memory cache, read-ahead on.
/// elevated (>= 70% of the limit, or PSI some avg10 >= 10): half the workers,
/// half the in-memory cache, no read-ahead.
/// critical (>= 90%): one worker, in-memory cache dropped, freed memory given
/// back to the OS, watch-triggered rebuilds paused, `/ready` answers 503.
/// Leaving a state needs the figures to fall below a lower threshold
/// (see `GovernorThresholds`), so the state does not flap.
public final class MemoryGovernor: Sendable {
    /// A gate the worker pool can use directly; its limit follows the state.
    public let gate: ConcurrencyGate
    public let configuration: GovernorConfiguration
    /// The limit steered by (explicit, else 80% of the cgroup's, else none).
    public let limitBytes: UInt64?

    private let source: any MemorySource
    private let delegate: Mutex<(any GovernorDelegate)?>
    /// Serialises evaluation and the delegate calls that follow, so the
    /// delegate sees transitions in order.
    private let evaluation = Mutex<Void>(())
    private let current: Mutex<GovernorSnapshot>
    private let loop = Mutex<SamplingLoop?>(nil)

    public init(configuration: GovernorConfiguration, source: any MemorySource = ProcMemorySource(),
                delegate: (any GovernorDelegate)? = nil) {
        let first = source.read()
        let limit = GovernorConfiguration.effectiveLimit(explicit: configuration.memoryLimit,
                                                         cgroupLimit: first.cgroupLimitBytes)
        self.configuration = configuration
        self.source = source
        self.limitBytes = limit
        self.gate = ConcurrencyGate(limit: configuration.maxWorkers)
        self.delegate = Mutex(delegate)
        self.current = Mutex(GovernorSnapshot(
            state: .normal, residentBytes: first.residentBytes, limitBytes: limit,
            cgroupLimitBytes: first.cgroupLimitBytes, cgroupUsageBytes: first.cgroupUsageBytes,
            pressureSomeAvg10: first.pressureSomeAvg10,
            usageFraction: limit.map { Double(first.residentBytes) / Double(max($0, 1)) },
            concurrency: configuration.maxWorkers, maxWorkers: configuration.maxWorkers,
            memoryCacheFraction: 1, readAheadEnabled: true, rebuildsPaused: false, transitions: 0,
            lastTransitionReason: nil, lastTransitionAt: nil, samples: 0, sampledAt: nil))
    }

    /// Sets (or clears) the object that carries out the governor's decisions.
    public func setDelegate(_ delegate: (any GovernorDelegate)?) {
        self.delegate.withLock { $0 = delegate }
    }

    /// The latest state and figures.
    public var snapshot: GovernorSnapshot { current.withLock { $0 } }

    /// True while rebuilds triggered by file changes must wait.
    public var rebuildsPaused: Bool { current.withLock { $0.rebuildsPaused } }

    /// Samples the source now, moves to the state the figures call for and
    /// carries out its actions; returns the resulting snapshot. Cheap enough
    /// to call before dispatching each page (three small /proc reads).
    @discardableResult
    public func sampleNow() -> GovernorSnapshot {
        evaluation.withLock { _ in
            let reading = source.read()
            let usage = limitBytes.map { Double(reading.residentBytes) / Double(max($0, 1)) }
            let previous = current.withLock { $0.state }
            let thresholds = configuration.thresholds
            let target = thresholds.target(from: previous, usage: usage, pressure: reading.pressureSomeAvg10)
            let reason = target == previous ? nil
                : thresholds.reason(from: previous, to: target, usage: usage, pressure: reading.pressureSomeAvg10)
            let settings = Settings(for: target, maxWorkers: configuration.maxWorkers)
            let snapshot = current.withLock { snapshot in
                snapshot.residentBytes = reading.residentBytes
                snapshot.cgroupLimitBytes = reading.cgroupLimitBytes
                snapshot.cgroupUsageBytes = reading.cgroupUsageBytes
                snapshot.pressureSomeAvg10 = reading.pressureSomeAvg10
                snapshot.usageFraction = usage
                snapshot.samples += 1
                snapshot.sampledAt = .now
                if let reason {
                    snapshot.state = target
                    snapshot.transitions += 1
                    snapshot.lastTransitionReason = reason
                    snapshot.lastTransitionAt = Date()
                    snapshot.concurrency = settings.concurrency
                    snapshot.memoryCacheFraction = settings.memoryCacheFraction
                    snapshot.readAheadEnabled = settings.readAhead
                    snapshot.rebuildsPaused = settings.rebuildsPaused
                }
                return snapshot
            }
            if let reason {
                configuration.logger(
                    "governor: \(previous) -> \(target): \(reason) (rss \(ByteSize.format(reading.residentBytes)), "
                        + "limit \(limitBytes.map(ByteSize.format) ?? "none"), "
                        + "PSI some avg10 \(reading.pressureSomeAvg10.map { "\($0)" } ?? "n/a"); "
                        + "workers \(settings.concurrency)/\(configuration.maxWorkers))")
                apply(settings)
            }
            if target != .normal { trimIfDue() }
            return snapshot
        }
    }

    /// The latest snapshot if it is younger than `maxAge`, else a fresh
    /// `sampleNow()`. For hot paths (one call per page dispatched) where the
    /// background loop's figures are nearly always fresh enough.
    @discardableResult
    public func sample(ifOlderThan maxAge: Duration) -> GovernorSnapshot {
        let snapshot = snapshot
        if let sampledAt = snapshot.sampledAt, ContinuousClock.now - sampledAt < maxAge { return snapshot }
        return sampleNow()
    }

    /// Starts sampling every `configuration.sampleInterval` on a background thread.
    public func start() {
        loop.withLock { loop in
            guard loop == nil else { return }
            loop = SamplingLoop(interval: configuration.sampleInterval) { [self] in sampleNow() }
        }
    }

    /// Stops the sampling loop and waits for it to end; `start()` may follow.
    public func stop() {
        loop.withLock { loop in
            defer { loop = nil }
            return loop
        }?.stop()
    }

    /// Under pressure, heap freed since (pages parsed, rendered and written)
    /// is handed back to the OS every few samples: glibc keeps it otherwise,
    /// and it counts against the limit like memory in use.
    private func trimIfDue() {
        let due = lastTrim.withLock { last in
            let now = ContinuousClock.now
            guard last.map({ now - $0 >= Self.trimInterval }) ?? true else { return false }
            last = now
            return true
        }
        if due { MallocTrim.trim() }
    }

    private static let trimInterval: Duration = .milliseconds(250)
    private let lastTrim = Mutex<ContinuousClock.Instant?>(nil)

    private func apply(_ settings: Settings) {
        gate.setLimit(settings.concurrency)
        let delegate = delegate.withLock { $0 }
        delegate?.setConcurrency(settings.concurrency)
        delegate?.setReadAhead(settings.readAhead)
        if settings.memoryCacheFraction == 0 {
            delegate?.dropMemoryCache()
            delegate?.releaseMemory()
            MallocTrim.trim()
        } else {
            delegate?.shrinkMemoryCache(toFraction: settings.memoryCacheFraction)
        }
        delegate?.setRebuildsPaused(settings.rebuildsPaused)
    }
}

/// What each state grants.
struct Settings: Equatable {
    let concurrency: Int
    let memoryCacheFraction: Double
    let readAhead: Bool
    let rebuildsPaused: Bool

    init(for state: MemoryPressureState, maxWorkers: Int) {
        switch state {
        case .normal:
            (concurrency, memoryCacheFraction, readAhead, rebuildsPaused) = (maxWorkers, 1, true, false)
        case .elevated:
            (concurrency, memoryCacheFraction, readAhead, rebuildsPaused) = (max(1, maxWorkers / 2), 0.5, false, false)
        case .critical:
            (concurrency, memoryCacheFraction, readAhead, rebuildsPaused) = (1, 0, false, true)
        }
    }
}
