import Foundation
import Synchronization
import Testing
@testable import Daemon

@Suite("Rebuild scheduling")
struct RebuildSchedulerTests {
    /// Records what ran, and checks no two runs overlap.
    final class Recorder: Sendable {
        let runs = Mutex<[RebuildRequest]>([])
        let active = Atomic<Int>(0)
        let overlapped = Atomic<Bool>(false)
        let gate = DispatchSemaphore(value: 0)
        let holdFirst: Bool
        init(holdFirst: Bool) { self.holdFirst = holdFirst }
        var didOverlap: Bool { overlapped.load(ordering: .sequentiallyConsistent) }

        func perform(_ request: RebuildRequest) {
            if active.add(1, ordering: .sequentiallyConsistent).newValue > 1 { overlapped.store(true, ordering: .sequentiallyConsistent) }
            let index = runs.withLock { runs in runs.append(request); return runs.count }
            if holdFirst && index == 1 { gate.wait() } else { Thread.sleep(forTimeInterval: 0.01) }
            active.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    func request(_ paths: String...) -> RebuildRequest {
        var request = RebuildRequest(trigger: .watch)
        request.changed = Set(paths)
        return request
    }

    @Test func requestsDuringARunningBuildBecomeExactlyOneMore() {
        let recorder = Recorder(holdFirst: true)
        let scheduler = RebuildScheduler()
        scheduler.setHandler { recorder.perform($0) }
        scheduler.submit(request("/a"))
        while recorder.runs.withLock({ $0.count }) == 0 { Thread.sleep(forTimeInterval: 0.001) }
        for index in 0..<20 { scheduler.submit(request("/b\(index)")) }
        var removal = RebuildRequest(trigger: .watch)
        removal.removed = ["/b3"]
        scheduler.submit(removal)
        recorder.gate.signal()
        #expect(scheduler.waitUntilIdle(timeout: .seconds(5)))
        let runs = recorder.runs.withLock { $0 }
        #expect(runs.count == 2)
        #expect(runs[1].changed.count == 19)
        #expect(runs[1].removed == ["/b3"])
        #expect(recorder.didOverlap == false)
        #expect(scheduler.completedCount == 2)
    }

    @Test func manyConcurrentSubmittersNeverOverlapBuilds() {
        let recorder = Recorder(holdFirst: false)
        let scheduler = RebuildScheduler()
        scheduler.setHandler { recorder.perform($0) }
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            scheduler.submit(request("/p\(index)"))
        }
        #expect(scheduler.waitUntilIdle(timeout: .seconds(10)))
        #expect(recorder.didOverlap == false)
        let seen = recorder.runs.withLock { runs in runs.reduce(into: Set<String>()) { $0.formUnion($1.changed) } }
        #expect(seen.count == 200)  // every change was built
    }

    @Test func pausedSchedulerHoldsWatchRequestsButNotManualOnes() {
        let recorder = Recorder(holdFirst: false)
        let scheduler = RebuildScheduler()
        scheduler.setHandler { recorder.perform($0) }
        scheduler.setPaused(true)
        scheduler.submit(request("/x"))
        Thread.sleep(forTimeInterval: 0.1)
        #expect(recorder.runs.withLock { $0.count } == 0)
        #expect(scheduler.hasPending)
        scheduler.submit(RebuildRequest(trigger: .manual))
        #expect(scheduler.waitForCompleted(moreThan: 0, timeout: .seconds(5)))
        let first = recorder.runs.withLock { $0[0] }
        #expect(first.manual && first.everything && first.changed == ["/x"])
        scheduler.submit(request("/y"))
        Thread.sleep(forTimeInterval: 0.1)
        #expect(scheduler.completedCount == 1)
        scheduler.setPaused(false)
        #expect(scheduler.waitForCompleted(moreThan: 1, timeout: .seconds(5)))
    }

    /// A pause holds a watch request only so long: memory that stays
    /// critical all the same must not stop the daemon from building edits.
    @Test func aPausedWatchRequestRunsOnceItsWaitIsUp() {
        let recorder = Recorder(holdFirst: false)
        let scheduler = RebuildScheduler(maxPausedWait: .milliseconds(300))
        scheduler.setHandler { recorder.perform($0) }
        scheduler.setPaused(true)
        let submitted = ContinuousClock.now
        scheduler.submit(request("/x"))
        Thread.sleep(forTimeInterval: 0.1)
        #expect(recorder.runs.withLock { $0.count } == 0, "held at first")
        #expect(scheduler.waitForCompleted(moreThan: 0, timeout: .seconds(5)))
        #expect(ContinuousClock.now - submitted >= .milliseconds(300))
        #expect(recorder.runs.withLock { $0.map(\.changed) } == [["/x"]])
        // Still paused: the next one waits its turn again.
        scheduler.submit(request("/y"))
        Thread.sleep(forTimeInterval: 0.1)
        #expect(scheduler.completedCount == 1)
        #expect(scheduler.waitForCompleted(moreThan: 1, timeout: .seconds(5)))
    }

    @Test func stopWaitsForTheRunningBuildAndDropsTheRest() {
        let recorder = Recorder(holdFirst: true)
        let scheduler = RebuildScheduler()
        scheduler.setHandler { recorder.perform($0) }
        scheduler.submit(request("/a"))
        while recorder.runs.withLock({ $0.count }) == 0 { Thread.sleep(forTimeInterval: 0.001) }
        scheduler.submit(request("/b"))
        let stopped = Atomic<Bool>(false)
        let stopper = Thread {
            scheduler.stop()
            stopped.store(true, ordering: .sequentiallyConsistent)
        }
        stopper.start()
        Thread.sleep(forTimeInterval: 0.1)
        let stillWaiting = !stopped.load(ordering: .sequentiallyConsistent)
        #expect(stillWaiting)  // still waiting for the build
        recorder.gate.signal()
        while !stopped.load(ordering: .sequentiallyConsistent) { Thread.sleep(forTimeInterval: 0.001) }
        #expect(recorder.runs.withLock { $0.count } == 1)
        scheduler.submit(request("/c"))
        Thread.sleep(forTimeInterval: 0.05)
        #expect(recorder.runs.withLock { $0.count } == 1)
    }

    @Test func mergeKeepsTheLastWordPerPath() {
        var first = RebuildRequest(trigger: .watch)
        first.changed = ["/a", "/b"]
        var second = RebuildRequest(trigger: .watch)
        second.removed = ["/a"]
        second.firstEvent = .now
        first.merge(second)
        #expect(first.changed == ["/b"])
        #expect(first.removed == ["/a"])
        #expect(!first.everything)
        var rescan = RebuildRequest(trigger: .rescan)
        rescan.merge(first)
        #expect(rescan.everything && rescan.rescan && rescan.trigger == .rescan)
    }
}
