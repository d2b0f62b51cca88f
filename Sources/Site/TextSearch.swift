import Foundation

/// Byte-level substring search: Foundation's `String.contains(_:)` goes
/// through CFString and is slow on the build's hot path (every page and
/// template is checked for `collections`, `templateContent`, ...).
///
/// Two searches, chosen by the needle's first byte. Where it is rare in
/// text (`{` of `{{`/`{%`, `#`, `%`, ...), `memchr` skips to each
/// occurrence with SIMD and `memcmp` checks it. Where it is common (a
/// letter, `.`, `<`), that loop stops every few bytes, and glibc's `memmem`
/// (not exported to Swift; looked up like `mallopt`) is faster. Measured on
/// 4,000 gen_site.py bodies (9.9 MB): `{{`, `{%`, `{#` took 1.9 ms with the
/// loop and 21 ms with `memmem`; `templateContent`, `inputPathToUrl`,
/// `.content` 16.5 ms with the loop and 6.6 ms with `memmem`.
public enum TextSearch {
    private typealias Memmem = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?
    private static let memmem: Memmem? = dlsym(nil, "memmem").map { unsafeBitCast($0, to: Memmem.self) }

    /// First bytes seldom found in prose or HTML.
    private static func isRare(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "|"),
             UInt8(ascii: "~"), UInt8(ascii: "^"), UInt8(ascii: "`"), UInt8(ascii: "\\"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard n.count > 0 else { return true }
                guard h.count >= n.count else { return false }
                if !isRare(n[0]), let memmem { return memmem(h.baseAddress, h.count, n.baseAddress, n.count) != nil }
                let base = UnsafeRawPointer(h.baseAddress!)
                let last = h.count - n.count
                var offset = 0
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(n[0]), last - offset + 1) else { return false }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }
}

extension TextSearch {
    /// Whether the text is empty or only ASCII white space (space, tab, CR, LF).
    public static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// The text without leading and trailing ASCII white space; cheaper than
    /// Foundation's `trimmingCharacters(in:)` on the hot path.
    public static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        func space(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        guard let first = utf8.firstIndex(where: { !space($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !space($0) })!
        if first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) { return text }
        return String(text[first...last])
    }
}

extension TextSearch {
    /// Whether `word` occurs as a whole name inside a Nunjucks tag or
    /// output (`{% ... %}`, `{{ ... }}`): after the last opening delimiter
    /// before it and before any closing one.
    public static func occursInsideTag(_ text: String, _ word: String) -> Bool {
        let bytes = Array(text.utf8), needle = Array(word.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        let brace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}"), percent = UInt8(ascii: "%")
        var inside = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == brace, index + 1 < bytes.count, bytes[index + 1] == brace || bytes[index + 1] == percent {
                inside = true
                index += 2
                continue
            }
            if (byte == closeBrace || byte == percent), index + 1 < bytes.count, bytes[index + 1] == closeBrace {
                inside = false
                index += 2
                continue
            }
            if inside, byte == needle[0], index + needle.count <= bytes.count,
               bytes[index..<(index + needle.count)].elementsEqual(needle) {
                let after = index + needle.count < bytes.count ? bytes[index + needle.count] : 0x20
                let namePart = after == UInt8(ascii: "_") || (after | 0x20 >= 0x61 && after | 0x20 <= 0x7A) || (after >= 0x30 && after <= 0x39)
                if !namePart { return true }
            }
            index += 1
        }
        return false
    }
}
