import Synchronization

/// The three storage tiers, fastest first.
public enum CacheTier: String, Sendable, CaseIterable, CustomStringConvertible {
    case memory, sqlite, redis

    public var description: String { rawValue }
}

/// Counters of one tier at one moment.
public struct CacheTierStatistics: Sendable, Equatable {
    /// Lookups answered by this tier.
    public var hits: UInt64 = 0
    /// Lookups this tier could not answer (including rejected values).
    public var misses: UInt64 = 0
    /// Failures: I/O errors, timeouts, refused commands, and for Redis also
    /// requests skipped while the circuit is open or writes dropped.
    public var errors: UInt64 = 0
    /// Values refused on read: corrupt, foreign, unsigned or mis-signed.
    public var rejected: UInt64 = 0
    /// Memory/SQLite: bytes held now. Redis: bytes written by this process.
    public var bytes: UInt64 = 0
    /// Memory/SQLite: entries held now. Redis: values written by this process.
    public var entries: UInt64 = 0

    public init() {}

    /// hits / (hits + misses), or 0 without lookups.
    public var hitRatio: Double {
        let total = hits + misses
        return total == 0 ? 0 : Double(hits) / Double(total)
    }
}

/// Redis-specific counters beyond the per-tier ones.
public struct RedisStatistics: Sendable, Equatable {
    /// Current breaker state.
    public var circuit: CircuitState = .closed
    /// Requests that ran into the command or connect timeout.
    public var timeouts: UInt64 = 0
    /// Requests not sent because the circuit was open.
    public var skippedWhileOpen: UInt64 = 0
    /// Values queued for the background writer and not yet sent.
    public var pendingWrites: UInt64 = 0
    /// Values never written (circuit open, queue full, command refused).
    public var droppedWrites: UInt64 = 0

    public init() {}
}

/// A snapshot of every cache counter, for `cache stats`, `/status` and metrics.
public struct CacheStatistics: Sendable, Equatable {
    public var memory = CacheTierStatistics()
    public var sqlite = CacheTierStatistics()
    public var redis = CacheTierStatistics()
    public var redisDetails = RedisStatistics()
    /// Whether the cache has a Redis tier at all.
    public var redisConfigured = false

    public init() {}

    public subscript(tier: CacheTier) -> CacheTierStatistics {
        switch tier {
        case .memory: memory
        case .sqlite: sqlite
        case .redis: redis
        }
    }

    /// The circuit state as the gauge value (0 closed, 1 open, 2 half-open).
    public var circuitState: Int { redisDetails.circuit.rawValue }
}

/// Lock-free counters of one tier, bumped on the hot path.
final class TierCounters: Sendable {
    let hits = Atomic<UInt64>(0)
    let misses = Atomic<UInt64>(0)
    let errors = Atomic<UInt64>(0)
    let rejected = Atomic<UInt64>(0)
    let bytes = Atomic<UInt64>(0)
    let entries = Atomic<UInt64>(0)

    enum Counter { case hits, misses, errors, rejected }

    func bump(_ counter: Counter, by amount: UInt64 = 1) {
        switch counter {
        case .hits: hits.add(amount, ordering: .relaxed)
        case .misses: misses.add(amount, ordering: .relaxed)
        case .errors: errors.add(amount, ordering: .relaxed)
        case .rejected: rejected.add(amount, ordering: .relaxed)
        }
    }

    func snapshot() -> CacheTierStatistics {
        var s = CacheTierStatistics()
        s.hits = hits.load(ordering: .relaxed)
        s.misses = misses.load(ordering: .relaxed)
        s.errors = errors.load(ordering: .relaxed)
        s.rejected = rejected.load(ordering: .relaxed)
        s.bytes = bytes.load(ordering: .relaxed)
        s.entries = entries.load(ordering: .relaxed)
        return s
    }
}
