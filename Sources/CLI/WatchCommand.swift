import Build
import Daemon
import Foundation
import Governor

/// `unjucksd watch`: build once, then rebuild on every change and serve HTTP.
struct WatchCommand: Command {
    static let name = "watch"
    static let overview = "Build, then rebuild incrementally on every change; serve preview, live reload, metrics and status over HTTP."
    static let usage = "[<path> ...] [--out <dir>] [--cache <url>] [--jobs <n>] [--memory-limit <size>] [--host <h>] [--port <p>] [--settle <ms>] [--poll <interval>] [--no-live-reload] [--token <token>]"
    static let options: [OptionSpec] = CommonOptions.build + [
        .value("host", "h", help: "Address to listen on (default 127.0.0.1). Beyond loopback, POSTs need the token."),
        .value("port", "p", help: "Port to listen on (default 8383; 0 picks a free one)."),
        .value("settle", "ms", help: "Quiet time after the last file change before rebuilding (default 20)."),
        .value("poll", "interval", help: "Poll the file system every interval (e.g. 500ms, 2s) instead of inotify; for network and VM mounts."),
        .flag("no-live-reload", help: "Do not inject the live-reload script into previewed pages."),
        .value("token", "token", help: "Bearer token required for POST requests when bound beyond loopback. Env: UNJUCKSD_TOKEN."),
    ]

    func run(_ arguments: ParsedArguments) throws -> Int32 {
        var configuration = DaemonConfiguration(
            sitePaths: arguments.positionals.isEmpty
                ? ["./sites", "./pipelines"].filter { FileManager.default.fileExists(atPath: $0) } : arguments.positionals,
            version: CLI.version,
            log: { Console.error($0 + "\n") })
        if let host = arguments.value("host") { configuration.host = host }
        if let text = arguments.value("port") {
            guard let port = Int(text), (0...65535).contains(port) else { throw UsageError("--port takes a number from 0 to 65535") }
            configuration.port = port
        }
        if let text = arguments.value("settle") {
            guard let milliseconds = Double(text), milliseconds >= 0, milliseconds <= 60_000 else {
                throw UsageError("--settle takes milliseconds from 0 to 60000")
            }
            configuration.settleWindow = .microseconds(Int64(milliseconds * 1000))
        }
        if let text = arguments.value("poll") {
            guard let interval = Self.parseInterval(text) else { throw UsageError("--poll takes an interval like 500ms, 2s or 1.5 (seconds)") }
            configuration.pollInterval = interval
        }
        if let text = arguments.value("memory-limit") {
            guard let bytes = try? ByteSize.parse(text), bytes > 0 else { throw UsageError("--memory-limit takes a size like 512M or 2G") }
            configuration.memoryLimit = bytes
        }
        configuration.liveReload = !arguments.has("no-live-reload")
        configuration.token = arguments.value("token") ?? EnvironmentVariable.value("UNJUCKSD_TOKEN")

        // The daemon runs its own governor (it also pauses rebuilds and answers /ready).
        let setup = try BuildSetup(arguments)
        let signals = TerminationSignals()
        let daemon = Daemon(configuration: configuration, builder: setup.builder)
        do {
            try daemon.start()
        } catch {
            setup.builder.shutdown()
            Console.error("Error: \(error)\n")
            return ExitCode.usage
        }
        let shownHost = ["0.0.0.0", "::", ""].contains(configuration.host) ? "127.0.0.1"
            : (configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host)
        let base = "http://\(shownHost):\(daemon.port)"
        var banner = "unjucksd \(CLI.version) watching \(configuration.sitePaths.joined(separator: ", ")) -> \(setup.options.outputRoot)/\n"
        for site in daemon.sites { banner += "  preview  \(base)/sites/\(site.name)/\n" }
        for pipeline in daemon.pipelines {
            let name = ((pipeline as NSString).lastPathComponent as NSString).deletingPathExtension
            banner += "  pipeline \(name) -> \(base)/sites/\(name)/\n"
        }
        banner += "  dashboard \(base)/dashboard   status \(base)/status   metrics \(base)/metrics\n"
        if daemon.requiresToken {
            banner += configuration.token == nil
                ? "  bound beyond loopback without --token or UNJUCKSD_TOKEN: POST /api/* requests are refused (401)\n"
                : "  POST requests need: Authorization: Bearer <token>\n"
        }
        Console.error(banner)
        let received = signals.wait()
        Console.error("\(received == SIGINT ? "SIGINT" : "SIGTERM"): stopping (a running build is finished first)\n")
        daemon.stop()
        Console.error("stopped\n")
        return ExitCode.success
    }

    /// `500ms`, `2s`, `1.5` (seconds), `1m`.
    static func parseInterval(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var number = trimmed
        var scale = 1.0
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0)] where trimmed.hasSuffix(suffix) {
            number = String(trimmed.dropLast(suffix.count))
            scale = factor
            break
        }
        guard let value = Double(number), value > 0, value * scale <= 3600 else { return nil }
        return .microseconds(Int64(value * scale * 1_000_000))
    }
}
