/// Builds one document's node tree from events, without recursion (a stack
/// of open collections), resolving anchors, aliases and merge keys.
struct YAMLTreeBuilder {
    let options: YAMLOptions
    /// Anchored nodes by name, with their size in nodes (for the alias
    /// expansion budget).
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var nodesAddedByAliases = 0
    private var stack: [OpenCollection] = []

    init(options: YAMLOptions) {
        self.options = options
    }

    /// Consumes events up to and including the document end; returns the root.
    mutating func buildDocument(from reader: LibYAMLEventReader) throws -> YAMLNode {
        var root: YAMLNode?
        while true {
            let marked = try reader.next()
            var completed: (node: YAMLNode, size: Int)?
            switch marked.event {
            case .documentEnd:
                guard let root else { throw YAMLError("document has no content", at: marked.mark) }
                return root
            case .streamStart, .streamEnd, .documentStart:
                throw YAMLError("unexpected document boundary", at: marked.mark)
            case .alias(let name):
                guard let anchored = anchors[name] else {
                    throw YAMLError("unidentified alias \"\(name)\"", at: marked.mark)
                }
                nodesAddedByAliases += anchored.size
                if nodesAddedByAliases > options.maxAliasExpansion {
                    throw YAMLError("aliases expand to more than \(options.maxAliasExpansion) nodes; refusing (alias bomb?)", at: marked.mark)
                }
                completed = anchored
            case .scalar(let anchor, let tag, let text, let style):
                let value = try YAMLScalarResolver.resolve(text: text, style: style, tag: tag, at: marked.mark)
                let node = YAMLNode(.scalar(YAMLScalar(text: text, style: style, value: value)),
                                    tag: tag, anchor: anchor, mark: marked.mark)
                completed = (node, 1)
            case .sequenceStart(let anchor, let tag):
                try open(.sequence, anchor: anchor, tag: tag, at: marked.mark)
            case .mappingStart(let anchor, let tag):
                try open(.mapping, anchor: anchor, tag: tag, at: marked.mark)
            case .sequenceEnd, .mappingEnd:
                guard let collection = stack.popLast() else {
                    throw YAMLError("unbalanced collection end", at: marked.mark)
                }
                completed = (collection.node(), collection.size)
            }
            guard let (node, size) = completed else { continue }
            // A node defines its anchor where it is written, not where an
            // alias repeats it.
            if let anchor = node.anchor, !marked.isAlias {
                anchors[anchor] = (node, size)
            }
            if stack.isEmpty {
                root = node
            } else {
                try stack[stack.count - 1].add(node, size: size)
            }
        }
    }

    private mutating func open(_ kind: OpenCollection.Kind, anchor: String?, tag: String?, at mark: YAMLMark) throws {
        guard stack.count < options.maxDepth else {
            throw YAMLError("collections nested deeper than \(options.maxDepth) levels", at: mark)
        }
        try OpenCollection.check(tag: tag, for: kind, at: mark)
        stack.append(OpenCollection(kind: kind, anchor: anchor, tag: tag, mark: mark))
    }
}
