import Build
import Foundation
import Pipeline
import Site

/// One finished build as `/status`, the dashboard and `/events` show it.
public struct BuildRecord: Sendable, Codable, Equatable {
    /// One error, `file:line:col: message`.
    public struct ErrorEntry: Sendable, Codable, Equatable {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String
        public var detail: String

        init(_ error: SiteError) {
            file = error.file
            line = error.line
            column = error.column
            message = error.message
            detail = error.detail
        }
    }

    /// Sequence number (1 = the first build).
    public var number: Int
    public var trigger: RebuildRequest.Trigger
    /// ISO 8601 start time.
    public var started: String
    public var seconds: Double
    /// Sites this build covered.
    public var sites: [String]
    /// Pipelines this build ran.
    public var pipelines: [String]
    public var pages: Int
    public var rendered: Int
    public var cached: Int
    public var skipped: Int
    /// Errors (pages or inputs that failed).
    public var failed: Int
    public var written: Int
    public var removed: Int
    /// Every error, not just the first.
    public var errors: [ErrorEntry]
    /// Milliseconds from the first file event to the end of the build (watch-triggered builds).
    public var latencyMilliseconds: Double?

    init(number: Int, trigger: RebuildRequest.Trigger, started: Date, report: BuildReport,
         pipelines: [PipelineReport] = [], seconds: Double? = nil, latency: Double?) {
        self.number = number
        self.trigger = trigger
        self.started = BuildRecord.iso8601(started)
        self.seconds = seconds ?? report.seconds
        sites = report.sites.map(\.site)
        self.pipelines = pipelines.map(\.name)
        pages = report.pages
        rendered = report.rendered
        cached = report.cached
        skipped = report.skipped
        let allErrors = report.errors + pipelines.flatMap(\.errors)
        failed = allErrors.count
        written = report.written + pipelines.reduce(0) { $0 + $1.filesWritten }
        removed = report.removed + pipelines.reduce(0) { $0 + $1.filesRemoved }
        errors = allErrors.map(ErrorEntry.init)
        latencyMilliseconds = latency.map { ($0 * 1000 * 100).rounded() / 100 }
    }

    public var succeeded: Bool { errors.isEmpty }

    static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// A one-line summary for the log.
    var summary: String {
        var text = "build #\(number) (\(trigger.rawValue))"
        if !pipelines.isEmpty { text += " [pipelines: \(pipelines.joined(separator: ", "))]" }
        text += ": \(pages) pages, \(rendered) rendered, \(cached) cached, "
            + "\(skipped) up to date, \(written) written, \(removed) removed in \(String(format: "%.1f", seconds * 1000)) ms"
        if let latencyMilliseconds { text += " (\(String(format: "%.1f", latencyMilliseconds)) ms after the first change)" }
        if failed > 0 { text += "; \(failed) error\(failed == 1 ? "" : "s")" }
        return text
    }
}
