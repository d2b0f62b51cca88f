import Build
import Cache
import Foundation
import Governor

/// `unjucksd cache stats|gc|clear`: look after the content-addressed cache.
struct CacheCommand: Command {
    static let name = "cache"
    static let overview = "Show, garbage-collect or clear the build cache."
    static let usage = "stats|gc|clear [--cache <url>] [--max-size <size>] [--tier memory|sqlite|redis] [--json]"
    static let options: [OptionSpec] = [
        .value("cache", "url", help: "sqlite:PATH (default sqlite:.unjucksd/cache.db), redis://..., or memory:. Env: UNJUCKSD_CACHE."),
        .value("max-size", "size", help: "gc: keep the SQLite file under this size (e.g. 256M); default: only unreferenced blobs go."),
        .value("tier", "tier", help: "clear: only this tier (memory, sqlite or redis); default: all."),
        .value("cache-namespace", "prefix", help: "Key prefix in Redis (default unjucksd:v1:)."),
        .value("cache-secret", "secret", help: "HMAC secret shared entries are signed with. Env: UNJUCKSD_CACHE_SECRET."),
        .flag("json", help: "Print JSON."),
    ]

    func run(_ arguments: ParsedArguments) throws -> Int32 {
        guard arguments.positionals.count == 1, let action = arguments.positionals.first else {
            throw UsageError("expected one of stats, gc, clear")
        }
        let cache = try BuildSetup.openCache(arguments)
        defer { cache.close() }
        let json = arguments.has("json")
        switch action {
        case "stats":
            let stats = cache.stats()
            let last = (try? BuildState(database: cache.database))?.lastRun()
            if json {
                Console.out(CacheSummary.json(stats, lastBuild: last) + "\n")
            } else {
                Console.out(CacheSummary.text(stats, lastBuild: last, fileBytes: cache.database.fileSize))
            }
        case "gc":
            var maxSize = Int.max
            if let text = arguments.value("max-size") {
                guard let bytes = try? ByteSize.parse(text) else { throw UsageError("--max-size takes a size like 256M") }
                maxSize = Int(bytes)
            }
            let report = try cache.gc(maxSize: maxSize)
            let fields: [String: Any] = [
                "unreferenced_blobs_removed": report.unreferencedBlobsRemoved,
                "lru_blobs_removed": report.leastRecentlyUsedBlobsRemoved,
                "actions_removed": report.actionsRemoved,
                "remaining_blobs": report.remainingBlobs,
                "remaining_bytes": report.remainingBytes,
                "file_bytes_before": report.fileBytesBefore,
                "file_bytes_after": report.fileBytesAfter,
            ]
            if json {
                Console.out(CacheSummary.encode(fields) + "\n")
            } else {
                Console.out("gc: removed \(report.unreferencedBlobsRemoved) unreferenced and \(report.leastRecentlyUsedBlobsRemoved) least recently used blobs, \(report.actionsRemoved) actions; \(report.remainingBlobs) blobs (\(report.remainingBytes) bytes) remain; file \(report.fileBytesBefore) -> \(report.fileBytesAfter) bytes\n")
            }
        case "clear":
            var tier: CacheTier?
            if let name = arguments.value("tier") {
                guard let parsed = CacheTier(rawValue: name) else { throw UsageError("--tier takes memory, sqlite or redis") }
                tier = parsed
            }
            try cache.clear(tier: tier)
            if tier == nil || tier == .sqlite {
                // Build state lives beside the blobs: without them the next build is a full one.
                // One statement each: a table a build never created is no reason to keep the others.
                for table in ["build_fingerprints", "build_files", "build_pages", "build_outputs", "build_page_sources"] {
                    _ = try? cache.database.write { try $0.executeScript("DELETE FROM \(table)") }
                }
            }
            if json {
                Console.out(CacheSummary.encode(["cleared": tier?.rawValue ?? "all"]) + "\n")
            } else {
                Console.out("cleared \(tier?.rawValue ?? "all tiers")\n")
            }
        default:
            throw UsageError("unknown cache action '\(action)': expected stats, gc or clear")
        }
        return ExitCode.success
    }
}

enum CacheSummary {
    static func tier(_ t: CacheTierStatistics) -> [String: Any] {
        ["hits": t.hits, "misses": t.misses, "errors": t.errors, "rejected": t.rejected, "bytes": t.bytes, "entries": t.entries, "hit_ratio": t.hitRatio]
    }

    static func json(_ stats: CacheStatistics, lastBuild: String?) -> String {
        var object: [String: Any] = ["memory": tier(stats.memory), "sqlite": tier(stats.sqlite)]
        if stats.redisConfigured {
            object["redis"] = tier(stats.redis)
            object["redis_circuit_state"] = stats.redisDetails.circuit.description
        }
        if let lastBuild, let data = lastBuild.data(using: .utf8), let parsed = try? JSONSerialization.jsonObject(with: data) {
            object["last_build"] = parsed
        }
        return encode(object)
    }

    static func text(_ stats: CacheStatistics, lastBuild: String?, fileBytes: Int) -> String {
        var out = "tier     entries        bytes\n"
        out += String(format: "sqlite %9llu %12llu  (file %d bytes)\n", stats.sqlite.entries, stats.sqlite.bytes, fileBytes)
        if stats.redisConfigured {
            out += String(format: "redis  %9llu %12llu  (written by this process; circuit %@)\n", stats.redis.entries, stats.redis.bytes, stats.redisDetails.circuit.description)
        }
        if let lastBuild, let data = lastBuild.data(using: .utf8),
           let parsed = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let tiers = parsed["cache"] as? [String: Any] {
            out += "last build: \(parsed["pages"] ?? 0) pages, \(parsed["rendered"] ?? 0) rendered, \(parsed["skipped"] ?? 0) up to date\n"
            for name in ["memory", "sqlite", "redis"] {
                guard let t = tiers[name] as? [String: Any] else { continue }
                let ratio = (t["hit_ratio"] as? Double) ?? 0
                out += String(format: "  %@ hit ratio %.1f%% (%@ hits, %@ misses)\n", name, ratio * 100, "\(t["hits"] ?? 0)", "\(t["misses"] ?? 0)")
            }
        } else {
            out += "last build: none recorded\n"
        }
        return out
    }

    static func encode(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
