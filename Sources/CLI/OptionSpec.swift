/// One option a subcommand accepts, described the way swift-argument-parser
/// would generate it: `--kebab-case` names, a value placeholder, help text.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable {
        /// `--flag`, no value.
        case flag
        /// `--name VALUE` or `--name=VALUE`; `repeating` keeps every occurrence.
        case value(placeholder: String, repeating: Bool)
    }

    public let name: String
    public let short: Character?
    public let kind: Kind
    public let help: String

    public init(_ name: String, short: Character? = nil, kind: Kind = .flag, help: String) {
        self.name = name
        self.short = short
        self.kind = kind
        self.help = help
    }

    public static func flag(_ name: String, short: Character? = nil, help: String) -> OptionSpec {
        OptionSpec(name, short: short, kind: .flag, help: help)
    }

    public static func value(_ name: String, _ placeholder: String, repeating: Bool = false, help: String) -> OptionSpec {
        OptionSpec(name, kind: .value(placeholder: placeholder, repeating: repeating), help: help)
    }

    var takesValue: Bool {
        if case .flag = kind { return false }
        return true
    }

    /// `--name <placeholder>` as shown in USAGE and OPTIONS.
    var synopsis: String {
        var s = "--\(name)"
        if case .value(let placeholder, _) = kind { s += " <\(placeholder)>" }
        if let short { s = "-\(short), " + s }
        return s
    }
}
