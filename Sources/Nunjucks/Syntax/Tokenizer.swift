import Foundation

/// Nunjucks's lexer: produces tokens lazily because the parser reads raw
/// blocks straight from the source (`{% raw %}` bodies are found by a regex,
/// not by tokenizing). Works on UTF-8 bytes; columns count characters.
struct Tokenizer {
    let bytes: [UInt8]
    private(set) var index = 0
    /// 0-based line and column of `index`.
    private(set) var line = 0
    private(set) var column = 0
    private var inCode = false
    let trimBlocks: Bool
    let lstripBlocks: Bool

    init(source: String, trimBlocks: Bool, lstripBlocks: Bool) {
        self.bytes = Array(source.utf8)
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
    }

    var isFinished: Bool { index >= bytes.count }

    private var current: UInt8 { index < bytes.count ? bytes[index] : 0 }

    private func byte(at offset: Int) -> UInt8 {
        let i = index + offset
        return i < bytes.count ? bytes[i] : 0
    }

    private mutating func forward() {
        guard index < bytes.count else { index += 1; return }
        let b = bytes[index]
        index += 1
        if b == 0x0A {
            line += 1
            column = 0
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func forward(_ n: Int) {
        for _ in 0..<n { forward() }
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let p = literal.utf8Start
        for i in 0..<count where bytes[index + i] != p[i] { return false }
        return true
    }

    private mutating func extract(_ literal: StaticString) -> Bool {
        guard matches(literal) else { return false }
        forward(literal.utf8CodeUnitCount)
        return true
    }

    /// Moves back to `target`, recomputing line and column.
    mutating func rewind(to target: Int) {
        index = 0
        line = 0
        column = 0
        advance(to: target)
    }

    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<min(end, bytes.count)], as: UTF8.self)
    }

    /// Code-mode whitespace: space, \n, \t, \r and U+00A0; returns its byte length or 0.
    private func whitespaceLength(at i: Int) -> Int {
        guard i < bytes.count else { return 0 }
        switch bytes[i] {
        case 0x20, 0x0A, 0x09, 0x0D: return 1
        case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0xA0: return 2
        default: return 0
        }
    }

    private static let delimiters: Set<UInt8> = Set("()[]{}%*-+~/#,:|.<>=!".utf8)

    /// The next token, or nil at the end of the source.
    mutating func nextToken() throws(SyntaxFailure) -> Token? {
        let startLine = line + 1, startColumn = column + 1
        func token(_ kind: Token.Kind, _ value: String) -> Token {
            Token(kind: kind, value: value, line: startLine, column: startColumn)
        }
        if isFinished { return nil }
        if inCode {
            let cur = current
            if cur == 0x22 || cur == 0x27 {
                return token(.string, parseString(delimiter: cur))
            }
            if whitespaceLength(at: index) > 0 {
                let start = index
                while whitespaceLength(at: index) > 0 { forward(whitespaceLength(at: index)) }
                return token(.whitespace, text(start, index))
            }
            if matches("%}") || matches("-%}") {
                let value = current == 0x2D ? "-%}" : "%}"
                forward(value.utf8.count)
                inCode = false
                if trimBlocks {
                    if current == 0x0A {
                        forward()
                    } else if current == 0x0D && byte(at: 1) == 0x0A {
                        forward(2)
                    }
                }
                return token(.blockEnd, value)
            }
            if matches("}}") || matches("-}}") {
                let value = current == 0x2D ? "-}}" : "}}"
                forward(value.utf8.count)
                inCode = false
                return token(.variableEnd, value)
            }
            if cur == 0x72 && byte(at: 1) == 0x2F {
                forward(2)
                let start = index
                var end = index
                while !isFinished {
                    if current == 0x2F && bytes[index - 1] != 0x5C {
                        end = index
                        forward()
                        break
                    }
                    forward()
                    end = index
                }
                let body = text(start, end)
                var flags = ""
                while !isFinished, let c = Optional(current), c == 0x67 || c == 0x69 || c == 0x6D || c == 0x79 {
                    flags.append(Character(Unicode.Scalar(c)))
                    forward()
                }
                var t = token(.regex, body)
                t.flags = flags
                return t
            }
            if Tokenizer.delimiters.contains(cur) {
                forward()
                var op = String(Character(Unicode.Scalar(cur)))
                let two = op + String(Character(Unicode.Scalar(current == 0 ? 0x20 : current)))
                if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                    forward()
                    op = two
                    if (two == "==" || two == "!=") && current == 0x3D {
                        forward()
                        op += "="
                    }
                }
                let kind: Token.Kind
                switch op {
                case "(": kind = .leftParen
                case ")": kind = .rightParen
                case "[": kind = .leftBracket
                case "]": kind = .rightBracket
                case "{": kind = .leftCurly
                case "}": kind = .rightCurly
                case ",": kind = .comma
                case ":": kind = .colon
                case "~": kind = .tilde
                case "|": kind = .pipe
                default: kind = .operator
                }
                return token(kind, op)
            }
            let start = index
            while !isFinished && whitespaceLength(at: index) == 0 && !Tokenizer.delimiters.contains(current) {
                forward()
            }
            let word = text(start, index)
            if word.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                if current == 0x2E {
                    forward()
                    let decimalStart = index
                    while current >= 0x30 && current <= 0x39 && !isFinished { forward() }
                    return token(.float, word + "." + text(decimalStart, index))
                }
                return token(.int, word)
            }
            switch word {
            case "true", "false": return token(.boolean, word)
            case "none", "null": return token(.none, word)
            default: return token(.symbol, word)
            }
        }

        if extract("{%-") { inCode = true; return token(.blockStart, "{%-") }
        if extract("{%") { inCode = true; return token(.blockStart, "{%") }
        if extract("{{-") { inCode = true; return token(.variableStart, "{{-") }
        if extract("{{") { inCode = true; return token(.variableStart, "{{") }

        let tokenStart = index
        let tokenStartColumn = column
        var inComment = false
        var commentClosed = false
        if extract("{#") { inComment = true }
        while !isFinished {
            while !isFinished && current != 0x7B && current != 0x23 { forward() }
            if isFinished { break }
            if !inComment && (matches("{%") || matches("{{") || matches("{#")) {
                if lstripBlocks && matches("{%") {
                    if let stripped = strippedIndentation(tokenStart: tokenStart, tokenStartColumn: tokenStartColumn) {
                        if stripped == tokenStart { return try nextToken() }
                        return token(.data, text(tokenStart, stripped))
                    }
                }
                break
            } else if matches("#}") {
                if !inComment {
                    throw SyntaxFailure(message: "unexpected end of comment", line: line + 1, column: column + 1)
                }
                forward(2)
                commentClosed = true
                break
            } else {
                forward()
            }
        }
        if inComment && !commentClosed {
            throw SyntaxFailure(message: "expected end of comment, got end of file", line: startLine, column: startColumn)
        }
        return token(inComment ? .comment : .data, text(tokenStart, index))
    }

    /// lstripBlocks: where the data before a `{%` should end when the
    /// block tag's line holds only whitespace before it; nil to keep it.
    private func strippedIndentation(tokenStart: Int, tokenStartColumn: Int) -> Int? {
        guard column > 0 else { return nil }
        var lineStart = index
        while lineStart > tokenStart && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        if lineStart == tokenStart && tokenStartColumn != 0 { return nil }
        let indentation = text(lineStart, index)
        guard !indentation.isEmpty, indentation.unicodeScalars.allSatisfy({ Value.jsWhitespace.contains($0) }) else { return nil }
        return lineStart
    }

    private mutating func parseString(delimiter: UInt8) -> String {
        forward()
        var out: [UInt8] = []
        while !isFinished && current != delimiter {
            if current == 0x5C {
                forward()
                switch current {
                case 0x6E: out.append(0x0A)
                case 0x74: out.append(0x09)
                case 0x72: out.append(0x0D)
                default: if !isFinished { out.append(current) }
                }
                forward()
            } else {
                out.append(current)
                forward()
            }
        }
        if !isFinished { forward() }
        return String(decoding: out, as: UTF8.self)
    }

    /// `{% raw %}` support: finds the next `{% raw %}` / `{% endraw %}` (or
    /// verbatim) tag from the current position, as Nunjucks's regex does.
    /// Returns the text before it, the tag name, and the whole match length.
    mutating func extractRawSegment(tag: String) -> (before: String, name: String, matchStart: Int, matchEnd: Int)? {
        var i = index
        let endTag = "end" + tag
        while i + 1 < bytes.count {
            if bytes[i] == 0x7B && bytes[i + 1] == 0x25 {
                var j = i + 2
                while j < bytes.count, isRegexSpace(j) { j += regexSpaceLength(j) }
                let nameStart = j
                while j < bytes.count, (bytes[j] >= 0x61 && bytes[j] <= 0x7A) { j += 1 }
                let name = text(nameStart, j)
                if name == tag || name == endTag {
                    while j < bytes.count, isRegexSpace(j) { j += regexSpaceLength(j) }
                    if j + 1 < bytes.count && bytes[j] == 0x25 && bytes[j + 1] == 0x7D {
                        let before = text(index, i)
                        return (before, name, i, j + 2)
                    }
                }
            }
            i += 1
        }
        return nil
    }

    private func isRegexSpace(_ i: Int) -> Bool { regexSpaceLength(i) > 0 }

    private func regexSpaceLength(_ i: Int) -> Int {
        switch bytes[i] {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: return 1
        case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0xA0: return 2
        default: return 0
        }
    }

    /// Moves to `target` (forward only), keeping line and column right.
    mutating func advance(to target: Int) {
        while index < target { forward() }
    }
}
