import Build
import Cache
import Foundation
import Pipeline
import Site

/// `unjucksd build`: the CI one-shot.
struct BuildCommand: Command {
    static let name = "build"
    static let overview = "Build every site and pipeline once; print every error as file:line:col."
    static let usage = "[<path> ...] [--out <dir>] [--cache <url>] [--jobs <n>] [--memory-limit <size>] [--json] [--quiet]"
    static let options: [OptionSpec] = CommonOptions.build + [
        .flag("json", help: "Print one JSON summary object instead of text."),
        .flag("quiet", short: "q", help: "Print errors only."),
    ]

    func run(_ arguments: ParsedArguments) throws -> Int32 {
        let setup = try BuildSetup(arguments)
        defer {
            setup.builder.shutdown()
            // The process ends right after this command: freeing the build
            // state (thousands of records) would only delay the exit.
            _ = Unmanaged.passRetained(setup.builder)
        }
        let json = arguments.has("json")
        let quiet = arguments.has("quiet") || json
        let progress = !quiet && isatty(2) == 1 ? ProgressBar() : nil
        if let progress { setup.builder.setProgress { done, total in progress.update(done, total) } }
        let governor = try BuildSetup.makeGovernor(arguments, builder: setup.builder)
        governor?.start()
        let report = setup.builder.build()
        let pipelines = setup.runPipelines()
        governor?.stop()
        progress?.finish()
        // A build that found everything up to date looked nothing up: the
        // last build that did keeps its place in `unjucksd cache stats`.
        let didWork = !pipelines.isEmpty || report.sites.contains { !$0.upToDateByFingerprint }
        let summary = json || didWork ? BuildSummary.json(report, pipelines: pipelines, cache: setup.cache.stats(includingUsage: json)) : ""
        if didWork { setup.builder.state.recordRun(summary: summary) }
        let errors = report.errors + pipelines.flatMap(\.errors)
        for error in errors {
            Console.error(error.description + "\n")
        }
        if json {
            Console.out(summary + "\n")
        } else if !quiet {
            if !report.sites.isEmpty { Console.out(BuildSummary.text(report) + "\n") }
            for pipeline in pipelines { Console.out(pipeline.summaryLine + "\n") }
        }
        return errors.isEmpty ? ExitCode.success : ExitCode.failure
    }
}

/// A one-line progress bar on stderr: `[#####.....] 1234/4000 pages`.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = 0.0

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date().timeIntervalSince1970
        guard done == total || now - lastDraw > 0.05 else { return }
        lastDraw = now
        let width = 30
        let filled = total == 0 ? width : width * done / total
        Console.error("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total) pages")
    }

    func finish() {
        Console.error("\r\u{1B}[K")
    }
}
