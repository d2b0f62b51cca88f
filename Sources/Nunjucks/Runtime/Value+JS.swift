import Foundation

/// JavaScript's conversions and operators on `Value`, which is what Nunjucks
/// templates get because Nunjucks compiles to JavaScript.
extension Value {
    /// JS truthiness. A `SafeString` is an object in Nunjucks, so even an
    /// empty safe string is true.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .null: return false
        case .bool(let b): return b
        case .number(let n): return !(n == 0 || n.isNaN)
        case .string(let s): return !s.isEmpty
        case .safe, .array, .object, .function, .regex: return true
        }
    }

    /// `undefined` alone (not `null`).
    @inline(__always)
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    public var isNullish: Bool {
        switch self {
        case .undefined, .null: return true
        default: return false
        }
    }

    /// `String(v)` in JS.
    public var jsString: String {
        switch self {
        case .undefined: return "undefined"
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.formatNumber(n)
        case .string(let s), .safe(let s): return s
        case .array(let a):
            // Array#join: null and undefined elements print as empty.
            return a.elements.map { $0.isNullish ? "" : $0.jsString }.joined(separator: ",")
        case .object: return "[object Object]"
        case .function(let f): return "function \(f.name)() { [native code] }"
        case .regex(let r): return "/\(r.source)/\(r.flags)"
        }
    }

    /// What `{{ v }}` prints before escaping: undefined and null print nothing.
    public var outputString: String {
        isNullish ? "" : jsString
    }

    /// `Number(v)` in JS.
    public var jsNumber: Double {
        switch self {
        case .undefined: return .nan
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .number(let n): return n
        case .string(let s), .safe(let s): return Value.parseNumber(s)
        case .array: return Value.parseNumber(jsString)
        case .object, .function, .regex: return .nan
        }
    }

    /// JS `typeof`-like classification used by filters.
    public var isString: Bool {
        switch self {
        case .string, .safe: return true
        default: return false
        }
    }

    /// The string content of a plain or safe string, else nil.
    public var stringValue: String? {
        switch self {
        case .string(let s), .safe(let s): return s
        default: return nil
        }
    }

    public var isSafe: Bool {
        if case .safe = self { return true }
        return false
    }
}

// MARK: - Numbers

extension Value {
    /// `Number.prototype.toString()` for a double: shortest round-trip digits,
    /// plain notation for exponents in [-7, 21), exponential beyond.
    public static func formatNumber(_ n: Double) -> String {
        if n.isNaN { return "NaN" }
        if n.isInfinite { return n < 0 ? "-Infinity" : "Infinity" }
        if n == 0 { return "0" }
        if n == n.rounded(.towardZero), abs(n) < 1e15 {
            return String(Int64(n))
        }
        // Swift prints the same shortest round-trip digits in plain notation
        // in this range, which is also where JS uses plain notation.
        if abs(n) >= 1e-4 && abs(n) < 1e15 {
            return n.description
        }
        // Swift's description is the shortest round-trip form; take its digits.
        var text = (abs(n)).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        var digits = ""
        var pointPosition = text.count
        for (i, c) in text.enumerated() {
            if c == "." { pointPosition = i } else { digits.append(c) }
        }
        // Strip leading zeros (adjusting the point) and trailing zeros.
        var leading = 0
        for c in digits { if c == "0" { leading += 1 } else { break } }
        digits.removeFirst(leading)
        pointPosition -= leading
        while digits.hasSuffix("0") { digits.removeLast() }
        let k = digits.count
        let point = pointPosition + exponent  // value = 0.digits × 10^point
        var out = n < 0 ? "-" : ""
        if k <= point && point <= 21 {
            out += digits + String(repeating: "0", count: point - k)
        } else if 0 < point && point <= 21 {
            let i = digits.index(digits.startIndex, offsetBy: point)
            out += digits[..<i] + "." + digits[i...]
        } else if -6 < point && point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + digits
        } else {
            let e = point - 1
            out += String(digits.first!)
            if k > 1 { out += "." + digits.dropFirst() }
            out += "e" + (e < 0 ? "-" : "+") + String(abs(e))
        }
        return out
    }

    /// `Number(string)`: trims JS whitespace; "" is 0; accepts `0x`, `0o`,
    /// `0b`, `Infinity`; anything else that is not a decimal literal is NaN.
    public static func parseNumber(_ s: String) -> Double {
        let t = s.trimmingCharacters(in: jsWhitespace)
        if t.isEmpty { return 0 }
        let lower = t.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            guard let v = UInt64(lower.dropFirst(2), radix: radix) else { return .nan }
            return Double(v)
        }
        switch t {
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: break
        }
        // Only decimal literals: Double("nan"), Double("inf") and hex floats are not JS.
        for c in t.utf8 where !(c >= 0x30 && c <= 0x39) && c != 0x2E && c != 0x2B && c != 0x2D && c != 0x65 && c != 0x45 {
            return .nan
        }
        return Double(t) ?? .nan
    }

    /// JS `\s`: ASCII whitespace, NBSP, BOM and Unicode space separators,
    /// line and paragraph separators.
    public static let jsWhitespace: CharacterSet = {
        var set = CharacterSet(charactersIn: "\t\n\u{0B}\u{0C}\r \u{A0}\u{FEFF}\u{1680}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}")
        set.insert(charactersIn: "\u{2000}"..."\u{200A}")
        return set
    }()
}

