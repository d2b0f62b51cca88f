/// Byte sizes as users write them: `512M`, `2G`, `1.5G`, `96MiB`, `64k`, `1048576`.
public enum ByteSize {
    /// Why a size string was rejected.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String {
            "invalid size '\(text)': expected a number with an optional unit K, M, G or T (e.g. 512M, 1.5G)"
        }
    }

    /// Parses a size. Units are binary (K = 1024) and case-insensitive, and
    /// may be followed by `B` or `iB`; no unit means bytes. Fractions are
    /// allowed with a unit ("1.5G") and rounded down to whole bytes.
    public static func parse(_ text: String) throws(ParseError) -> UInt64 {
        let trimmed = text.trimmingWhitespace()
        let numberEnd = trimmed.firstIndex { !($0.isNumber || $0 == ".") } ?? trimmed.endIndex
        let number = trimmed[..<numberEnd]
        var unit = trimmed[numberEnd...].trimmingWhitespace().uppercased()
        if unit.hasSuffix("IB") { unit.removeLast(2) } else if unit.hasSuffix("B") { unit.removeLast() }
        let multiplier: Double
        switch unit {
        case "": multiplier = 1
        case "K": multiplier = 1024
        case "M": multiplier = 1024 * 1024
        case "G": multiplier = 1024 * 1024 * 1024
        case "T": multiplier = 1024 * 1024 * 1024 * 1024
        default: throw ParseError(text: text)
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII }), let value = Double(number), value >= 0,
              unit != "" || !number.contains(".")
        else { throw ParseError(text: text) }
        let bytes = value * multiplier
        guard bytes < 1.8e19 else { throw ParseError(text: text) }
        return UInt64(bytes)
    }

    /// A short human form: "512.0 MiB", "1.50 GiB", "900 B".
    public static func format(_ bytes: UInt64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard bytes >= 1024 else { return "\(bytes) B" }
        var value = Double(bytes)
        var index = -1
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded) \(units[index])"
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
