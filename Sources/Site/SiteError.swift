/// A problem with one site input, printed `file:line:col: message` (the
/// contract's error format). `file` is relative to the current directory
/// when the build prints it.
public struct SiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// Extra lines shown under the message (source line and caret, the
    /// include/layout chain).
    public var detail: String

    public init(file: String, line: Int = 1, column: Int = 1, message: String, detail: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.detail = detail
    }

    public var description: String {
        "\(file):\(line):\(column): \(message)" + (detail.isEmpty ? "" : "\n" + detail)
    }

    /// The same error with its file expressed under `prefix` (e.g. `sites/blog/`).
    public func prefixed(_ prefix: String) -> SiteError {
        var copy = self
        copy.file = prefix + file
        return copy
    }
}
