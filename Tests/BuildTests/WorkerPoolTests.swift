@testable import Build
import Foundation
import Synchronization
import Testing

/// The worker pool that renders pages: every job runs, no more at once than
/// the limit allows, and a finished job keeps nothing alive.
@Suite struct WorkerPoolTests {
    final class Payload: Sendable {}

    @Test func everyJobRunsAndWaitUntilIdleWaitsForThem() {
        let pool = WorkerPool(workers: 2)
        defer { pool.shutdown() }
        let done = Atomic<Int>(0)
        for _ in 0..<500 { pool.submit { done.add(1, ordering: .relaxed) } }
        pool.waitUntilIdle()
        #expect(done.load(ordering: .relaxed) == 500)
        #expect(pool.queueDepth == 0)
        #expect(pool.busy == 0)
    }

    @Test func noMoreRunAtOnceThanTheLimit() {
        let pool = WorkerPool(workers: 4)
        defer { pool.shutdown() }
        pool.setConcurrency(2)
        let running = Atomic<Int>(0), most = Atomic<Int>(0)
        for _ in 0..<40 {
            pool.submit {
                let now = running.add(1, ordering: .relaxed).newValue
                var seen = most.load(ordering: .relaxed)
                while now > seen, !most.compareExchange(expected: seen, desired: now, ordering: .relaxed).exchanged {
                    seen = most.load(ordering: .relaxed)
                }
                usleep(2_000)
                running.subtract(1, ordering: .relaxed)
            }
        }
        pool.waitUntilIdle()
        #expect(most.load(ordering: .relaxed) <= 2)
        #expect(most.load(ordering: .relaxed) >= 1)
    }

    /// A daemon submits a job or two per rebuild: each job's closure (which
    /// captures the build's whole state) must be freed when the job returns,
    /// not kept in the queue until a thousand more have run. (It was kept:
    /// a watching daemon grew by ~0.5 MiB per edit of a 4,000-page site.)
    @Test func aFinishedJobKeepsNothingAlive() {
        let pool = WorkerPool(workers: 2)
        defer { pool.shutdown() }
        weak var first: Payload?
        weak var second: Payload?
        do {
            let payload = Payload(), another = Payload()
            first = payload
            second = another
            pool.submit { _ = payload }
            pool.waitUntilIdle()
            pool.submit { _ = another }
            pool.waitUntilIdle()
        }
        // The workers may still be between "job returned" and the next wait.
        let deadline = Date().addingTimeInterval(2)
        while (first != nil || second != nil) && Date() < deadline { usleep(1_000) }
        #expect(first == nil)
        #expect(second == nil)
    }

    @Test func shutdownDropsJobsNotStarted() {
        let pool = WorkerPool(workers: 1)
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let ran = Atomic<Int>(0)
        pool.submit {
            started.signal()
            release.wait()
            ran.add(1, ordering: .relaxed)
        }
        started.wait()
        for _ in 0..<10 { pool.submit { ran.add(1, ordering: .relaxed) } }
        pool.shutdown()
        release.signal()
        pool.waitUntilIdle()
        #expect(ran.load(ordering: .relaxed) == 1, "the running job finishes; the queued ones never start")
    }
}
