import Metrics

extension HTTPServerConfiguration {
    /// Feeds `unjucksd_http_requests_total{handler,code}` and
    /// `unjucksd_http_request_duration_seconds` from every answered request,
    /// then calls any hook that was already set.
    public mutating func recordMetrics(into metrics: UnjucksdMetrics) {
        let previous = onRequestCompleted
        onRequestCompleted = { record in
            metrics.recordHTTPRequest(handler: record.handler, code: record.status, seconds: record.seconds)
            previous?(record)
        }
    }
}
