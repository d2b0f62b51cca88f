import Daemon
import Foundation

/// `unjucksd status`: asks a running daemon for `/status`.
struct StatusCommand: Command {
    static let name = "status"
    static let overview = "Show the state of a running `unjucksd watch` (exit 3 if it cannot be reached)."
    static let usage = "[--addr <host:port>] [--json]"
    static let options: [OptionSpec] = [
        .value("addr", "host:port", help: "Where the daemon listens (default 127.0.0.1:8383)."),
        .flag("json", help: "Print the daemon's JSON status document."),
    ]

    func run(_ arguments: ParsedArguments) throws -> Int32 {
        let address = arguments.value("addr") ?? "127.0.0.1:8383"
        let client: LoopbackHTTPClient
        do { client = try LoopbackHTTPClient(address: address, timeoutSeconds: 5) } catch { throw UsageError("\(error)") }
        let response: LoopbackHTTPClient.Response
        do {
            response = try client.get("/status")
        } catch {
            Console.error("unjucksd status: no daemon answers at \(address): \(error)\n")
            return ExitCode.unavailable
        }
        guard response.status == 200 else {
            Console.error("unjucksd status: \(address) answered HTTP \(response.status)\n")
            return ExitCode.unavailable
        }
        if arguments.has("json") {
            Console.out(response.text.hasSuffix("\n") ? response.text : response.text + "\n")
            return ExitCode.success
        }
        guard let status = try? JSONDecoder().decode(StatusReport.self, from: Data(response.body)) else {
            Console.error("unjucksd status: \(address) did not answer with an unjucksd status document\n")
            return ExitCode.unavailable
        }
        Console.out(Self.summary(status, address: address))
        return ExitCode.success
    }

    static func summary(_ status: StatusReport, address: String) -> String {
        func size(_ bytes: UInt64?) -> String {
            guard let bytes else { return "none" }
            let units = ["B", "KiB", "MiB", "GiB", "TiB"]
            var value = Double(bytes)
            var unit = 0
            while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
            return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
        }
        var text = "unjucksd \(status.version) at \(address): \(status.ready ? "ready" : "NOT READY"), up \(Int(status.uptime)) s, "
        text += status.building ? "building (\(status.buildingTrigger ?? "?"))\n" : "idle\n"
        text += "sites:\n"
        for site in status.sites {
            text += "  \(site.name)  \(site.pages) pages  \(site.failing ? "FAILING (\(site.errors) errors)" : "ok")  http://\(address)\(site.url)\n"
        }
        if let build = status.lastBuild {
            text += "last build #\(build.number) (\(build.trigger.rawValue)) at \(build.started): \(String(format: "%.1f", build.seconds * 1000)) ms, "
            text += "\(build.rendered) rendered, \(build.cached) cached, \(build.skipped) up to date, \(build.failed) failed\n"
            for error in build.errors.prefix(20) { text += "  \(error.file):\(error.line):\(error.column): \(error.message)\n" }
            if build.errors.count > 20 { text += "  … \(build.errors.count - 20) more\n" }
        } else {
            text += "no build finished yet\n"
        }
        text += "workers \(status.workers.busy) busy / \(status.workers.limit) granted / \(status.workers.max) max, queue \(status.queueDepth)\n"
        text += "memory \(size(status.memory.rss)) of \(size(status.memory.limit)), pressure \(status.memory.pressure)"
        text += status.memory.rebuildsPaused ? " (rebuilds paused)\n" : "\n"
        for tier in ["memory", "sqlite", "redis"] {
            guard let figures = status.cache[tier] else { continue }
            text += "cache \(tier): \(figures.hits) hits, \(figures.misses) misses, \(figures.errors) errors, \(size(figures.bytes))\n"
        }
        text += "redis circuit: \(status.redis.configured ? status.redis.circuit : "not configured")\n"
        text += "http: \(status.http.requests) requests, p50 \(String(format: "%.2f", status.http.p50)) ms, p99 \(String(format: "%.2f", status.http.p99)) ms\n"
        return text
    }
}
