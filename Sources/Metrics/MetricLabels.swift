/// An ordered set of label name/value pairs identifying one series of a metric family.
///
/// Labels are kept in the order of the family's declared label names so the
/// exposition output is stable.
public struct MetricLabels: Hashable, Sendable {
    /// The label pairs, in declaration order.
    public let pairs: [Pair]

    /// One label name and its value.
    public struct Pair: Hashable, Sendable {
        public let name: String
        public let value: String
    }

    /// Creates a label set from pairs already in the wanted order.
    public init(_ pairs: [(String, String)]) {
        self.pairs = pairs.map { Pair(name: $0.0, value: $0.1) }
    }

    /// No labels.
    public static let empty = MetricLabels([])

    /// `true` when there are no labels.
    public var isEmpty: Bool { pairs.isEmpty }
}
