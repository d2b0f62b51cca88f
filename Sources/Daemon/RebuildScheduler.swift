import Foundation
import Metrics

/// Runs rebuilds one at a time on its own thread. A request arriving while
/// a rebuild runs is held (merged with any other held request) and runs
/// exactly once after it: never two builds at once, never interleaved.
/// While paused (memory critical), requests that no person asked for wait.
final class RebuildScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: RebuildRequest?
    private var running = false
    private var paused = false
    private var stopped = false
    private var completed = 0
    private let queue = DispatchQueue(label: "unjucksd.rebuild", qos: .userInitiated)
    private var perform: @Sendable (RebuildRequest) -> Void = { _ in }

    init() {}

    /// Sets what a rebuild does; call before the first `submit`.
    func setHandler(_ handler: @escaping @Sendable (RebuildRequest) -> Void) {
        condition.withLock { perform = handler }
    }

    /// Builds finished so far.
    var completedCount: Int { condition.withLock { completed } }
    /// True while a build runs.
    var isRunning: Bool { condition.withLock { running } }
    /// True when a request waits (behind a running build, or paused).
    var hasPending: Bool { condition.withLock { pending != nil } }

    func submit(_ request: RebuildRequest) {
        condition.withLock {
            guard !stopped else { return }
            if pending == nil { pending = request } else { pending!.merge(request) }
            startIfPossible()
        }
    }

    /// Holds back (or releases) requests that no person asked for.
    func setPaused(_ value: Bool) {
        condition.withLock {
            paused = value
            startIfPossible()
        }
    }

    /// Drops held requests, waits for a running build to finish, and refuses new ones.
    func stop() {
        condition.withLock {
            stopped = true
            pending = nil
            while running { condition.wait() }
        }
    }

    /// Waits until no build runs and none is held; false on timeout.
    func waitUntilIdle(timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        return condition.withLock {
            while running || (pending != nil && !paused && !stopped) {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Waits until more than `count` builds have finished; false on timeout.
    func waitForCompleted(moreThan count: Int, timeout: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        return condition.withLock {
            while completed <= count {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    /// Call with the lock held.
    private func startIfPossible() {
        guard !running, !stopped, let request = pending, !paused || request.manual else { return }
        running = true
        queue.async { self.drain() }
    }

    private func drain() {
        while true {
            let next: RebuildRequest? = condition.withLock {
                guard !stopped, let request = pending, !paused || request.manual else {
                    running = false
                    condition.broadcast()
                    return nil
                }
                pending = nil
                return request
            }
            guard let request = next else { return }
            let handler = condition.withLock { perform }
            handler(request)
            condition.withLock {
                completed += 1
                condition.broadcast()
            }
        }
    }
}
