import Build
import Cache
import Daemon
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
        func int(_ value: Int) -> JSONValue { .integer(value) }
        func tier(_ t: CacheTierStatistics) -> JSONValue {
            .sortedObject(["hits": int(Int(t.hits)), "misses": int(Int(t.misses)), "errors": int(Int(t.errors)), "bytes": int(Int(t.bytes)),
                           "hit_ratio": .number(t.hitRatio)])
        }
        var tiers: [String: JSONValue] = ["memory": tier(cache.memory), "sqlite": tier(cache.sqlite)]
        if cache.redisConfigured { tiers["redis"] = tier(cache.redis) }
        let sites: [JSONValue] = report.sites.map { site in
            .sortedObject(["name": .string(site.site), "pages": int(site.pages), "rendered": int(site.rendered), "cached": int(site.cached),
                           "skipped": int(site.skipped), "written": int(site.written), "removed": int(site.removed),
                           "errors": int(site.errors.count), "seconds": .number(site.seconds), "site_action": .string(site.siteAction.rawValue),
                           "phases": .sortedObject(Dictionary(site.phases.map { ($0.name, $0.seconds) }, uniquingKeysWith: +).mapValues { .number($0) })])
        }
        let pipelineObjects: [JSONValue] = pipelines.map { pipeline in
            .sortedObject(["name": .string(pipeline.name), "file": .string(pipeline.file), "written": int(pipeline.filesWritten),
                           "unchanged": int(pipeline.filesUnchanged), "removed": int(pipeline.filesRemoved), "skipped": int(pipeline.filesSkipped),
                           "injected": int(pipeline.filesInjected), "compressed": int(pipeline.compressed), "errors": int(pipeline.errors.count),
                           "seconds": .number(pipeline.seconds)])
        }
        let errors: [JSONValue] = (report.errors + pipelines.flatMap(\.errors)).map { error in
            .sortedObject(["file": .string(error.file), "line": int(error.line), "column": int(error.column), "message": .string(error.message)])
        }
        return JSONValue.sortedObject([
            "sites": .array(sites),
            "pages": int(report.pages),
            "rendered": int(report.rendered),
            "cached": int(report.cached),
            "skipped": int(report.skipped),
            "written": int(report.written),
            "removed": int(report.removed),
            "pipelines": .array(pipelineObjects),
            "errors": .array(errors),
            "seconds": .number(report.seconds),
            "cache": .sortedObject(tiers),
            "peak_rss_bytes": int(PeakMemory.residentBytes()),
        ]).text
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
