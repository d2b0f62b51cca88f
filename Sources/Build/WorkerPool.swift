import Foundation

/// A fixed set of worker threads fed from a bounded queue. `submit` blocks
/// while the queue is full (back-pressure on the planner); the number of
/// jobs allowed to run at once can be lowered and raised while jobs run
/// (the memory governor does this) — lowering never interrupts a running
/// job, it only holds back the next ones. Call `shutdown()` when done.
public final class WorkerPool: @unchecked Sendable {
    public typealias Job = @Sendable () -> Void

    public let maxWorkers: Int
    public let queueCapacity: Int

    private let condition = NSCondition()
    /// Jobs in submission order from `queueHead`; a taken slot is cleared at
    /// once, so a finished job's closure (and all it captured: a build's
    /// state, its pages) is freed when it returns, not when the array is
    /// next compacted — a daemon submits a job or two per rebuild.
    private var queue: [Job?] = []
    private var queueHead = 0
    private var running = 0
    private var limit: Int
    private var unfinished = 0
    private var stopping = false
    private var threads: [Thread] = []
    /// Who waits on `condition`, so that it is broadcast only when someone
    /// can go on: one wake-up per job cost more than small jobs themselves
    /// (futex calls and context switches on every submit and finish).
    private var idleWorkers = 0
    private var blockedSubmitters = 0
    private var idleWaiters = 0

    /// - Parameters:
    ///   - workers: threads (the default `--jobs` is the core count).
    ///   - queueCapacity: jobs waiting at most before `submit` blocks.
    public init(workers: Int, queueCapacity: Int? = nil) {
        maxWorkers = max(1, workers)
        self.queueCapacity = max(1, queueCapacity ?? maxWorkers * 64)
        limit = maxWorkers
        for index in 0..<maxWorkers {
            // Threads keep the pool alive until `shutdown()` lets them exit.
            let thread = Thread { self.workLoop() }
            thread.name = "unjucksd-worker-\(index)"
            thread.stackSize = 16 << 20  // deep templates recurse; 16 MiB per worker
            threads.append(thread)
            thread.start()
        }
    }

    /// Jobs running now.
    public var busy: Int { condition.withLock { running } }
    /// Jobs submitted and not yet started.
    public var queueDepth: Int { condition.withLock { queue.count - queueHead } }
    /// The current concurrency limit (≤ `maxWorkers`).
    public var concurrency: Int { condition.withLock { limit } }

    /// Changes how many jobs may run at once, clamped to 1...maxWorkers.
    public func setConcurrency(_ n: Int) {
        condition.withLock {
            limit = min(maxWorkers, max(1, n))
            condition.broadcast()
        }
    }

    /// Queues a job; blocks while the queue is full (until it is half empty).
    public func submit(_ job: @escaping Job) {
        condition.lock()
        while queue.count - queueHead >= queueCapacity && !stopping {
            blockedSubmitters += 1
            condition.wait()
            blockedSubmitters -= 1
        }
        if stopping {
            condition.unlock()
            return
        }
        queue.append(job)
        unfinished += 1
        if idleWorkers > 0 { condition.broadcast() }
        condition.unlock()
    }

    /// Blocks until every submitted job has finished.
    public func waitUntilIdle() {
        condition.lock()
        while unfinished > 0 {
            idleWaiters += 1
            condition.wait()
            idleWaiters -= 1
        }
        condition.unlock()
    }

    /// Drops queued jobs, lets running ones finish, and stops the threads.
    public func shutdown() {
        condition.lock()
        if stopping {
            condition.unlock()
            return
        }
        stopping = true
        unfinished -= queue.count - queueHead
        queue.removeAll()
        queueHead = 0
        condition.broadcast()
        condition.unlock()
    }

    private func workLoop() {
        while true {
            condition.lock()
            while !stopping && (queue.count == queueHead || running >= limit) {
                idleWorkers += 1
                condition.wait()
                idleWorkers -= 1
            }
            if stopping {
                condition.unlock()
                return
            }
            let job = queue[queueHead].take()!
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            } else if queueHead > 1024 && queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            running += 1
            // A blocked submitter is woken once the queue is half empty, to
            // refill it in one go rather than one job per wake-up.
            if blockedSubmitters > 0 && (queue.count - queueHead) * 2 <= queueCapacity { condition.broadcast() }
            condition.unlock()

            job()

            condition.lock()
            running -= 1
            unfinished -= 1
            // Someone waits for idleness, or a worker held back by the limit may start.
            if (unfinished == 0 && idleWaiters > 0) || (idleWorkers > 0 && queue.count > queueHead) { condition.broadcast() }
            condition.unlock()
        }
    }
}