// MARK: - Operators

extension Value {
    /// ToPrimitive with the default hint: arrays and objects become their
    /// string form, a safe string its text.
    public var primitive: Value {
        switch self {
        case .safe(let s): return .string(s)
        case .array, .object, .function, .regex: return .string(jsString)
        default: return self
        }
    }

    /// JS `a + b`: string concatenation if either side is (or becomes) a
    /// string, numeric addition otherwise.
    public static func jsAdd(_ a: Value, _ b: Value) -> Value {
        let pa = a.primitive, pb = b.primitive
        if case .string(let sa) = pa { return .string(sa + pb.jsString) }
        if case .string(let sb) = pb { return .string(pa.jsString + sb) }
        return .number(pa.jsNumber + pb.jsNumber)
    }

    /// JS `===`.
    public static func strictEquals(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.undefined, .undefined), (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.safe(let x), .safe(let y)): return x == y && false  // two SafeString objects are never ===
        case (.array(let x), .array(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        default: return false
        }
    }

    /// JS `==` (abstract equality).
    public static func looseEquals(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.undefined, .undefined), (.null, .null), (.undefined, .null), (.null, .undefined): return true
        case (.undefined, _), (.null, _), (_, .undefined), (_, .null): return false
        case (.array(let x), .array(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        case (.function(let x), .function(let y)): return x === y
        case (.safe(let x), .safe(let y)): return x == y && false
        default: break
        }
        let pa = a.primitive, pb = b.primitive
        if case .string(let x) = pa, case .string(let y) = pb { return x == y }
        if case .bool(let x) = pa, case .bool(let y) = pb { return x == y }
        return pa.jsNumber == pb.jsNumber
    }

    /// JS relational comparison `a < b` (and, by swapping, `>`): strings
    /// compare by UTF-16 code units, anything else numerically.
    public static func lessThan(_ a: Value, _ b: Value) -> Bool {
        let pa = a.primitive, pb = b.primitive
        if case .string(let x) = pa, case .string(let y) = pb {
            return x.utf16.lexicographicallyPrecedes(y.utf16)
        }
        return pa.jsNumber < pb.jsNumber
    }

    public static func lessThanOrEqual(_ a: Value, _ b: Value) -> Bool {
        let pa = a.primitive, pb = b.primitive
        if case .string(let x) = pa, case .string(let y) = pb {
            return !y.utf16.lexicographicallyPrecedes(x.utf16)
        }
        let x = pa.jsNumber, y = pb.jsNumber
        return x <= y
    }
}
