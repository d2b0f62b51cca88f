import Foundation

/// How a scalar was written.
public enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    /// `|` block scalar.
    case literal
    /// `>` block scalar.
    case folded
}

/// What a scalar means once resolved (js-yaml's default schema: the YAML 1.2
/// core schema plus timestamps).
public enum YAMLScalarValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    /// Floats, and integers too large for `Int` (js-yaml has only doubles).
    case float(Double)
    case string(String)
    /// `2024-01-05` or `2024-01-05T10:00:00Z`; js-yaml makes these `Date`s.
    case timestamp(YAMLTimestamp)
}

/// A scalar node: its text as written (after unquoting and folding), its
/// style, and its resolved value.
public struct YAMLScalar: Sendable, Hashable {
    public var text: String
    public var style: YAMLScalarStyle
    public var value: YAMLScalarValue

    public init(text: String, style: YAMLScalarStyle, value: YAMLScalarValue) {
        self.text = text
        self.style = style
        self.value = value
    }
}

/// A timestamp scalar: the instant and the text it came from.
public struct YAMLTimestamp: Sendable, Hashable {
    public var date: Date
    public var text: String
    /// True for a bare date (`2024-01-05`, midnight UTC).
    public var isDateOnly: Bool

    public init(date: Date, text: String, isDateOnly: Bool) {
        self.date = date
        self.text = text
        self.isDateOnly = isDateOnly
    }
}
