/// JSON with JavaScript's semantics: objects keep key order (JS order),
/// numbers are doubles; errors name the line and column.
public enum JSON {
    /// A JSON syntax error at a 1-based line and column.
    public struct ParseError: Error, Sendable, CustomStringConvertible, Equatable {
        public let message: String
        public let line: Int
        public let column: Int
        public var description: String { "\(line):\(column): \(message)" }
    }

    /// `JSON.parse`.
    public static func parse(_ text: String) throws -> Value {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(ParseError) -> Value in
            var parser = JSONParser(bytes: UnsafeBufferPointer(buffer))
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            if parser.index < buffer.count { throw parser.error("unexpected text after the JSON value") }
            return value
        }
    }

    /// `JSON.stringify(value, null, indent)` on template values, as
    /// JavaScript does it: undefined and functions are dropped from objects
    /// and become null in arrays (a top-level one gives nil); non-finite
    /// numbers are null; a SafeString is the object it is in Nunjucks
    /// (`{"val":...,"length":...}`); a cycle throws JS's TypeError.
    public static func stringify(_ value: Value, indent: String?) throws -> String? {
        var out = ""
        var seen = Set<ObjectIdentifier>()
        guard try write(value, indent: indent ?? "", level: 0, seen: &seen, into: &out) else { return nil }
        return out
    }

    private static func write(_ value: Value, indent: String, level: Int, seen: inout Set<ObjectIdentifier>, into out: inout String) throws -> Bool {
        switch value {
        case .undefined, .function: return false
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? Value.formatNumber(n) : "null"
        case .string(let s): quote(s, into: &out)
        case .safe(let s):
            try writeObject([("val", .string(s)), ("length", .number(Double(s.utf16.count)))], indent: indent, level: level, seen: &seen, into: &out)
        case .regex: out += "{}"
        case .array(let a):
            let id = ObjectIdentifier(a)
            guard seen.insert(id).inserted else { throw RuntimeError("TypeError: Converting circular structure to JSON") }
            defer { seen.remove(id) }
            if a.elements.isEmpty { out += "[]"; return true }
            out += "["
            for (i, element) in a.elements.enumerated() {
                if i > 0 { out += "," }
                newline(indent, level + 1, &out)
                if try !write(element, indent: indent, level: level + 1, seen: &seen, into: &out) { out += "null" }
            }
            newline(indent, level, &out)
            out += "]"
        case .object(let o):
            let id = ObjectIdentifier(o)
            guard seen.insert(id).inserted else { throw RuntimeError("TypeError: Converting circular structure to JSON") }
            defer { seen.remove(id) }
            try writeObject(o.entries.map { ($0.key, $0.value) }, indent: indent, level: level, seen: &seen, into: &out)
        }
        return true
    }

    private static func writeObject(_ entries: [(String, Value)], indent: String, level: Int, seen: inout Set<ObjectIdentifier>, into out: inout String) throws {
        var first = true
        out += "{"
        for (key, v) in entries {
            if case .undefined = v { continue }
            if case .function = v { continue }
            if !first { out += "," }
            first = false
            newline(indent, level + 1, &out)
            quote(key, into: &out)
            out += indent.isEmpty ? ":" : ": "
            _ = try write(v, indent: indent, level: level + 1, seen: &seen, into: &out)
        }
        if !first { newline(indent, level, &out) }
        out += "}"
    }

    private static func newline(_ indent: String, _ level: Int, _ out: inout String) {
        guard !indent.isEmpty else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for unit in s.unicodeScalars {
            switch unit {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if unit.value < 0x20 {
                    let hex = String(unit.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(unit)
                }
            }
        }
        out += "\""
    }
}

/// A byte-level JSON parser (RFC 8259), iterative enough for deep input:
/// nesting is capped.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String) -> JSON.ParseError {
        var line = 1, column = 1
        var i = 0
        while i < min(index, bytes.count) {
            if bytes[i] == 0x0A { line += 1; column = 1 } else if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSON.ParseError(message: message, line: line, column: column)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSON.ParseError) -> Value {
        guard index < bytes.count else { throw error("unexpected end of input") }
        if depth > JSONParser.maxDepth { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
        switch bytes[index] {
        case 0x7B: return try parseObject(depth: depth)
        case 0x5B: return try parseArray(depth: depth)
        case 0x22: return .string(try parseString())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39: return .number(try parseNumber())
        default: throw error("unexpected character '\(String(decoding: [bytes[index]], as: UTF8.self))'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSON.ParseError) {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw error("unexpected end of input") }
        for i in 0..<n where bytes[index + i] != word.utf8Start[i] { throw error("invalid literal") }
        index += n
    }

    private mutating func parseObject(depth: Int) throws(JSON.ParseError) -> Value {
        index += 1
        let object = JSObject()
        skipWhitespace()
        if index < bytes.count && bytes[index] == 0x7D { index += 1; return .object(object) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x22 else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x3A else { throw error("expected ':' after an object key") }
            index += 1
            skipWhitespace()
            object[key] = try parseValue(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[index] == 0x2C { index += 1; continue }
            if bytes[index] == 0x7D { index += 1; return .object(object) }
            throw error("expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSON.ParseError) -> Value {
        index += 1
        var elements: [Value] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == 0x5D { index += 1; return .array(JSArray(elements)) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[index] == 0x2C { index += 1; continue }
            if bytes[index] == 0x5D { index += 1; return .array(JSArray(elements)) }
            throw error("expected ',' or ']' in an array")
        }
    }

    private mutating func parseString() throws(JSON.ParseError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == 0x5C { break }
            if b < 0x20 { throw error("control character in a string") }
            index += 1
        }
        var out = Array(bytes[start..<index])
        var pendingHigh: UInt16?
        while index < bytes.count {
            let b = bytes[index]
            if b == 0x22 {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 { throw error("control character in a string") }
            if b != 0x5C {
                out.append(b)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard index + 4 <= bytes.count, let unit = UInt16(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + 4]), as: UTF8.self), radix: 16) else {
                    throw error("invalid \\u escape")
                }
                index += 4
                var scalar: Unicode.Scalar?
                if unit >= 0xD800 && unit < 0xDC00 {
                    pendingHigh = unit
                    // A low surrogate must follow; otherwise it is replaced.
                    if index + 6 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75,
                       let low = UInt16(String(decoding: UnsafeBufferPointer(rebasing: bytes[index + 2..<index + 6]), as: UTF8.self), radix: 16),
                       low >= 0xDC00 && low < 0xE000 {
                        index += 6
                        scalar = Unicode.Scalar(0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00))
                    }
                    pendingHigh = nil
                } else {
                    scalar = Unicode.Scalar(unit)
                }
                out.append(contentsOf: Array(String(scalar ?? "\u{FFFD}").utf8))
            default:
                throw error("invalid escape '\\\(String(decoding: [e], as: UTF8.self))'")
            }
        }
        _ = pendingHigh
        throw error("unterminated string")
    }

    private mutating func parseNumber() throws(JSON.ParseError) -> Double {
        let start = index
        if bytes[index] == 0x2D { index += 1 }
        guard index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 else { throw error("invalid number") }
        if bytes[index] == 0x30 {
            index += 1
        } else {
            while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
        }
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            guard index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 else { throw error("invalid number") }
            while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 else { throw error("invalid number") }
            while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let n = Double(text) else { throw error("invalid number") }
        return n
    }
}
