import Foundation
import Testing
@testable import Governor

@Suite("MemoryGovernor driven by a simulated source")
struct MemoryGovernorTests {
    @Test func statesChangeAtTheThresholds() {
        let rig = GovernorRig()
        #expect(rig.sample(percent: 69).state == .normal)
        #expect(rig.sample(percent: 70).state == .elevated)
        #expect(rig.sample(percent: 89).state == .elevated)
        #expect(rig.sample(percent: 90).state == .critical)
        #expect(rig.sample(percent: 80).state == .critical)
        #expect(rig.sample(percent: 79).state == .elevated)
        #expect(rig.sample(percent: 60).state == .elevated)
        #expect(rig.sample(percent: 59).state == .normal)
        #expect(rig.governor.snapshot.transitions == 4)
    }

    @Test func hoveringAroundSeventyPercentDoesNotFlap() {
        let rig = GovernorRig()
        rig.sample(percent: 71)
        for percent: UInt64 in [69, 71, 68, 72, 65, 70, 61, 69] {
            #expect(rig.sample(percent: percent).state == .elevated)
        }
        #expect(rig.governor.snapshot.transitions == 1)
        rig.sample(percent: 59)
        for percent: UInt64 in [61, 65, 69, 60] {
            #expect(rig.sample(percent: percent).state == .normal)
        }
        #expect(rig.governor.snapshot.transitions == 2)
    }

    @Test func criticalCanBeEnteredAndLeftDirectly() {
        let rig = GovernorRig()
        #expect(rig.sample(percent: 95).state == .critical)
        #expect(rig.sample(percent: 30).state == .normal)
        #expect(rig.governor.snapshot.transitions == 2)
    }

    @Test func eachStateGrantsItsConcurrencyAndCache() {
        let rig = GovernorRig(maxWorkers: 8)
        let normal = rig.sample(percent: 10)
        #expect(normal.concurrency == 8 && normal.memoryCacheFraction == 1 && normal.readAheadEnabled)
        #expect(rig.delegate.all.isEmpty)  // no transition, no calls

        let elevated = rig.sample(percent: 75)
        #expect(elevated.concurrency == 4 && elevated.memoryCacheFraction == 0.5 && !elevated.readAheadEnabled)
        #expect(rig.governor.gate.snapshot.limit == 4)
        #expect(rig.delegate.all == [.concurrency(4), .readAhead(false), .shrink(0.5), .paused(false)])

        rig.delegate.reset()
        let critical = rig.sample(percent: 92)
        #expect(critical.concurrency == 1 && critical.memoryCacheFraction == 0 && critical.rebuildsPaused)
        #expect(rig.governor.gate.snapshot.limit == 1)
        #expect(rig.delegate.all == [.concurrency(1), .readAhead(false), .drop, .release, .paused(true)])

        rig.delegate.reset()
        rig.sample(percent: 75)
        #expect(rig.delegate.all == [.concurrency(4), .readAhead(false), .shrink(0.5), .paused(false)])

        rig.delegate.reset()
        let restored = rig.sample(percent: 20)
        #expect(restored.concurrency == 8 && restored.memoryCacheFraction == 1 && restored.readAheadEnabled)
        #expect(rig.governor.gate.snapshot.limit == 8)
        #expect(rig.delegate.all == [.concurrency(8), .readAhead(true), .shrink(1), .paused(false)])
    }

    @Test func oneWorkerStaysOneWorkerWhenElevated() {
        let rig = GovernorRig(maxWorkers: 1)
        #expect(rig.sample(percent: 75).concurrency == 1)
        #expect(rig.sample(percent: 95).concurrency == 1)
    }

    @Test func rebuildsPauseAndReadinessDropOnlyInCritical() {
        let rig = GovernorRig()
        rig.sample(percent: 75)
        #expect(!rig.governor.rebuildsPaused)
        #expect(rig.governor.snapshot.allowsReadiness)
        rig.sample(percent: 91)
        #expect(rig.governor.rebuildsPaused)
        #expect(!rig.governor.snapshot.allowsReadiness)
        rig.sample(percent: 85)
        #expect(rig.governor.rebuildsPaused)
        rig.sample(percent: 79)
        #expect(!rig.governor.rebuildsPaused)
        #expect(rig.governor.snapshot.allowsReadiness)
    }

