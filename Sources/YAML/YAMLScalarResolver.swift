/// Resolves scalars the way js-yaml's default schema does: implicit
/// resolution (null, bool, int, float, timestamp) for untagged plain
/// scalars; quoted and block scalars are strings; explicit tags must fit.
enum YAMLScalarResolver {
    static let tagPrefix = "tag:yaml.org,2002:"

    /// The value of a scalar with `tag` (nil when none was written).
    static func resolve(text: String, style: YAMLScalarStyle, tag: String?, at mark: YAMLMark) throws -> YAMLScalarValue {
        guard let tag else {
            return style == .plain ? implicitValue(of: text) : .string(text)
        }
        let resolved: YAMLScalarValue?
        switch tag {
        case "!", tagPrefix + "str":
            resolved = .string(text)
        case tagPrefix + "null":
            resolved = isNull(text) ? .null : nil
        case tagPrefix + "bool":
            resolved = bool(text).map(YAMLScalarValue.bool)
        case tagPrefix + "int":
            resolved = integer(text)
        case tagPrefix + "float":
            resolved = float(text).map(YAMLScalarValue.float) ?? integer(text).map { value in
                if case .int(let number) = value { return .float(Double(number)) }
                return value
            }
        case tagPrefix + "timestamp":
            resolved = YAMLTimestampParser.parse(text).map(YAMLScalarValue.timestamp)
        case tagPrefix + "seq", tagPrefix + "map", tagPrefix + "set", tagPrefix + "omap", tagPrefix + "pairs":
            throw YAMLError("unacceptable node kind for !<\(tag)> tag; it should be a collection, not a scalar", at: mark)
        default:
            throw YAMLError("unknown tag !<\(tag)>", at: mark)
        }
        guard let resolved else {
            throw YAMLError("cannot resolve a node with !<\(tag)> explicit tag", at: mark)
        }
        return resolved
    }

    /// Implicit resolution of an untagged plain scalar.
    static func implicitValue(of text: String) -> YAMLScalarValue {
        // Most scalars are words: only these first characters can start a
        // null, bool, number or timestamp.
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
             UInt8(ascii: "f"), UInt8(ascii: "F"):
            break
        default:
            return .string(text)
        }
        if isNull(text) { return .null }
        if let flag = bool(text) { return .bool(flag) }
        if let number = integer(text) { return number }
        if let number = float(text) { return .float(number) }
        if let stamp = YAMLTimestampParser.parse(text) { return .timestamp(stamp) }
        return .string(text)
    }

    static func isNull(_ text: String) -> Bool {
        switch text {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// js-yaml integers: optional sign, then `0b…`, `0x…`, `0o…` or decimal
    /// digits, `_` allowed between digits but not first or last. Values
    /// beyond `Int` become floats (JavaScript numbers are doubles).
    static func integer(_ text: String) -> YAMLScalarValue? {
        var bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var radix = 10
        if bytes.count >= 2, bytes.first == UInt8(ascii: "0") {
            switch bytes[bytes.startIndex + 1] {
            case UInt8(ascii: "b"): radix = 2
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            default: break
            }
            if radix != 10 { bytes = bytes.dropFirst(2) }
        }
        guard let first = bytes.first, let last = bytes.last,
              last != UInt8(ascii: "_"), radix != 10 || first != UInt8(ascii: "_") else { return nil }
        var digits: [UInt8] = []
        digits.reserveCapacity(bytes.count)
        for byte in bytes where byte != UInt8(ascii: "_") {
            guard digitValue(byte, radix: radix) != nil else { return nil }
            digits.append(byte)
        }
        guard !digits.isEmpty else { return nil }
        let digitText = String(decoding: digits, as: UTF8.self)
        if let magnitude = UInt64(digitText, radix: radix) {
            if negative, magnitude <= UInt64(Int.max) + 1 {
                return .int(magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude))
            }
            if !negative, magnitude <= UInt64(Int.max) { return .int(Int(magnitude)) }
        }
        // Too large for Int: a double, correctly rounded in base 10 (as
        // parseInt gives); powers-of-two radixes accumulate exactly enough.
        var approximate = 0.0
        if radix == 10, let parsed = Double(digitText) {
            approximate = parsed
        } else {
            for byte in digits { approximate = approximate * Double(radix) + Double(digitValue(byte, radix: radix) ?? 0) }
        }
        return .float(negative ? -approximate : approximate)
    }

    private static func digitValue(_ byte: UInt8, radix: Int) -> Int? {
        let value: Int
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
        return value < radix ? value : nil
    }

    /// js-yaml floats: `[-+]?digits[.digits][e[-+]digits]`, `.5`, `±.inf`,
    /// `.nan` in three spellings each; `_` allowed in the mantissa.
    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        let bytes = Array(text.utf8)
        guard let last = bytes.last, last != UInt8(ascii: "_") else { return nil }
        var index = 0
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        var signed = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index += 1
            signed = true
        }
        if isDigit(index) {
            while isDigit(index) || (index < bytes.count && bytes[index] == UInt8(ascii: "_")) { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                while isDigit(index) || (index < bytes.count && bytes[index] == UInt8(ascii: "_")) { index += 1 }
            }
        } else if !signed, index < bytes.count, bytes[index] == UInt8(ascii: "."), isDigit(index + 1) || (index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "_")) {
            index += 1
            while isDigit(index) || (index < bytes.count && bytes[index] == UInt8(ascii: "_")) { index += 1 }
        } else {
            return nil
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        guard index == bytes.count else { return nil }
        let cleaned = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        // Swift's Double(String) rejects "1." and ".5"-less forms JS accepts.
        var normalized = cleaned
        if normalized.hasSuffix(".") { normalized += "0" }
        if let dot = normalized.firstIndex(of: "."),
           normalized.index(after: dot) < normalized.endIndex,
           "eE".contains(normalized[normalized.index(after: dot)]) {
            normalized.insert("0", at: normalized.index(after: dot))
        }
        return Double(normalized)
    }
}
