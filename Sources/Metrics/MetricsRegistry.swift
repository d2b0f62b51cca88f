import Synchronization

/// Holds metric families by name and renders them as Prometheus text.
///
/// Registering a name twice with the same type returns the first family, so
/// modules can ask for their metrics without coordinating.
public final class MetricsRegistry: Sendable {
    private let families = Mutex<[String: any ExposableFamily]>([:])

    public init() {}

    /// A counter without labels. Counter names should end in `_total`.
    public func counter(_ name: String, help: String) -> Counter {
        family(name, help: help, labelNames: [], make: { Counter() }).labels([])
    }

    /// A counter family with labels.
    public func counter(_ name: String, help: String, labelNames: [String]) -> MetricFamily<Counter> {
        family(name, help: help, labelNames: labelNames, make: { Counter() })
    }

    /// A gauge without labels.
    public func gauge(_ name: String, help: String) -> Gauge {
        family(name, help: help, labelNames: [], make: { Gauge() }).labels([])
    }

    /// A gauge family with labels.
    public func gauge(_ name: String, help: String, labelNames: [String]) -> MetricFamily<Gauge> {
        family(name, help: help, labelNames: labelNames, make: { Gauge() })
    }

    /// A histogram without labels.
    public func histogram(_ name: String, help: String, buckets: [Double] = Histogram.defaultSecondsBuckets) -> Histogram {
        family(name, help: help, labelNames: [], make: { Histogram(buckets: buckets) }).labels([])
    }

    /// A histogram family with labels.
    public func histogram(_ name: String, help: String, labelNames: [String],
                          buckets: [Double] = Histogram.defaultSecondsBuckets) -> MetricFamily<Histogram> {
        family(name, help: help, labelNames: labelNames, make: { Histogram(buckets: buckets) })
    }

    /// Registers a family whose samples are computed on every scrape.
    public func computed(_ name: String, help: String, type: MetricType,
                         samples: @escaping @Sendable () -> [(MetricLabels, Double)]) {
        families.withLock { map in
            map[name] = ComputedFamily(name: name, help: help, type: type, compute: samples)
        }
    }

    private func family<M: ExposableMetric>(_ name: String, help: String, labelNames: [String],
                                            make: @escaping @Sendable () -> M) -> MetricFamily<M> {
        families.withLock { map in
            if let existing = map[name] as? MetricFamily<M> { return existing }
            // A different type under the same name replaces the old family: the
            // exposition must never carry one name twice.
            let created = MetricFamily<M>(name: name, help: help, labelNames: labelNames, makeMetric: make)
            map[name] = created
            return created
        }
    }

    /// The whole registry in Prometheus text format 0.0.4, families sorted by name.
    public func exposition() -> String {
        let snapshot = families.withLock { map in map.values.sorted { $0.name < $1.name } }
        var writer = PrometheusTextWriter()
        for family in snapshot {
            family.write(to: &writer)
        }
        return writer.text
    }
}
