import Metrics
import Testing
@testable import Server

@Suite struct RequestMetricsTests {
    @Test func answeredRequestsShowUpInTheExposition() throws {
        let metrics = UnjucksdMetrics()
        var configuration = HTTPServerConfiguration(threadPoolSize: 2)
        configuration.recordMetrics(into: metrics)
        let server = try startServer(configuration: configuration) { router in
            router.get("/metrics", name: "metrics") { _ in
                HTTPResponse(contentType: PrometheusTextWriter.contentType, bytes: Array(metrics.exposition().utf8))
            }
        }
        defer { server.stop() }
        _ = try TestClient.request("GET", "/metrics", port: server.port)
        _ = try TestClient.request("GET", "/nowhere", port: server.port)
        let scrape = try TestClient.request("GET", "/metrics", port: server.port)
        #expect(scrape.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(scrape.text.contains("unjucksd_http_requests_total{handler=\"metrics\",code=\"200\"} 1\n"))
        #expect(scrape.text.contains("unjucksd_http_requests_total{handler=\"not_found\",code=\"404\"} 1\n"))
        #expect(scrape.text.contains("unjucksd_http_request_duration_seconds_count 2\n"))
    }
}
