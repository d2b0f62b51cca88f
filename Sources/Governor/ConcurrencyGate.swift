import Dispatch
import Synchronization

/// A counting gate whose limit can change while holders are inside.
///
/// Lowering the limit never blocks or evicts current holders: they finish and
/// leave, and new entrants wait until the number inside is below the new
/// limit. Waiters are admitted first come, first served; blocking threads and
/// async tasks can share one gate. Waiting is not cancellable.
public final class ConcurrencyGate: Sendable {
    /// A point-in-time view of the gate.
    public struct Snapshot: Sendable, Equatable {
        public let limit: Int
        public let inside: Int
        public let waiting: Int
    }

    private enum Waiter {
        case thread(DispatchSemaphore)
        case task(CheckedContinuation<Void, Never>)

        func admit() {
            switch self {
            case .thread(let semaphore): semaphore.signal()
            case .task(let continuation): continuation.resume()
            }
        }
    }

    private struct State {
        var limit: Int
        var inside = 0
        var waiters: [Waiter] = []
        var nextWaiter = 0  // index of the oldest waiter still queued

        var waiting: Int { waiters.count - nextWaiter }

        /// Lets waiters in while there is room; returns them to be woken outside the lock.
        mutating func admitWaiters() -> [Waiter] {
            var admitted: [Waiter] = []
            while inside < limit, nextWaiter < waiters.count {
                admitted.append(waiters[nextWaiter])
                nextWaiter += 1
                inside += 1
            }
            if nextWaiter > 64, nextWaiter * 2 > waiters.count {
                waiters.removeFirst(nextWaiter)
                nextWaiter = 0
            }
            return admitted
        }
    }

    private let state: Mutex<State>

    /// A gate admitting `limit` holders at once (at least 1).
    public init(limit: Int) {
        state = Mutex(State(limit: max(1, limit)))
    }

    /// Changes the limit (clamped to at least 1). Raising it admits waiters
    /// at once; lowering it only affects entries that have not happened yet.
    public func setLimit(_ limit: Int) {
        let admitted = state.withLock { state in
            state.limit = max(1, limit)
            return state.admitWaiters()
        }
        admitted.forEach { $0.admit() }
    }

    /// Enters, blocking the calling thread while the gate is full.
    public func enterBlocking() {
        let semaphore: DispatchSemaphore? = state.withLock { state in
            if state.inside < state.limit && state.waiting == 0 {
                state.inside += 1
                return nil
            }
            let semaphore = DispatchSemaphore(value: 0)
            state.waiters.append(.thread(semaphore))
            return semaphore
        }
        semaphore?.wait()
    }

    /// Enters, suspending the calling task while the gate is full.
    public func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state in
                if state.inside < state.limit && state.waiting == 0 {
                    state.inside += 1
                    return true
                }
                state.waiters.append(.task(continuation))
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    /// Enters if there is room right now.
    public func tryEnter() -> Bool {
        state.withLock { state in
            guard state.inside < state.limit && state.waiting == 0 else { return false }
            state.inside += 1
            return true
        }
    }

    /// Leaves (must pair with a successful enter) and admits the next waiter if there is room.
    public func leave() {
        let admitted = state.withLock { state in
            precondition(state.inside > 0, "ConcurrencyGate.leave() without a matching enter")
            state.inside -= 1
            return state.admitWaiters()
        }
        admitted.forEach { $0.admit() }
    }

    /// Runs `body` holding a place in the gate (blocking the thread to enter).
    public func withPermit<T>(_ body: () throws -> T) rethrows -> T {
        enterBlocking()
        defer { leave() }
        return try body()
    }

    /// Runs `body` holding a place in the gate (suspending the task to enter).
    public func withPermit<T>(_ body: () async throws -> T) async rethrows -> T {
        await enter()
        defer { leave() }
        return try await body()
    }

    public var snapshot: Snapshot {
        state.withLock { Snapshot(limit: $0.limit, inside: $0.inside, waiting: $0.waiting) }
    }
}
