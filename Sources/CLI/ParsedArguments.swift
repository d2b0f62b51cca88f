/// The result of parsing one subcommand's arguments: positionals in order,
/// the flags that were given and the values of value options.
public struct ParsedArguments: Sendable, Equatable {
    public var positionals: [String] = []
    public var flags: Set<String> = []
    public var values: [String: [String]] = [:]

    public init() {}

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The last value given for `name` (later occurrences win, as with most CLIs).
    public func value(_ name: String) -> String? { values[name]?.last }

    public func all(_ name: String) -> [String] { values[name] ?? [] }
}

/// A usage error: printed with the subcommand's usage, exit status 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
