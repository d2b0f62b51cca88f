import Foundation
import Metrics

/// Runs rebuilds one at a time on its own thread. A request arriving while
/// a rebuild runs is held (merged with any other held request) and runs
/// exactly once after it: never two builds at once, never interleaved.
/// While paused (memory critical), requests that no person asked for wait,
/// but at most `maxPausedWait`: pausing gives the memory shed a moment to
/// show; a daemon whose memory stays critical all the same (its resident
/// set is mostly what it must keep) still rebuilds — with the governor's
/// least workers and no caches — instead of ignoring edits for good.
final class RebuildScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: RebuildRequest?
    /// When the held request first arrived.
    private var pendingSince: ContinuousClock.Instant?
    let maxPausedWait: Duration
    private var running = false
    private var paused = false
    private var stopped = false
    private var completed = 0
    private let queue = DispatchQueue(label: "unjucksd.rebuild", qos: .userInitiated)
    private var perform: @Sendable (RebuildRequest) -> Void = { _ in }

    init(maxPausedWait: Duration = .seconds(5)) {
        self.maxPausedWait = maxPausedWait
    }

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
            if pending == nil {
                pending = request
                pendingSince = .now
            } else {
                pending!.merge(request)
            }
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

    /// Whether the held request may run now. Call with the lock held.
    private func mayRun(_ request: RebuildRequest) -> Bool {
        !paused || request.manual || pendingSince.map { ContinuousClock.now - $0 >= maxPausedWait } ?? true
    }

    /// Call with the lock held.
    private func startIfPossible() {
        guard !running, !stopped, let request = pending else { return }
        guard mayRun(request) else {
            // Held by the pause: look again when its wait is up.
            let waited = pendingSince.map { ContinuousClock.now - $0 } ?? .zero
            let remaining = max(.milliseconds(1), maxPausedWait - waited)
            queue.asyncAfter(deadline: .now() + remaining.seconds) { [self] in
                condition.withLock { startIfPossible() }
            }
            return
        }
        running = true
        queue.async { self.drain() }
    }

    private func drain() {
        while true {
            let next: RebuildRequest? = condition.withLock {
                guard !stopped, let request = pending, mayRun(request) else {
                    running = false
                    condition.broadcast()
                    // A request held by the pause: look again when its wait is up.
                    if !stopped, pending != nil { startIfPossible() }
                    return nil
                }
                pending = nil
                pendingSince = nil
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
