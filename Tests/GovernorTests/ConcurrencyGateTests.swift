import Foundation
import Synchronization
import Testing
@testable import Governor

@Suite("ConcurrencyGate")
struct ConcurrencyGateTests {
    @Test func admitsUpToTheLimit() {
        let gate = ConcurrencyGate(limit: 2)
        #expect(gate.tryEnter())
        #expect(gate.tryEnter())
        #expect(!gate.tryEnter())
        gate.leave()
        #expect(gate.tryEnter())
        #expect(gate.snapshot == .init(limit: 2, inside: 2, waiting: 0))
    }

    @Test func limitIsAtLeastOne() {
        let gate = ConcurrencyGate(limit: 0)
        #expect(gate.snapshot.limit == 1)
        gate.setLimit(-3)
        #expect(gate.tryEnter())
    }

    @Test func loweringTheLimitNeverBlocksHoldersAndAllFinish() {
        let threads = 8
        let gate = ConcurrencyGate(limit: threads)
        let allInside = DispatchSemaphore(value: 0)
        let mayLeave = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for _ in 0..<threads {
            finished.enter()
            Thread.detachNewThread {
                gate.enterBlocking()
                allInside.signal()
                mayLeave.wait()
                gate.leave()
                finished.leave()
            }
        }
        for _ in 0..<threads { allInside.wait() }
        #expect(gate.snapshot.inside == threads)

        gate.setLimit(1)  // must return at once although 8 are inside
        #expect(gate.snapshot == .init(limit: 1, inside: threads, waiting: 0))

        // Newcomers wait while the old holders are inside, then enter one at a time.
        let newcomers = 4
        let concurrentNewcomers = PeakCounter()
        for _ in 0..<newcomers {
            finished.enter()
            Thread.detachNewThread {
                gate.withPermit {
                    concurrentNewcomers.enter()
                    usleep(2_000)
                    concurrentNewcomers.leave()
                }
                finished.leave()
            }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while gate.snapshot.waiting < newcomers && ContinuousClock.now < deadline { usleep(1_000) }
        #expect(gate.snapshot.waiting == newcomers)
        #expect(concurrentNewcomers.most == 0)

        for _ in 0..<threads { mayLeave.signal() }
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(concurrentNewcomers.most == 1)
        #expect(gate.snapshot == .init(limit: 1, inside: 0, waiting: 0))
    }

    @Test func raisingTheLimitAdmitsWaitersAtOnce() {
        let gate = ConcurrencyGate(limit: 1)
        gate.enterBlocking()
        let entered = DispatchSemaphore(value: 0)
        for _ in 0..<3 {
            Thread.detachNewThread {
                gate.enterBlocking()
                entered.signal()
            }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while gate.snapshot.waiting < 3 && ContinuousClock.now < deadline { usleep(1_000) }
        #expect(entered.wait(timeout: .now() + .milliseconds(20)) == .timedOut)
        gate.setLimit(4)
        for _ in 0..<3 { #expect(entered.wait(timeout: .now() + 5) == .success) }
        #expect(gate.snapshot == .init(limit: 4, inside: 4, waiting: 0))
    }

    @Test func asyncTasksShareTheGateWithinTheLimit() async {
        let gate = ConcurrencyGate(limit: 3)
        let peak = PeakCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    await gate.withPermit {
                        peak.enter()
                        try? await Task.sleep(for: .milliseconds(1))
                        peak.leave()
                    }
                }
            }
        }
        #expect(peak.most <= 3)
        #expect(peak.most >= 1)
        #expect(gate.snapshot == .init(limit: 3, inside: 0, waiting: 0))
    }
}

/// Tracks how many are inside at once, and the most ever seen.
final class PeakCounter: Sendable {
    private let counts = Mutex((now: 0, most: 0))
    func enter() { counts.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
    func leave() { counts.withLock { $0.now -= 1 } }
    var most: Int { counts.withLock { $0.most } }
}
