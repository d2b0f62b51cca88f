import Foundation

/// The `unjucksd` command line: picks the subcommand, handles `--help` and
/// `--version`, maps errors to exit statuses. The executable calls `main()`.
public enum CLI {
    public static let version = "0.1.0"

    /// Every subcommand, in the order `--help` lists them.
    static let commands: [any Command.Type] = [
        BuildCommand.self,
        CacheCommand.self,
        RenderCommand.self,
        WatchCommand.self,
        StatusCommand.self,
        LoadtestCommand.self,
    ]

    /// Runs the command and ends the process with `_exit` once stdio is
    /// flushed: every command has closed its cache and joined its threads by
    /// the time it returns, and the exit handlers of the statically linked
    /// runtimes had nothing left to do but took 0.7 ms of every run.
    public static func main() -> Never {
        let code = run(Array(CommandLine.arguments.dropFirst()))
        fflush(nil)
        _exit(code)
    }

    static var overviewText: String {
        var text = """
        OVERVIEW: Build Nunjucks + Markdown sites and pipelines, once or as a watching daemon.

        USAGE: unjucksd <subcommand> [options]

        OPTIONS:
          --version               Show the version.
          -h, --help              Show help information.

        SUBCOMMANDS:

        """
        for command in commands {
            let pad = String(repeating: " ", count: max(1, 22 - command.name.count))
            text += "  \(command.name)\(pad)\(command.overview)\n"
        }
        text += "\n  See 'unjucksd help <subcommand>' for detailed help.\n"
        return text
    }

    /// Runs one invocation and returns the exit status; never exits itself,
    /// so tests can call it.
    public static func run(_ arguments: [String]) -> Int32 {
        guard let first = arguments.first else {
            Console.error(overviewText)
            return ExitCode.usage
        }
        switch first {
        case "--version", "-V":
            Console.out("unjucksd \(version)\n")
            return ExitCode.success
        case "--help", "-h":
            Console.out(overviewText)
            return ExitCode.success
        case "help":
            if arguments.count > 1, let command = commands.first(where: { $0.name == arguments[1] }) {
                Console.out(command.helpText)
            } else {
                Console.out(overviewText)
            }
            return ExitCode.success
        default:
            break
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            Console.error("Error: unknown subcommand '\(first)'\n\n" + overviewText)
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            Console.out(command.helpText)
            return ExitCode.success
        }
        do {
            let parsed = try ArgumentParser(options: command.options).parse(rest)
            return try command.init().run(parsed)
        } catch let error as UsageError {
            Console.error("Error: \(error.message)\n\(command.usageLine)\n  See 'unjucksd \(command.name) --help'.\n")
            return ExitCode.usage
        } catch {
            Console.error("Error: \(error)\n")
            return ExitCode.failure
        }
    }
}
