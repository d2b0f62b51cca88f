import Foundation
import Testing
@testable import Metrics

@Suite struct UnjucksdMetricsTests {
    static let contractNames = [
        "unjucksd_build_duration_seconds", "unjucksd_builds_total", "unjucksd_pages_rendered_total",
        "unjucksd_render_duration_seconds", "unjucksd_cache_requests_total", "unjucksd_cache_bytes",
        "unjucksd_redis_circuit_state", "unjucksd_workers_busy", "unjucksd_workers_max",
        "unjucksd_queue_depth", "unjucksd_memory_pressure_state", "unjucksd_watch_events_total",
        "unjucksd_http_requests_total", "unjucksd_http_request_duration_seconds",
        "process_resident_memory_bytes", "process_cpu_seconds_total", "process_open_fds",
        "process_start_time_seconds",
    ]

    @Test func everyContractMetricIsAnnounced() {
        let text = UnjucksdMetrics().exposition()
        for name in Self.contractNames {
            #expect(text.contains("# TYPE \(name) "), "missing \(name)")
        }
        #expect(text.contains("unjucksd_cache_requests_total{tier=\"redis\",result=\"error\"} 0"))
    }

    @Test func recordHelpersUpdateTheSeries() {
        let metrics = UnjucksdMetrics()
        metrics.recordHTTPRequest(handler: "preview", code: 200, seconds: 0.002)
        metrics.recordHTTPRequest(handler: "preview", code: 200, seconds: 0.004)
        metrics.recordBuild(succeeded: false, seconds: 1.5)
        metrics.recordCacheRequest(tier: "sqlite", result: "hit")
        let text = metrics.exposition()
        #expect(text.contains("unjucksd_http_requests_total{handler=\"preview\",code=\"200\"} 2\n"))
        #expect(text.contains("unjucksd_http_request_duration_seconds_count 2\n"))
        #expect(text.contains("unjucksd_builds_total{result=\"failure\"} 1\n"))
        #expect(text.contains("unjucksd_cache_requests_total{tier=\"sqlite\",result=\"hit\"} 1\n"))
    }

    @Test func expositionPassesPromtool() throws {
        let promtool = try #require(
            ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
                ?? Self.findOnPath("promtool"),
            "promtool not installed (apt-get install -y prometheus)")
        let metrics = UnjucksdMetrics()
        metrics.recordHTTPRequest(handler: "say \"hi\"\n", code: 404, seconds: 0.01)
        metrics.recordBuild(succeeded: true, seconds: 0.3)
        metrics.cacheBytes.labels("memory").set(1024)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(metrics.exposition().utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool: \(report)")
        #expect(report.isEmpty, "promtool lint: \(report)")
    }

    static func findOnPath(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
