/// A syntax or runtime error in a template, with its position and, when it
/// happened inside an included, imported or parent template or a macro, the
/// chain of tags that led there.
public struct TemplateError: Error, Sendable, CustomStringConvertible, Equatable {
    /// One place in a template.
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        public let templateName: String
        public let line: Int
        public let column: Int
        public var description: String { "\(templateName):\(line):\(column)" }
    }

    public let message: String
    public let templateName: String
    /// 1-based.
    public let line: Int
    /// 1-based, in characters.
    public let column: Int
    /// The text of the line the error is on.
    public let sourceLine: String
    /// Where the failing template was entered from, innermost first.
    public private(set) var chain: [Location] = []

    public init(message: String, templateName: String, line: Int, column: Int, sourceLine: String) {
        self.message = message
        self.templateName = templateName
        self.line = line
        self.column = column
        self.sourceLine = sourceLine
    }

    init(message: String, templateName: String, line: Int, column: Int, source: String) {
        self.init(message: message, templateName: templateName, line: line, column: column,
                  sourceLine: TemplateError.line(line, of: source))
    }

    static func line(_ number: Int, of source: String) -> String {
        guard number >= 1 else { return "" }
        var current = 1
        var start = source.startIndex
        var index = source.startIndex
        while index < source.endIndex {
            if source[index] == "\n" {
                if current == number { return String(source[start..<index]) }
                current += 1
                start = source.index(after: index)
            }
            index = source.index(after: index)
        }
        return current == number ? String(source[start...]) : ""
    }

    public var location: Location { Location(templateName: templateName, line: line, column: column) }

    mutating func addCaller(templateName: String, line: Int, column: Int) {
        let location = Location(templateName: templateName, line: line, column: column)
        if chain.last != location { chain.append(location) }
    }

    /// The source line with a caret under the column; nil when there is no
    /// line to show (a template that could not be loaded at all).
    public var excerpt: String? {
        guard !sourceLine.isEmpty else { return nil }
        var caret = ""
        for (i, c) in sourceLine.enumerated() where i < column - 1 { caret.append(c == "\t" ? "\t" : " ") }
        return sourceLine + "\n" + caret + "^"
    }

    /// `name:line:col: message`, the excerpt, then one `  from
    /// name:line:col` line per entry of the chain.
    public var description: String {
        var text = "\(templateName):\(line):\(column): \(message)"
        if let excerpt { text += "\n" + excerpt }
        for location in chain { text += "\n  from \(location)" }
        return text
    }
}
