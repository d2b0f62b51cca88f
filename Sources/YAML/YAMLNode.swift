/// One node of a parsed YAML document, with where it starts in the source.
public struct YAMLNode: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        /// Pairs in source order; keys are unique by `keyString` (merge keys
        /// `<<` already applied).
        case mapping([YAMLPair])
    }

    public var content: Content
    /// The explicit tag in full form (`tag:yaml.org,2002:str` for `!!str`,
    /// `!` for the non-specific tag, `!local` as written), nil when implicit.
    public var tag: String?
    /// The anchor this node was defined with (`&name`), if any.
    public var anchor: String?
    /// Where the node starts (its anchor or tag when it has one). Nodes
    /// reached through an alias keep the position of the anchored original.
    public var mark: YAMLMark

    public init(_ content: Content, tag: String? = nil, anchor: String? = nil, mark: YAMLMark) {
        self.content = content
        self.tag = tag
        self.anchor = anchor
        self.mark = mark
    }
}

/// A key/value pair of a mapping.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
