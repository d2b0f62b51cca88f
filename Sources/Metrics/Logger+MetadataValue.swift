extension Logger {
    /// A metadata value: written from string, integer, float and boolean literals or interpolations.
    public struct MetadataValue: Sendable, Hashable, CustomStringConvertible,
        ExpressibleByStringLiteral, ExpressibleByStringInterpolation,
        ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral {
        public let description: String

        public init(_ value: some CustomStringConvertible) { description = value.description }
        public init(stringLiteral value: String) { description = value }
        public init(integerLiteral value: Int) { description = String(value) }
        public init(floatLiteral value: Double) { description = String(value) }
        public init(booleanLiteral value: Bool) { description = String(value) }
    }
}
