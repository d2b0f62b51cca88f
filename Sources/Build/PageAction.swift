import Cache

/// What rendering a page did, recorded under the page's key so a later
/// build — on this machine or, through Redis, another — can prove the page
/// is up to date without rendering it: every template it loaded with the
/// hash it had, whether it read `collections` (and their fingerprint), and
/// the output files with the hashes of their bytes.
public struct PageAction: Sendable, Equatable {
    public var templates: [(path: String, hash: ContentHash)]
    public var collectionsFingerprint: ContentHash?
    public var outputs: [(path: String, hash: ContentHash)]

    public init(templates: [(path: String, hash: ContentHash)], collectionsFingerprint: ContentHash?, outputs: [(path: String, hash: ContentHash)]) {
        self.templates = templates
        self.collectionsFingerprint = collectionsFingerprint
        self.outputs = outputs
    }

    public var usesCollections: Bool { collectionsFingerprint != nil }

    public static func == (a: PageAction, b: PageAction) -> Bool {
        a.templates.elementsEqual(b.templates, by: { $0.path == $1.path && $0.hash == $1.hash })
            && a.collectionsFingerprint == b.collectionsFingerprint
            && a.outputs.elementsEqual(b.outputs, by: { $0.path == $1.path && $0.hash == $1.hash })
    }

    /// A line-oriented text form: `T <hash> <path>`, `C <hash>`, `O <hash> <path>`.
    /// Paths come last on their line, so they may contain spaces.
    public func encoded() -> [UInt8] {
        var text = "unjucksd-action 1\n"
        for t in templates { text += "T \(t.hash.hex) \(t.path)\n" }
        if let fingerprint = collectionsFingerprint { text += "C \(fingerprint.hex)\n" }
        for o in outputs { text += "O \(o.hash.hex) \(o.path)\n" }
        return Array(text.utf8)
    }

    /// Parses `encoded()`; nil for anything else (a foreign or damaged value).
    public init?(encoded bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.popFirst() == "unjucksd-action 1" else { return nil }
        var templates: [(String, ContentHash)] = []
        var outputs: [(String, ContentHash)] = []
        var fingerprint: ContentHash?
        for line in lines {
            guard line.count >= 66 else { return nil }
            let kind = line.first!
            let hashStart = line.index(line.startIndex, offsetBy: 2)
            let hashEnd = line.index(hashStart, offsetBy: 64)
            guard let hash = ContentHash(hex: line[hashStart..<hashEnd]) else { return nil }
            let path = hashEnd < line.endIndex ? String(line[line.index(after: hashEnd)...]) : ""
            switch kind {
            case "T": templates.append((path, hash))
            case "C": fingerprint = hash
            case "O": outputs.append((path, hash))
            default: return nil
            }
        }
        self.init(templates: templates, collectionsFingerprint: fingerprint, outputs: outputs)
    }
}
