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
/// last line rather than adding an empty one.
public enum Injection {
    public static func apply(body: String, into target: String, rule: InjectionRule) -> InjectionOutcome {
        if let skipIf = rule.skipIf, skipIf.occurs(in: target) { return .skipped }
        // CRLF targets keep CRLF ("\r\n" is one Character in Swift).
        let newline = target.contains("\r\n") ? "\r\n" : "\n"
        var text = body
        if let last = text.last, last.isNewline { text.removeLast() }
        if text.isEmpty { return .skipped }
        let bodyLines = splitLines(text)

        var lines = splitLines(target)
        // "a\nb\n" splits to ["a", "b", ""]: the final "" is the end of the
        // file, not a line, so nothing is ever inserted after it.
        let endsWithNewline = target.last?.isNewline ?? false
        let lineCount = target.isEmpty ? 0 : (endsWithNewline ? lines.count - 1 : lines.count)
        if target.isEmpty { lines = [""] }

        let index: Int
        switch rule.position {
        case .before(let pattern):
            guard let found = pattern.firstLine(in: Array(lines[0..<lineCount])) else { return .markerNotFound }
            index = found
        case .after(let pattern):
            guard let found = pattern.firstLine(in: Array(lines[0..<lineCount])) else { return .markerNotFound }
            index = found + 1
        case .atLine(let n):
            index = min(max(0, n), lineCount)
        case .prepend:
            index = 0
        case .append:
            index = lineCount
        }
        lines.insert(contentsOf: bodyLines, at: index)
        var result = lines.joined(separator: newline)
        if target.isEmpty { result = bodyLines.joined(separator: newline) + newline }
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

    /// Lines split at `\n` and `\r\n`; a trailing newline gives a final "".
    static func splitLines(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
    }
}
