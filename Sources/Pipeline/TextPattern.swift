import Foundation

/// What `before:`, `after:` and `skip_if:` look for: a regular expression
/// (ICU syntax, close to the JavaScript one Hygen uses; `^` and `$` match
/// at line boundaries), or, when the text is not a valid regular
/// expression (`export {`), the literal text.
///
/// Patterns with no metacharacters besides a leading `^` and a trailing
/// `$` (`^// </exports>`, `UserClient`), the usual markers, are matched by
/// a byte search instead of the regex engine: same result, and fast enough
/// for thousands of injections into one large file.
public struct TextPattern: Sendable, CustomStringConvertible {
    public let source: String
    private let matcher: Matcher

    private enum Matcher: @unchecked Sendable {
        /// `lineStart`: only where a line starts (`^`); `lineEnd`: only
        /// where one ends (`$`).
        case literal([UInt8], lineStart: Bool, lineEnd: Bool)
        case regex(NSRegularExpression)
    }

    private static let metacharacters = Set("\\.^$|?*+()[]{}".utf8)

    public init(_ source: String) {
        self.source = source
        var core = Substring(source)
        let lineStart = core.hasPrefix("^")
        if lineStart { core = core.dropFirst() }
        let lineEnd = core.hasSuffix("$") && !core.hasSuffix("\\$")
        if lineEnd { core = core.dropLast() }
        if !core.isEmpty, !core.utf8.contains(where: TextPattern.metacharacters.contains) {
            matcher = .literal(Array(core.utf8), lineStart: lineStart, lineEnd: lineEnd)
        } else if let regex = try? NSRegularExpression(pattern: source, options: [.anchorsMatchLines]) {
            matcher = .regex(regex)
        } else {
            matcher = .literal(Array(source.utf8), lineStart: false, lineEnd: false)
        }
    }

    /// Whether the text is matched as written (an invalid regex, or one
    /// without metacharacters).
    public var isLiteral: Bool {
        if case .literal = matcher { return true }
        return false
    }

    public var description: String { source }

    /// Whether the pattern occurs anywhere in `text`.
    public func occurs(in text: String) -> Bool {
        firstMatchStart(in: text) != nil
    }

    /// Where the first occurrence starts, found with one search over the
    /// whole text.
    public func firstMatchStart(in text: String) -> String.Index? {
        switch matcher {
        case .regex(let regex):
            guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
            return Range(match.range, in: text)?.lowerBound
        case .literal(let needle, let lineStart, let lineEnd):
            var copy = text
            let offset = copy.withUTF8 { TextPattern.find(needle, in: $0, lineStart: lineStart, lineEnd: lineEnd) }
            return offset.map { text.utf8.index(text.utf8.startIndex, offsetBy: $0) }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, lineStart: Bool, lineEnd: Bool) -> Int? {
        guard let base = haystack.baseAddress, let first = needle.first, needle.count <= haystack.count else { return nil }
        let last = haystack.count - needle.count
        return needle.withUnsafeBufferPointer { needleBuffer -> Int? in
            var from = 0
            while from <= last {
                // memchr for the first byte, then compare the rest.
                guard let hit = memchr(base + from, Int32(first), last - from + 1) else { return nil }
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                from = offset + 1
                guard memcmp(base + offset, needleBuffer.baseAddress!, needle.count) == 0 else { continue }
                let end = offset + needle.count
                let startsLine = offset == 0 || haystack[offset - 1] == 0x0A
                let endsLine = end == haystack.count || haystack[end] == 0x0A
                    || (haystack[end] == 0x0D && (end + 1 == haystack.count || haystack[end + 1] == 0x0A))
                if (!lineStart || startsLine) && (!lineEnd || endsLine) { return offset }
            }
            return nil
        }
    }
}
