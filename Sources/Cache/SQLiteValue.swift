/// A value bound to or read from an SQLite statement.
public enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The integer, if this is one.
    public var integer: Int64? { if case .integer(let v) = self { v } else { nil } }
    /// The double, converting integers.
    public var real: Double? {
        switch self {
        case .real(let v): v
        case .integer(let v): Double(v)
        default: nil
        }
    }
    /// The text, if this is text.
    public var text: String? { if case .text(let v) = self { v } else { nil } }
    /// The bytes, if this is a blob (or text, as UTF-8).
    public var blob: [UInt8]? {
        switch self {
        case .blob(let v): v
        case .text(let v): Array(v.utf8)
        default: nil
        }
    }
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue {
    /// An integer value from any `BinaryInteger`.
    public static func int(_ value: some BinaryInteger) -> SQLiteValue { .integer(Int64(value)) }
    /// A 32-byte blob holding a content hash.
    public static func hash(_ value: ContentHash) -> SQLiteValue { .blob(value.bytes) }
}

/// One result row: column values in select order.
public struct SQLiteRow: Sendable, Hashable {
    /// Column values, in the order of the SELECT list.
    public var values: [SQLiteValue]

    public init(values: [SQLiteValue]) { self.values = values }

    public subscript(_ column: Int) -> SQLiteValue { values[column] }
}
