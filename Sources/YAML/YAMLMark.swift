/// A position in YAML source: 1-based line and column (columns count
/// Unicode scalars, as libyaml does).
public struct YAMLMark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `"line:column"`.
    public var description: String { "\(line):\(column)" }
}
