/// A value that can go up and down (Prometheus `gauge`).
public final class Gauge: Sendable {
    private let storage = AtomicDouble()

    /// Creates a gauge at zero. Usually obtained from a ``MetricsRegistry``.
    public init() {}

    /// Sets the gauge to `value`.
    public func set(_ value: Double) { storage.store(value) }

    /// Sets the gauge to an integer `value`.
    public func set(_ value: Int) { storage.store(Double(value)) }

    /// Adds `delta` (negative to decrease).
    public func add(_ delta: Double) { storage.add(delta) }

    /// Adds one.
    public func increment() { storage.add(1) }

    /// Subtracts one.
    public func decrement() { storage.add(-1) }

    /// The current value.
    public var value: Double { storage.value }
}
