import Synchronization

/// A monotonically increasing count (Prometheus `counter`).
///
/// Lock-free: incrementing is one atomic add.
public final class Counter: Sendable {
    private let storage = Atomic<UInt64>(0)

    /// Creates a counter starting at zero. Usually obtained from a ``MetricsRegistry``.
    public init() {}

    /// Adds `amount` (default 1).
    public func increment(by amount: UInt64 = 1) {
        storage.add(amount, ordering: .relaxed)
    }

    /// The current count.
    public var value: UInt64 { storage.load(ordering: .relaxed) }
}
