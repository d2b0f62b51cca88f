/// String operations with JavaScript's UTF-16 code unit semantics: lengths,
/// indexes and slices count code units, as `String.prototype` does.
enum JSStringOps {
    /// A string made of UTF-16 units; lone surrogates become U+FFFD.
    @inline(__always)
    static func string<C: Collection>(_ units: C) -> String where C.Element == UInt16 {
        String(decoding: units, as: UTF16.self)
    }

    static func length(_ s: String) -> Int { s.utf16.count }

    /// Three-way comparison of two ASCII strings by bytes, optionally as
    /// their lower-cased forms, without building those forms.
    static func compareASCII(_ a: String, _ b: String, foldingCase: Bool) -> Int {
        var x = a, y = b
        return x.withUTF8 { p in
            y.withUTF8 { q in
                let n = Swift.min(p.count, q.count)
                var i = 0
                while i < n {
                    var c = p[i], d = q[i]
                    if foldingCase {
                        if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                        if d >= 0x41 && d <= 0x5A { d |= 0x20 }
                    }
                    if c != d { return c < d ? -1 : 1 }
                    i += 1
                }
                return p.count == q.count ? 0 : (p.count < q.count ? -1 : 1)
            }
        }
    }

    /// `s.substring(start, end)` with both already clamped to `0...length`.
    static func units(_ s: String, from start: Int, to end: Int) -> String {
        if start >= end { return "" }
        if s.utf8.count == s.utf16.count {  // ASCII-compatible: byte offsets equal unit offsets
            let u = s.utf8
            let a = u.index(u.startIndex, offsetBy: start), b = u.index(a, offsetBy: end - start)
            return String(Substring(u[a..<b]))
        }
        let u = s.utf16
        let a = u.index(u.startIndex, offsetBy: start), b = u.index(a, offsetBy: end - start)
        if let text = String(u[a..<b]) { return text }
        return string(u[a..<b])
    }

    /// The unit at `index` as a one-unit string, nil when out of range.
    static func unit(_ s: String, at index: Int) -> String? {
        guard index >= 0 else { return nil }
        let u = s.utf16
        guard index < u.count else { return nil }
        return string(CollectionOfOne(u[u.index(u.startIndex, offsetBy: index)]))
    }

    /// JS `ToIntegerOrInfinity` then clamped into `0...length`, as `substring` does.
    static func clamp(_ value: Value, length: Int, default defaultValue: Int) -> Int {
        if case .undefined = value { return defaultValue }
        let n = value.jsNumber
        if n.isNaN { return 0 }
        return Int(max(0, min(Double(length), n.rounded(.towardZero))))
    }

    /// A relative index (negative counts from the end) clamped into
    /// `0...length`, as `slice` and `at` read their arguments.
    static func relative(_ value: Value, length: Int, default defaultValue: Int) -> Int {
        if case .undefined = value { return defaultValue }
        var n = value.jsNumber
        if n.isNaN { n = 0 }
        n = n.rounded(.towardZero)
        if n < 0 { return Int(max(0, Double(length) + n)) }
        return Int(min(n, Double(length)))
    }

    /// `haystack.indexOf(needle, from)` in code units.
    static func indexOf(_ haystack: [UInt16], _ needle: [UInt16], from: Int = 0) -> Int {
        let start = max(0, from)
        if needle.isEmpty { return min(start, haystack.count) }
        guard haystack.count >= needle.count else { return -1 }
        let last = haystack.count - needle.count
        guard start <= last else { return -1 }
        let first = needle[0]
        var i = start
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return -1
    }

    /// `haystack.lastIndexOf(needle, from)` in code units.
    static func lastIndexOf(_ haystack: [UInt16], _ needle: [UInt16], from: Int) -> Int {
        guard haystack.count >= needle.count else { return -1 }
        var i = min(from, haystack.count - needle.count)
        while i >= 0 {
            var j = 0
            while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
            if j == needle.count { return i }
            i -= 1
        }
        return -1
    }

    static func isJSWhitespace(_ unit: UInt16) -> Bool {
        switch unit {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// `trim`, `trimStart`, `trimEnd` with the JS whitespace set.
    static func trim(_ s: String, start: Bool = true, end: Bool = true) -> String {
        let u = s.utf16
        var a = u.startIndex, b = u.endIndex
        if start { while a < b, isJSWhitespace(u[a]) { a = u.index(after: a) } }
        if end {
            while b > a {
                let p = u.index(before: b)
                if isJSWhitespace(u[p]) { b = p } else { break }
            }
        }
        if a == u.startIndex && b == u.endIndex { return s }
        return String(u[a..<b]) ?? string(u[a..<b])
    }

    /// `toLowerCase` / `toUpperCase`: full Unicode case mapping (ß -> SS).
    static func lower(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) }) { return s }
        return s.lowercased()
    }

    static func upper(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x61 && $0 <= 0x7A) }) { return s }
        return s.uppercased()
    }

    /// Nunjucks's `capitalize`: lower-case everything, then upper-case the
    /// first code unit.
    static func capitalize(_ s: String) -> String {
        let lowered = lower(s)
        guard let first = lowered.unicodeScalars.first else { return lowered }
        // JS upper-cases one code unit: an astral first character stays as is.
        if first.value > 0xFFFF { return lowered }
        let rest = lowered.unicodeScalars.index(after: lowered.unicodeScalars.startIndex)
        return String(first).uppercased() + lowered[rest...]
    }

    /// `s.split(separator)` with a string separator, in code units.
    static func split(_ s: String, separator: String, limit: Int = Int.max) -> [String] {
        if limit == 0 { return [] }
        if separator.isEmpty {
            var out: [String] = []
            for unit in s.utf16 {
                if out.count >= limit { break }
                out.append(string(CollectionOfOne(unit)))
            }
            return out
        }
        let hay = Array(s.utf16), needle = Array(separator.utf16)
        var parts: [String] = []
        var position = 0
        while parts.count < limit {
            let next = indexOf(hay, needle, from: position)
            if next < 0 {
                parts.append(string(hay[position...]))
                break
            }
            parts.append(string(hay[position..<next]))
            position = next + needle.count
        }
        return parts
    }

    /// `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`
    /// is percent-encoded as UTF-8.
    static func encodeURIComponent(_ s: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in s.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x5F, 0x2E, 0x21, 0x7E, 0x2A, 0x27, 0x28, 0x29:
                out.append(byte)
            default:
                out.append(0x25)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
