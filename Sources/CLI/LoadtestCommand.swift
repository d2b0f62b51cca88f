import Daemon
import Foundation

/// `unjucksd loadtest`: a bounded load generator against a running daemon on this machine.
struct LoadtestCommand: Command {
    static let name = "loadtest"
    static let overview = "Load a running daemon on this machine with a mix of requests; report requests/s and latency per kind."
    static let usage = "[--addr <host:port>] [--users <n>] [--duration <seconds>] [--mix browse=40,generate=30,api=20,search=10] [--json]"
    static let options: [OptionSpec] = [
        .value("addr", "host:port", help: "The daemon (default 127.0.0.1:8383); loopback addresses only."),
        .value("users", "n", help: "Concurrent users, each on its own keep-alive connection (default 10, at most 5000)."),
        .value("duration", "seconds", help: "How long to run (default 10, at most 3600)."),
        .value("mix", "mix", help: "Weights of request kinds (default browse=40,generate=30,api=20,search=10)."),
        .flag("json", help: "Print the report as JSON."),
    ]

    func run(_ arguments: ParsedArguments) throws -> Int32 {
        let address = arguments.value("addr") ?? "127.0.0.1:8383"
        let host: String
        do { (host, _) = try LoopbackHTTPClient.split(address) } catch { throw UsageError("\(error)") }
        guard LoopbackHTTPClient.isLoopback(host) else {
            throw UsageError("loadtest only targets this machine: \(host) is not a loopback address")
        }
        var users = 10
        if let text = arguments.value("users") {
            guard let value = Int(text), (1...5000).contains(value) else { throw UsageError("--users takes a number from 1 to 5000") }
            users = value
        }
        var seconds = 10.0
        if let text = arguments.value("duration") {
            guard let value = Double(text), value > 0, value <= 3600 else { throw UsageError("--duration takes seconds from 0 to 3600") }
            seconds = value
        }
        var mix = LoadGenerator.Mix.standard
        if let text = arguments.value("mix") {
            do { mix = try LoadGenerator.Mix(parsing: text) } catch { throw UsageError("--mix: \(error)") }
        }
        let generator = LoadGenerator(address: address, users: users, duration: .milliseconds(Int64(seconds * 1000)), mix: mix)
        let report: LoadGenerator.Report
        do {
            report = try generator.run()
        } catch {
            Console.error("unjucksd loadtest: cannot reach a daemon at \(address): \(error)\n")
            return ExitCode.unavailable
        }
        if arguments.has("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Console.out(String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self) + "\n")
        } else {
            Console.out(Self.text(report, address: address))
        }
        return ExitCode.success
    }

    static func text(_ report: LoadGenerator.Report, address: String) -> String {
        var text = "\(report.users) users for \(String(format: "%.1f", report.seconds)) s against \(address): "
        text += "\(report.requests) requests, \(String(format: "%.1f", report.requestsPerSecond)) req/s, \(report.errors) errors\n"
        text += "kind        requests  errors    p50 ms    p95 ms    p99 ms   mean ms\n"
        for kind in report.kinds {
            func column(_ value: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - value.count)) + value }
            text += kind.kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                + column("\(kind.requests)", 10) + column("\(kind.errors)", 8)
                + column(String(format: "%.2f", kind.p50), 10) + column(String(format: "%.2f", kind.p95), 10)
                + column(String(format: "%.2f", kind.p99), 10) + column(String(format: "%.2f", kind.mean), 10) + "\n"
        }
        for error in report.sampleErrors { text += "  error: \(error)\n" }
        return text
    }
}
