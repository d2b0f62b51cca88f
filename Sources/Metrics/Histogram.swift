import Synchronization

/// A distribution of observations in fixed buckets (Prometheus `histogram`).
///
/// Each bucket has its own atomic counter (a ``Counter``, since `Atomic` cannot live in an array) (non-cumulative); the exposition
/// accumulates them, so observing never takes a lock.
public final class Histogram: Sendable {
    /// Upper bounds of the buckets, ascending, without `+Inf`.
    public let upperBounds: [Double]
    private let bucketCounts: [Counter]
    private let overflowCount = Atomic<UInt64>(0)
    private let total = AtomicDouble()

    /// Latency buckets in seconds, from 0.5 ms to 10 s.
    public static let defaultSecondsBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// Creates a histogram with the given bucket upper bounds (sorted and de-duplicated here).
    public init(buckets: [Double] = Histogram.defaultSecondsBuckets) {
        let bounds = Array(Set(buckets.filter { $0.isFinite })).sorted()
        upperBounds = bounds
        bucketCounts = bounds.map { _ in Counter() }
    }

    /// Records one observation.
    public func observe(_ value: Double) {
        if let index = firstBucket(containing: value) {
            bucketCounts[index].increment()
        } else {
            overflowCount.add(1, ordering: .relaxed)
        }
        total.add(value)
    }

    /// Records a duration as seconds.
    public func observe(_ duration: Duration) {
        observe(duration.seconds)
    }

    /// Runs `body`, records how long it took in seconds, and returns its result.
    public func time<T>(_ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer { observe(clock.now - start) }
        return try body()
    }

    /// Binary search for the first bound >= value.
    private func firstBucket(containing value: Double) -> Int? {
        var low = 0
        var high = upperBounds.count
        while low < high {
            let mid = (low + high) / 2
            if value <= upperBounds[mid] { high = mid } else { low = mid + 1 }
        }
        return low < upperBounds.count ? low : nil
    }

    /// A consistent-enough view of the histogram for exposition.
    public struct Snapshot: Sendable, Equatable {
        /// Cumulative counts per upper bound (`le`), ending with `+Inf`.
        public let cumulativeBuckets: [(upperBound: Double, count: UInt64)]
        public let sum: Double
        public let count: UInt64

        public static func == (lhs: Snapshot, rhs: Snapshot) -> Bool {
            lhs.sum == rhs.sum && lhs.count == rhs.count
                && lhs.cumulativeBuckets.map(\.upperBound) == rhs.cumulativeBuckets.map(\.upperBound)
                && lhs.cumulativeBuckets.map(\.count) == rhs.cumulativeBuckets.map(\.count)
        }
    }

    /// Reads all buckets; `count` equals the `+Inf` bucket by construction.
    public func snapshot() -> Snapshot {
        var running: UInt64 = 0
        var buckets: [(upperBound: Double, count: UInt64)] = []
        buckets.reserveCapacity(upperBounds.count + 1)
        for (index, bound) in upperBounds.enumerated() {
            running += bucketCounts[index].value
            buckets.append((bound, running))
        }
        running += overflowCount.load(ordering: .relaxed)
        buckets.append((Double.infinity, running))
        return Snapshot(cumulativeBuckets: buckets, sum: total.value, count: running)
    }
}

extension Duration {
    /// The duration as fractional seconds.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
