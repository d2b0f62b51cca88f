/// Limits and positioning for parsing.
public struct YAMLOptions: Sendable, Hashable {
    /// Most nodes that aliases may add to a document, counting every node of
    /// every expanded copy. Guards against "billion laughs" documents whose
    /// few bytes expand to billions of nodes.
    public var maxAliasExpansion: Int
    /// Deepest nesting of collections allowed (deeper documents are refused
    /// rather than risking the stack of whoever walks the tree).
    public var maxDepth: Int
    /// The line of the enclosing file on which the YAML starts (for front
    /// matter); marks and errors are reported in that file's lines.
    public var firstLine: Int

    public init(maxAliasExpansion: Int = 100_000, maxDepth: Int = 256, firstLine: Int = 1) {
        self.maxAliasExpansion = maxAliasExpansion
        self.maxDepth = maxDepth
        self.firstLine = firstLine
    }
}
