/// The Prometheus metric type written on a family's `# TYPE` line.
public enum MetricType: String, Sendable {
    case counter
    case gauge
    case histogram
    case untyped
}

/// A metric that can write its samples in the Prometheus text format.
public protocol ExposableMetric: Sendable {
    /// The type announced on the family's `# TYPE` line.
    static var metricType: MetricType { get }
    /// Appends this series' sample lines for family `name` with `labels`.
    func writeSamples(name: String, labels: MetricLabels, to writer: inout PrometheusTextWriter)
}

extension Counter: ExposableMetric {
    public static var metricType: MetricType { .counter }
    public func writeSamples(name: String, labels: MetricLabels, to writer: inout PrometheusTextWriter) {
        writer.sample(name: name, labels: labels, value: Double(value))
    }
}

extension Gauge: ExposableMetric {
    public static var metricType: MetricType { .gauge }
    public func writeSamples(name: String, labels: MetricLabels, to writer: inout PrometheusTextWriter) {
        writer.sample(name: name, labels: labels, value: value)
    }
}

extension Histogram: ExposableMetric {
    public static var metricType: MetricType { .histogram }
    public func writeSamples(name: String, labels: MetricLabels, to writer: inout PrometheusTextWriter) {
        let snap = snapshot()
        for bucket in snap.cumulativeBuckets {
            let le = MetricLabels.Pair(name: "le", value: PrometheusTextWriter.format(bucket.upperBound))
            writer.sample(name: name + "_bucket", labels: labels, extra: le, value: Double(bucket.count))
        }
        writer.sample(name: name + "_sum", labels: labels, value: snap.sum)
        writer.sample(name: name + "_count", labels: labels, value: Double(snap.count))
    }
}
