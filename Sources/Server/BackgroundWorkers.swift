import Foundation

/// A fixed set of threads for route handlers marked `runsInBackground`.
///
/// Own threads rather than Dispatch: libdispatch's global pool is sized to the
/// core count, so a few handlers that block (on disk, on a build) would queue
/// behind each other and behind everyone else's work.
final class BackgroundWorkers: @unchecked Sendable {
    // `@unchecked`: `jobs` and `stopped` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var started = false
    private let threadCount: Int

    init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
    }

    /// Queues `job`; threads start on first use and live as long as the process.
    func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        if !started {
            started = true
            for index in 0..<threadCount {
                let thread = Thread { [self] in work() }
                thread.name = "unjucksd-http-bg-\(index)"
                thread.start()
            }
        }
        condition.signal()
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
