import Synchronization

/// A named metric with a fixed list of label names; one series per label-value combination.
///
/// `labels(...)` looks up (or creates) the series under a mutex; hold on to the
/// returned metric on hot paths to skip the lookup.
public final class MetricFamily<Metric: ExposableMetric>: Sendable {
    public let name: String
    public let help: String
    public let labelNames: [String]
    private let makeMetric: @Sendable () -> Metric
    private let series = Mutex<[MetricLabels: Metric]>([:])

    init(name: String, help: String, labelNames: [String], makeMetric: @escaping @Sendable () -> Metric) {
        self.name = name
        self.help = help
        self.labelNames = labelNames
        self.makeMetric = makeMetric
    }

    /// The series for label values given in the order of ``labelNames``.
    /// Missing values are empty strings; extra values are ignored.
    public func labels(_ values: String...) -> Metric {
        labels(values)
    }

    /// The series for label values given in the order of ``labelNames``.
    public func labels(_ values: [String]) -> Metric {
        let pairs = labelNames.enumerated().map { index, name in
            (name, index < values.count ? values[index] : "")
        }
        let key = MetricLabels(pairs)
        return series.withLock { map in
            if let existing = map[key] { return existing }
            let created = makeMetric()
            map[key] = created
            return created
        }
    }

    /// The series for a name -> value map; names not declared are ignored.
    public func labels(_ values: [String: String]) -> Metric {
        labels(labelNames.map { values[$0] ?? "" })
    }

    /// Every series with its labels, sorted by label values for stable output.
    public func allSeries() -> [(labels: MetricLabels, metric: Metric)] {
        let entries = series.withLock { map in map.map { ($0.key, $0.value) } }
        return entries
            .sorted { lhs, rhs in lhs.0.pairs.map(\.value).lexicographicallyPrecedes(rhs.0.pairs.map(\.value)) }
            .map { (labels: $0.0, metric: $0.1) }
    }
}

/// Type-erased view of a family for the registry.
protocol ExposableFamily: Sendable {
    var name: String { get }
    func write(to writer: inout PrometheusTextWriter)
}

extension MetricFamily: ExposableFamily {
    func write(to writer: inout PrometheusTextWriter) {
        writer.header(name: name, help: help, type: Metric.metricType)
        for entry in allSeries() {
            entry.metric.writeSamples(name: name, labels: entry.labels, to: &writer)
        }
    }
}

/// A family whose values are computed at scrape time (e.g. process metrics read from /proc).
struct ComputedFamily: ExposableFamily {
    let name: String
    let help: String
    let type: MetricType
    let compute: @Sendable () -> [(MetricLabels, Double)]

    func write(to writer: inout PrometheusTextWriter) {
        let samples = compute()
        guard !samples.isEmpty else { return }
        writer.header(name: name, help: help, type: type)
        for (labels, value) in samples {
            writer.sample(name: name, labels: labels, value: value)
        }
    }
}
