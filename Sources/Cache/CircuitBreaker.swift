/// Redis circuit state, numbered as the `unjucksd_redis_circuit_state` gauge.
public enum CircuitState: Int, Sendable, CustomStringConvertible {
    /// Requests flow.
    case closed = 0
    /// Requests are skipped until the cooldown ends.
    case open = 1
    /// One probe request is allowed; its outcome closes or reopens.
    case halfOpen = 2

    public var description: String {
        switch self {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half-open"
        }
    }
}

/// Consecutive-failure circuit breaker: after `threshold` failures in a row
/// it opens for `cooldown`, then lets exactly one probe through.
///
/// A value type driven under the owner's lock; every method returns the new
/// state when it changed, so the owner logs each change once.
struct CircuitBreaker: Sendable {
    let threshold: Int
    let cooldown: Duration
    private(set) var state: CircuitState = .closed
    private var consecutiveFailures = 0
    private var reopensAt: ContinuousClock.Instant?
    private var probeInFlight = false

    init(threshold: Int, cooldown: Duration) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// Whether a request may go out now.
    mutating func admit(now: ContinuousClock.Instant) -> (allowed: Bool, changed: CircuitState?) {
        switch state {
        case .closed:
            return (true, nil)
        case .open:
            guard let reopensAt, now >= reopensAt else { return (false, nil) }
            state = .halfOpen
            probeInFlight = true
            return (true, .halfOpen)
        case .halfOpen:
            if probeInFlight { return (false, nil) }
            probeInFlight = true
            return (true, nil)
        }
    }

    /// Records a request that reached Redis and got an answer.
    mutating func succeeded() -> CircuitState? {
        consecutiveFailures = 0
        probeInFlight = false
        guard state != .closed else { return nil }
        state = .closed
        reopensAt = nil
        return .closed
    }

    /// Records a failed or timed-out request.
    mutating func failed(now: ContinuousClock.Instant) -> CircuitState? {
        consecutiveFailures += 1
        probeInFlight = false
        switch state {
        case .closed where consecutiveFailures >= threshold, .halfOpen:
            state = .open
            reopensAt = now + cooldown
            return .open
        case .open:
            reopensAt = now + cooldown
            return nil
        case .closed:
            return nil
        }
    }
}