    @Test func pressureAloneElevatesWithHysteresis() {
        let rig = GovernorRig(limit: nil)
        #expect(rig.governor.limitBytes == nil)
        #expect(rig.sample(percent: 99, pressure: 2).state == .normal)  // no limit: usage is ignored
        #expect(rig.sample(percent: 10, pressure: 12.5).state == .elevated)
        #expect(rig.sample(percent: 10, pressure: 6).state == .elevated)
        #expect(rig.sample(percent: 10, pressure: 4.9).state == .normal)
        let snapshot = rig.sample(percent: 10, pressure: 50)
        #expect(snapshot.state == .elevated)  // pressure never makes it critical
        #expect(snapshot.usageFraction == nil)
    }

    @Test func transitionsAreLoggedWithTheirFigures() throws {
        let rig = GovernorRig()
        rig.sample(percent: 92)
        let line = try #require(rig.logs.all.last)
        #expect(line.contains("normal -> critical"))
        #expect(line.contains("92%"))
        #expect(line.contains("rss 920.0 MiB"))
        #expect(line.contains("limit 1000.0 MiB"))
        #expect(rig.governor.snapshot.lastTransitionReason == "usage 92% of the limit >= 90%")
        #expect(rig.governor.snapshot.lastTransitionAt != nil)
        rig.sample(percent: 91)
        #expect(rig.logs.all.count == 1)  // no transition, no line
    }

    @Test func cachedSamplingOnlyReadsWhenTheFiguresAreStale() {
        let rig = GovernorRig()
        rig.sample(percent: 10)
        rig.source.setResident(950 * mebibyte)
        let cached = rig.governor.sample(ifOlderThan: .seconds(60))
        #expect(cached.state == .normal && cached.samples == 1)
        let fresh = rig.governor.sample(ifOlderThan: .zero)
        #expect(fresh.state == .critical && fresh.samples == 2)
    }

    @Test func defaultLimitIsEightyPercentOfTheCgroupLimit() {
        #expect(GovernorRig(limit: nil, cgroupLimit: 1000 * mebibyte).governor.limitBytes == 800 * mebibyte)
        #expect(GovernorRig(limit: 512 * mebibyte, cgroupLimit: 1000 * mebibyte).governor.limitBytes == 512 * mebibyte)
        #expect(GovernorRig(limit: nil, cgroupLimit: nil).governor.limitBytes == nil)
    }

    @Test func samplingLoopFollowsTheSourceAndStopsCleanly() {
        let rig = GovernorRig()
        rig.governor.start()
        rig.source.setResident(950 * mebibyte)
        let deadline = ContinuousClock.now + .seconds(5)
        while rig.governor.snapshot.state != .critical && ContinuousClock.now < deadline { usleep(2_000) }
        #expect(rig.governor.snapshot.state == .critical)
        let stopping = ContinuousClock.now
        rig.governor.stop()
        #expect(ContinuousClock.now - stopping < .milliseconds(500))
        let samples = rig.governor.snapshot.samples
        usleep(50_000)
        #expect(rig.governor.snapshot.samples == samples)
        rig.governor.stop()  // idempotent
    }

    @Test func aBuildEnteringCriticalWithAllWorkersBusyStillFinishes() async {
        let rig = GovernorRig(maxWorkers: 4)
        let gate = rig.governor.gate
        let pages = 40
        let rendered = await withTaskGroup(of: Int.self) { group in
            for page in 0..<pages {
                group.addTask {
                    await gate.withPermit {
                        // The governor is consulted before each page, as the build engine does.
                        if page == 2 { rig.source.setResident(950 * mebibyte) }
                        rig.governor.sampleNow()
                        #expect(gate.snapshot.inside <= 4)
                        await Task.yield()  // a page being rendered while the limit drops
                        return 1
                    }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(rendered == pages)
        #expect(rig.governor.snapshot.state == .critical)
        #expect(gate.snapshot == .init(limit: 1, inside: 0, waiting: 0))
    }
}
