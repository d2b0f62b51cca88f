/// A sequence or mapping whose end event has not arrived yet.
struct OpenCollection {
    enum Kind { case sequence, mapping }

    let kind: Kind
    let anchor: String?
    let tag: String?
    let mark: YAMLMark
    /// Nodes in this collection including itself and alias copies.
    private(set) var size = 1
    private var items: [YAMLNode] = []
    private var pairs: [YAMLPair] = []
    private var pendingKey: YAMLNode?
    /// Index in `pairs` of each key, by `keyString`.
    private var indexOfKey: [String: Int] = [:]
    /// Keys that came from a merge (`<<`) and that an explicit key may
    /// still override once.
    private var mergedKeys: Set<String> = []

    init(kind: Kind, anchor: String?, tag: String?, mark: YAMLMark) {
        self.kind = kind
        self.anchor = anchor
        self.tag = tag
        self.mark = mark
    }

    static func check(tag: String?, for kind: Kind, at mark: YAMLMark) throws {
        guard let tag, tag != "!" else { return }
        let prefix = YAMLScalarResolver.tagPrefix
        let sequenceTags = [prefix + "seq", prefix + "omap", prefix + "pairs"]
        let mappingTags = [prefix + "map", prefix + "set"]
        let scalarTags = ["str", "int", "float", "bool", "null", "timestamp"].map { prefix + $0 }
        switch kind {
        case .sequence where sequenceTags.contains(tag), .mapping where mappingTags.contains(tag):
            return
        case _ where sequenceTags.contains(tag) || mappingTags.contains(tag) || scalarTags.contains(tag):
            let wanted = sequenceTags.contains(tag) ? "sequence" : mappingTags.contains(tag) ? "mapping" : "scalar"
            throw YAMLError("unacceptable node kind for !<\(tag)> tag; it should be \"\(wanted)\", not \"\(kind)\"", at: mark)
        default:
            throw YAMLError("unknown tag !<\(tag)>", at: mark)
        }
    }

    func node() -> YAMLNode {
        switch kind {
        case .sequence: return YAMLNode(.sequence(items), tag: tag, anchor: anchor, mark: mark)
        case .mapping: return YAMLNode(.mapping(pairs), tag: tag, anchor: anchor, mark: mark)
        }
    }

    mutating func add(_ node: YAMLNode, size: Int) throws {
        self.size += size
        switch kind {
        case .sequence:
            items.append(node)
        case .mapping:
            guard let key = pendingKey else {
                pendingKey = node
                return
            }
            pendingKey = nil
            if Self.isMergeKey(key) {
                try merge(node, at: key.mark)
            } else {
                try addExplicit(YAMLPair(key: key, value: node))
            }
        }
    }

    /// A plain, untagged `<<` key.
    private static func isMergeKey(_ key: YAMLNode) -> Bool {
        guard key.tag == nil, let scalar = key.scalar else { return false }
        return scalar.style == .plain && scalar.text == "<<"
    }

    private mutating func addExplicit(_ pair: YAMLPair) throws {
        let name = pair.key.keyString
        if let index = indexOfKey[name] {
            guard mergedKeys.remove(name) != nil else {
                throw YAMLError("duplicated mapping key \"\(name)\"", at: pair.key.mark)
            }
            pairs[index] = pair
        } else {
            indexOfKey[name] = pairs.count
            pairs.append(pair)
        }
    }

    /// Merge key semantics: keys of the merged mapping(s) not present yet
    /// are added; for a sequence of mappings, earlier ones win.
    private mutating func merge(_ source: YAMLNode, at mark: YAMLMark) throws {
        let sources: [YAMLNode]
        switch source.content {
        case .mapping: sources = [source]
        case .sequence(let nodes): sources = nodes
        case .scalar: throw YAMLError("cannot merge mappings; the provided source object is unacceptable", at: source.mark)
        }
        for mapping in sources {
            guard let sourcePairs = mapping.mapping else {
                throw YAMLError("cannot merge mappings; the provided source object is unacceptable", at: mapping.mark)
            }
            for pair in sourcePairs {
                let name = pair.key.keyString
                guard indexOfKey[name] == nil else { continue }
                indexOfKey[name] = pairs.count
                mergedKeys.insert(name)
                pairs.append(pair)
            }
        }
    }
}
