import Foundation
import Testing
@testable import Metrics

@Suite struct MetricsRegistryTests {
    @Test func counterAndGaugeExposition() {
        let registry = MetricsRegistry()
        let counter = registry.counter("jobs_total", help: "Jobs done.")
        counter.increment()
        counter.increment(by: 4)
        let gauge = registry.gauge("queue_depth", help: "Waiting jobs.")
        gauge.set(3)
        gauge.add(0.5)
        #expect(registry.exposition() == """
            # HELP jobs_total Jobs done.
            # TYPE jobs_total counter
            jobs_total 5
            # HELP queue_depth Waiting jobs.
            # TYPE queue_depth gauge
            queue_depth 3.5

            """)
    }

    @Test func labelledSeriesAreSortedAndEscaped() {
        let registry = MetricsRegistry()
        let family = registry.counter("req_total", help: "Requests.\nSecond \\ line.", labelNames: ["path", "code"])
        family.labels("/b", "200").increment()
        family.labels("/a\"q\"\n\\", "404").increment(by: 2)
        family.labels(["code": "200", "path": "/a"]).increment(by: 7)
        let text = registry.exposition()
        #expect(text == """
            # HELP req_total Requests.\\nSecond \\\\ line.
            # TYPE req_total counter
            req_total{path="/a",code="200"} 7
            req_total{path="/a\\"q\\"\\n\\\\",code="404"} 2
            req_total{path="/b",code="200"} 1

            """)
    }

    @Test func histogramBucketsAreCumulativeWithInf() {
        let registry = MetricsRegistry()
        let histogram = registry.histogram("op_seconds", help: "Op time.", buckets: [0.1, 1, 0.5])
        for value in [0.05, 0.1, 0.3, 0.7, 2.0] { histogram.observe(value) }
        #expect(registry.exposition() == """
            # HELP op_seconds Op time.
            # TYPE op_seconds histogram
            op_seconds_bucket{le="0.1"} 2
            op_seconds_bucket{le="0.5"} 3
            op_seconds_bucket{le="1"} 4
            op_seconds_bucket{le="+Inf"} 5
            op_seconds_sum 3.15
            op_seconds_count 5

            """)
    }

    @Test func registeringTwiceReturnsTheSameMetric() {
        let registry = MetricsRegistry()
        let first = registry.counter("x_total", help: "X.")
        let second = registry.counter("x_total", help: "X.")
        first.increment()
        #expect(second.value == 1)
        #expect(first === second)
    }

    @Test func concurrentUpdatesAreNotLost() async {
        let registry = MetricsRegistry()
        let counter = registry.counter("c_total", help: "C.")
        let gauge = registry.gauge("g", help: "G.")
        let histogram = registry.histogram("h_seconds", help: "H.")
        let family = registry.counter("f_total", help: "F.", labelNames: ["k"])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for _ in 0..<10_000 {
                        counter.increment()
                        gauge.add(1)
                        histogram.observe(0.001)
                        family.labels(String(task % 2)).increment()
                    }
                }
            }
        }
        #expect(counter.value == 80_000)
        #expect(gauge.value == 80_000)
        #expect(histogram.snapshot().count == 80_000)
        #expect(family.labels("0").value + family.labels("1").value == 80_000)
    }

    @Test func sampleValueFormatting() {
        #expect(PrometheusTextWriter.format(42) == "42")
        #expect(PrometheusTextWriter.format(0.25) == "0.25")
        #expect(PrometheusTextWriter.format(.infinity) == "+Inf")
        #expect(PrometheusTextWriter.format(-.infinity) == "-Inf")
        #expect(PrometheusTextWriter.format(.nan) == "NaN")
    }

    @Test func histogramTimesAClosure() {
        let histogram = Histogram(buckets: [10])
        let result = histogram.time { 7 }
        #expect(result == 7)
        #expect(histogram.snapshot().count == 1)
        #expect(histogram.snapshot().sum < 10)
    }
}

@Suite struct LabelledHistogramTests {
    @Test func labelledHistogramPutsLeLast() {
        let registry = MetricsRegistry()
        let family = registry.histogram("step_seconds", help: "Step time.", labelNames: ["step"], buckets: [1])
        family.labels("render").observe(0.5)
        family.labels("copy").observe(3)
        #expect(registry.exposition() == """
            # HELP step_seconds Step time.
            # TYPE step_seconds histogram
            step_seconds_bucket{step="copy",le="1"} 0
            step_seconds_bucket{step="copy",le="+Inf"} 1
            step_seconds_sum{step="copy"} 3
            step_seconds_count{step="copy"} 1
            step_seconds_bucket{step="render",le="1"} 1
            step_seconds_bucket{step="render",le="+Inf"} 1
            step_seconds_sum{step="render"} 0.5
            step_seconds_count{step="render"} 1

            """)
    }

    @Test func computedFamiliesAreRenderedAtScrape() {
        let registry = MetricsRegistry()
        let source = Gauge()
        registry.computed("derived", help: "Derived.", type: .gauge) { [(MetricLabels([("k", "v")]), source.value * 2)] }
        source.set(21)
        #expect(registry.exposition().contains("derived{k=\"v\"} 42\n"))
    }
}
