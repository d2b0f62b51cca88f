/// A YAML syntax or structure error at a position of the source.
///
/// `description` is `"line:column: message"`; callers prefix the file name.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    public init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    init(_ message: String, at mark: YAMLMark) {
        self.init(message: message, line: mark.line, column: mark.column)
    }

    public var description: String { "\(line):\(column): \(message)" }
}
