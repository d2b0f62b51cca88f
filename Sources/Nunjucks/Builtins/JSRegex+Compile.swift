import Foundation
import Synchronization

/// JS regular expressions on top of ICU (`NSRegularExpression`). The source
/// is translated so that the classes and anchors that differ keep their JS
/// meaning: `\d \w \s` (and negations) are ASCII/JS sets, `.` excludes only
/// JS line terminators, `$` without `m` is the end of input only.
extension JSRegex {
    /// The compiled expression; compiled once per source and flags, process-wide.
    public func compiled() throws -> NSRegularExpression {
        try JSRegexCache.shared.expression(source: source, flags: flags)
    }

    public var isGlobal: Bool { flags.contains("g") }
    public var isSticky: Bool { flags.contains("y") }

    /// ICU pattern text with JS meaning, for `source` under `flags`.
    static func icuPattern(_ source: String, flags: String) -> String {
        let dotAll = flags.contains("s"), multiline = flags.contains("m")
        let chars = Array(source.unicodeScalars)
        var out = ""
        var inClass = false
        var i = 0
        func classBody(_ escape: Unicode.Scalar) -> (body: String, negated: Bool)? {
            switch escape {
            case "d": return ("0-9", false)
            case "D": return ("0-9", true)
            case "w": return ("A-Za-z0-9_", false)
            case "W": return ("A-Za-z0-9_", true)
            case "s": return ("\\t\\n\\x{0B}\\f\\r\\p{Z}\\x{FEFF}", false)
            case "S": return ("\\t\\n\\x{0B}\\f\\r\\p{Z}\\x{FEFF}", true)
            default: return nil
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let next = chars[i + 1]
                i += 2
                if let (body, negated) = classBody(next) {
                    if inClass && !negated { out += body } else { out += negated ? "[^\(body)]" : "[\(body)]" }
                } else if next == "b" || next == "B" {
                    // Word boundaries over JS's ASCII word characters; in a class, \b is backspace.
                    let word = "[A-Za-z0-9_]"
                    let boundary = "(?:(?<=\(word))(?!\(word))|(?<!\(word))(?=\(word)))"
                    if inClass { out += next == "b" ? "\\x{08}" : "B" }
                    else { out += next == "b" ? boundary : "(?!\(boundary))" }
                } else if next == "/" {
                    out += "/"
                } else if next == "0", !(i < chars.count && ("0"..."9").contains(chars[i])) {
                    out += "\\x{0}"
                } else if next == "u", i < chars.count, chars[i] == "{" {
                    out += "\\x"
                } else {
                    out += "\\" + String(next)
                }
                continue
            }
            i += 1
            if inClass {
                switch c {
                case "]": inClass = false; out += "]"
                case "[": out += "\\["
                case "&": out += "\\&"
                default: out.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "[":
                if i < chars.count, chars[i] == "]" { out += "(?!)"; i += 1; continue }
                if i + 1 < chars.count, chars[i] == "^", chars[i + 1] == "]" { out += "[\\s\\S]"; i += 2; continue }
                inClass = true
                out += "["
                if i < chars.count, chars[i] == "^" { out += "^"; i += 1 }
                // A leading "]" cannot close an empty class in JS; handled above.
            case ".": out += dotAll ? "[\\s\\S]" : "[^\\n\\r\\x{2028}\\x{2029}]"
            case "$": out += multiline ? "(?=[\\n\\r\\x{2028}\\x{2029}]|\\z)" : "\\z"
            case "^": out += multiline ? "(?<=[\\n\\r\\x{2028}\\x{2029}]|\\A)" : "\\A"
            case "]", "}": out += "\\" + String(c)
            case "{":
                // A literal brace unless it starts a {n}, {n,} or {n,m} quantifier.
                var j = i, digits = 0
                while j < chars.count, ("0"..."9").contains(chars[j]) { j += 1; digits += 1 }
                if digits > 0, j < chars.count, chars[j] == "," {
                    j += 1
                    while j < chars.count, ("0"..."9").contains(chars[j]) { j += 1 }
                }
                if digits > 0, j < chars.count, chars[j] == "}" { out += "{" } else { out += "\\{" }
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// Compiled expressions by flags and source; a bounded cache shared by all renders.
final class JSRegexCache: Sendable {
    static let shared = JSRegexCache()
    private let table = Mutex<[String: NSRegularExpression]>([:])
    private static let limit = 512

    func expression(source: String, flags: String) throws -> NSRegularExpression {
        let key = flags + "/" + source
        if let hit = table.withLock({ $0[key] }) { return hit }
        var options: NSRegularExpression.Options = []
        if flags.contains("i") { options.insert(.caseInsensitive) }
        let expression: NSRegularExpression
        do {
            expression = try NSRegularExpression(pattern: JSRegex.icuPattern(source, flags: flags), options: options)
        } catch {
            throw RuntimeError("SyntaxError: Invalid regular expression: /\(source)/\(flags): cannot compile")
        }
        table.withLock { table in
            if table.count >= Self.limit { table.removeAll(keepingCapacity: true) }
            table[key] = expression
        }
        return expression
    }
}
