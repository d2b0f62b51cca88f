/// Parsing of `--poll INTERVAL` values.
public enum PollInterval {
    /// Why an interval was rejected.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "invalid poll interval '\(text)': expected a positive number with a unit ms, s or m (e.g. 500ms, 2s)"
        }
    }

    /// Parses `500ms`, `2s`, `1.5s`, `1m`; a bare number means seconds.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let trimmed = text.filter { !$0.isWhitespace }
        let split = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
        guard let value = Double(trimmed[..<split]), value > 0, value.isFinite else { throw ParseError(text: text) }
        let milliseconds: Double
        switch trimmed[split...].lowercased() {
        case "ms": milliseconds = value
        case "", "s": milliseconds = value * 1000
        case "m", "min": milliseconds = value * 60_000
        default: throw ParseError(text: text)
        }
        guard milliseconds >= 1, milliseconds <= 86_400_000 else { throw ParseError(text: text) }
        return .microseconds(Int64((milliseconds * 1000).rounded()))
    }
}
