/// A subcommand of `unjucksd`: its help text, its options, and what it does.
/// `run` returns the process exit status (see README: 0 ok, 1 build errors,
/// 2 usage, 3 unreachable service).
public protocol Command: Sendable {
    static var name: String { get }
    static var overview: String { get }
    /// The argument part of the USAGE line, e.g. `ENTRY --root DIR [options]`.
    static var usage: String { get }
    static var options: [OptionSpec] { get }
    init()
    func run(_ arguments: ParsedArguments) throws -> Int32
}

public enum ExitCode {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 2
    public static let unavailable: Int32 = 3
}

extension Command {
    /// OVERVIEW / USAGE / OPTIONS, as swift-argument-parser prints them.
    static var helpText: String {
        var text = "OVERVIEW: \(overview)\n\nUSAGE: unjucksd \(name) \(usage)\n\nOPTIONS:\n"
        let rows = options.map { ($0.synopsis, $0.help) } + [("-h, --help", "Show help information.")]
        let width = min(32, rows.map(\.0.count).max() ?? 0)
        for (synopsis, help) in rows {
            let pad = synopsis.count < width ? String(repeating: " ", count: width - synopsis.count) : "\n" + String(repeating: " ", count: width + 2)
            text += "  \(synopsis)\(pad)  \(help)\n"
        }
        return text
    }

    static var usageLine: String { "USAGE: unjucksd \(name) \(usage)" }
}
