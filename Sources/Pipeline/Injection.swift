/// Where an injected body goes in its target (Hygen's `before`, `after`,
/// `at_line`, `prepend`, `append`).
public enum InjectionPosition: Sendable {
    /// Before the first line the pattern occurs in.
    case before(TextPattern)
    /// After the first line the pattern occurs in.
    case after(TextPattern)
    /// As line index N (0-based, as Hygen counts: 0 is the top of the file;
    /// past the end appends).
    case atLine(Int)
    case prepend
    case append
}

/// One injection: where, when to skip, and how the file ends afterwards.
public struct InjectionRule: Sendable {
    public var position: InjectionPosition
    /// Skip when this occurs in the target (what makes re-runs idempotent).
    public var skipIf: TextPattern?
    /// true: the file ends with a newline afterwards; false: without one;
    /// nil: as the splice leaves it.
    public var eofLast: Bool?

    public init(position: InjectionPosition, skipIf: TextPattern? = nil, eofLast: Bool? = nil) {
        self.position = position
        self.skipIf = skipIf
        self.eofLast = eofLast
    }
}

/// What an injection did.
public enum InjectionOutcome: Sendable, Equatable {
    /// The new text of the target.
    case injected(String)
    /// `skip_if` matched, or the body was empty: the target is unchanged.
    case skipped
    /// `before`/`after` did not occur in the target.
    case markerNotFound
}

/// Line-based injection of a rendered body into existing text. The body
/// is spliced in as whole lines: its one trailing newline, if any, ends its
/// last line rather than adding an empty one. Positions are found with one
/// search over the text, so a long series of injections into one file is
/// not quadratic in its line count.
public enum Injection {
    public static func apply(body: String, into target: String, rule: InjectionRule) -> InjectionOutcome {
        if let skipIf = rule.skipIf, skipIf.occurs(in: target) { return .skipped }
        // CRLF targets (judged by their first line end) keep CRLF.
        let newline = usesCRLF(target) ? "\r\n" : "\n"
        var text = body
        if let last = text.last, last.isNewline { text.removeLast() }
        if text.isEmpty { return .skipped }
        let block = splitLines(text).joined(separator: newline)

        var result = target
        let utf8 = target.utf8
        let endsWithNewline = utf8.last == 0x0A
        if target.isEmpty {
            result = block + newline
        } else {
            switch rule.position {
            case .before(let pattern):
                guard let match = pattern.firstMatchStart(in: target), !(match == target.endIndex && endsWithNewline) else {
                    return .markerNotFound
                }
                result.insert(contentsOf: block + newline, at: lineStart(containing: match, in: target))
            case .after(let pattern):
                guard let match = pattern.firstMatchStart(in: target), !(match == target.endIndex && endsWithNewline) else {
                    return .markerNotFound
                }
                if let end = utf8[match...].firstIndex(of: 0x0A) {
                    result.insert(contentsOf: block + newline, at: utf8.index(after: end))
                } else {
                    result += newline + block
                }
            case .atLine(let n):
                var index = utf8.startIndex
                var line = 0
                while line < n, let end = utf8[index...].firstIndex(of: 0x0A) {
                    index = utf8.index(after: end)
                    line += 1
                }
                if line == n && index < utf8.endIndex {
                    result.insert(contentsOf: block + newline, at: index)
                } else {
                    result = endsWithNewline ? target + block + newline : target + newline + block
                }
            case .prepend:
                result = block + newline + target
            case .append:
                result = endsWithNewline ? target + block + newline : target + newline + block
            }
        }
        switch rule.eofLast {
        case true?:
            if !(result.last?.isNewline ?? false) { result += newline }
        case false?:
            while let last = result.last, last.isNewline { result.removeLast() }
        case nil:
            break
        }
        return .injected(result)
    }

    /// Whether the first line of `text` ends with `\r\n`.
    static func usesCRLF(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let end = utf8.firstIndex(of: 0x0A), end > utf8.startIndex else { return false }
        return utf8[utf8.index(before: end)] == 0x0D
    }

    /// The start of the line `index` is on.
    static func lineStart(containing index: String.Index, in text: String) -> String.Index {
        let utf8 = text.utf8
        guard let newline = utf8[..<index].lastIndex(of: 0x0A) else { return utf8.startIndex }
        return utf8.index(after: newline)
    }

    /// Lines split at `\n` and `\r\n`; a trailing newline gives a final "".
    static func splitLines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
    }
}
