import Build
import Cache
import Foundation
import Pipeline

/// The end-of-build summary, as text for people and as one JSON object
/// for scripts (`--json`).
enum BuildSummary {
    static func text(_ report: BuildReport) -> String {
        var parts = ["\(report.pages) pages", "\(report.rendered) rendered", "\(report.cached) from cache", "\(report.skipped) up to date"]
        if report.removed > 0 { parts.append("\(report.removed) stale removed") }
        let errors = report.errors.count
        let status = errors == 0 ? "ok" : "\(errors) error\(errors == 1 ? "" : "s")"
        return "built \(report.sites.count) site\(report.sites.count == 1 ? "" : "s"): " + parts.joined(separator: ", ")
            + String(format: " in %.2fs (%@)", report.seconds, status)
    }

    static func json(_ report: BuildReport, pipelines: [PipelineReport] = [], cache: CacheStatistics) -> String {
        func tier(_ t: CacheTierStatistics) -> [String: Any] {
            ["hits": t.hits, "misses": t.misses, "errors": t.errors, "bytes": t.bytes, "hit_ratio": t.hitRatio]
        }
        var tiers: [String: Any] = ["memory": tier(cache.memory), "sqlite": tier(cache.sqlite)]
        if cache.redisConfigured { tiers["redis"] = tier(cache.redis) }
        let object: [String: Any] = [
            "sites": report.sites.map { site in
                ["name": site.site, "pages": site.pages, "rendered": site.rendered, "cached": site.cached,
                 "skipped": site.skipped, "written": site.written, "removed": site.removed, "errors": site.errors.count,
                 "seconds": site.seconds,
                 "phases": Dictionary(site.phases.map { ($0.name, $0.seconds) }, uniquingKeysWith: +)] as [String: Any]
            },
            "pages": report.pages,
            "rendered": report.rendered,
            "cached": report.cached,
            "skipped": report.skipped,
            "written": report.written,
            "removed": report.removed,
            "pipelines": pipelines.map { pipeline in
                ["name": pipeline.name, "file": pipeline.file, "written": pipeline.filesWritten, "unchanged": pipeline.filesUnchanged,
                 "removed": pipeline.filesRemoved, "skipped": pipeline.filesSkipped, "injected": pipeline.filesInjected,
                 "compressed": pipeline.compressed, "errors": pipeline.errors.count, "seconds": pipeline.seconds] as [String: Any]
            },
            "errors": (report.errors + pipelines.flatMap(\.errors)).map { ["file": $0.file, "line": $0.line, "column": $0.column, "message": $0.message] as [String: Any] },
            "seconds": report.seconds,
            "cache": tiers,
            "peak_rss_bytes": PeakMemory.residentBytes(),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Peak resident set size of this process (`VmHWM` in /proc/self/status).
enum PeakMemory {
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return digits * 1024
        }
        return 0
    }
}
