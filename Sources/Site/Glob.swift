/// A path pattern as shells and build tools write them, matched against
/// `/`-separated relative paths: `*` and `?` stay within one path segment,
/// `**` spans segments (`**/` also matches no directory at all), `[a-z]`
/// and `[!a-z]` are classes, `{ts,js}` are alternatives.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let alternatives: [[UInt8]]

    public init(_ pattern: String) {
        self.pattern = pattern
        alternatives = Glob.expandBraces(Array(pattern.utf8))
    }

    public var description: String { pattern }

    /// Whether `path` (relative, `/`-separated, no leading `./`) matches.
    public func matches(_ path: String) -> Bool {
        let subject = Array(path.utf8)
        return alternatives.contains { Glob.match($0, 0, subject, 0) }
    }

    /// Whether the pattern has no wildcard at all (a plain path).
    public var isLiteral: Bool {
        !pattern.contains { "*?[{".contains($0) }
    }

    private static let slash = UInt8(ascii: "/")
    private static let star = UInt8(ascii: "*")

    private static func match(_ p: [UInt8], _ pi: Int, _ s: [UInt8], _ si: Int) -> Bool {
        guard pi < p.count else { return si == s.count }
        let c = p[pi]
        if c == star {
            if pi + 1 < p.count && p[pi + 1] == star {
                // `**/` matches "" or any run of whole segments; bare `**` anything.
                if pi + 2 < p.count && p[pi + 2] == slash {
                    if match(p, pi + 3, s, si) { return true }
                    var k = si
                    while k < s.count {
                        if s[k] == slash && match(p, pi + 3, s, k + 1) { return true }
                        k += 1
                    }
                    return false
                }
                var k = si
                while k <= s.count {
                    if match(p, pi + 2, s, k) { return true }
                    k += 1
                }
                return false
            }
            var k = si
            while true {
                if match(p, pi + 1, s, k) { return true }
                if k == s.count || s[k] == slash { return false }
                k += 1
            }
        }
        guard si < s.count else { return false }
        switch c {
        case UInt8(ascii: "?"):
            return s[si] != slash && match(p, pi + 1, s, si + 1)
        case UInt8(ascii: "["):
            if let (matched, next) = matchClass(p, pi, s[si]) {
                return matched && s[si] != slash && match(p, next, s, si + 1)
            }
            return s[si] == c && match(p, pi + 1, s, si + 1)
        case UInt8(ascii: "\\") where pi + 1 < p.count:
            return s[si] == p[pi + 1] && match(p, pi + 2, s, si + 1)
        default:
            return s[si] == c && match(p, pi + 1, s, si + 1)
        }
    }

    /// Matches one byte against the class starting at `p[start]` (`[`);
    /// nil when the class is unterminated (then `[` is literal).
    private static func matchClass(_ p: [UInt8], _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negated = false
        if i < p.count && (p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^")) {
            negated = true
            i += 1
        }
        var matched = false
        var first = true
        while i < p.count {
            if p[i] == UInt8(ascii: "]") && !first {
                return (matched != negated, i + 1)
            }
            first = false
            let low = p[i]
            if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                if byte >= low && byte <= p[i + 2] { matched = true }
                i += 3
            } else {
                if byte == low { matched = true }
                i += 1
            }
        }
        return nil
    }

    /// `a{b,c}d` -> `abd`, `acd` (nested braces expand too).
    private static func expandBraces(_ p: [UInt8]) -> [[UInt8]] {
        guard let open = p.firstIndex(of: UInt8(ascii: "{")) else { return [p] }
        var depth = 0
        var options: [[UInt8]] = []
        var optionStart = open + 1
        var i = open
        while i < p.count {
            switch p[i] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 {
                    options.append(Array(p[optionStart..<i]))
                    let prefix = Array(p[..<open])
                    let rest = expandBraces(Array(p[(i + 1)...]))
                    return options.flatMap { option in
                        expandBraces(option).flatMap { expanded in rest.map { prefix + expanded + $0 } }
                    }
                }
            case UInt8(ascii: ",") where depth == 1:
                options.append(Array(p[optionStart..<i]))
                optionStart = i + 1
            default: break
            }
            i += 1
        }
        return [p]  // unbalanced: literal
    }
}
