/// One file of a site, classified by where it sits (contract, "Sites").
public struct SiteFile: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A page rendered to output: `.njk`/`.html` (Nunjucks) or `.md`.
        case page(PageFormat)
        /// `_layouts/**`
        case layout
        /// `_includes/**`
        case include
        /// `_data/**/*.json|yaml|yml`
        case data
        /// `site.yaml` at the site root.
        case config
        /// Copied unchanged.
        case asset
        /// Under a `_` or `.` name elsewhere: readable by templates, not output.
        case hidden
    }

    /// Path relative to the site root, `/`-separated.
    public let path: String
    public let kind: Kind
    public let stat: FileStat

    public init(path: String, kind: Kind, stat: FileStat) {
        self.path = path
        self.kind = kind
        self.stat = stat
    }

    /// Decides a file's kind from its site-relative path.
    public static func classify(_ path: String) -> Kind {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = parts.first, let last = parts.last else { return .hidden }
        if parts.count == 1 && (last == "site.yaml" || last == "site.yml") { return .config }
        if parts.count > 1 {
            switch first {
            case "_layouts": return .layout
            case "_includes": return .include
            case "_data":
                return last.hasSuffix(".json") || last.hasSuffix(".yaml") || last.hasSuffix(".yml") ? .data : .hidden
            default: break
            }
        }
        if parts.contains(where: { $0.hasPrefix("_") || $0.hasPrefix(".") }) { return .hidden }
        if last.hasSuffix(".md") || last.hasSuffix(".markdown") { return .page(.markdown) }
        if last.hasSuffix(".njk") { return .page(.nunjucks) }
        if last.hasSuffix(".html") { return .page(.html) }
        return .asset
    }
}

public enum PageFormat: String, Sendable, Hashable {
    case nunjucks, html, markdown
}

/// What a change check needs of a file: size, modification time, inode.
public struct FileStat: Sendable, Hashable, Codable {
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var inode: UInt64

    public init(size: Int64, mtimeNanoseconds: Int64, inode: UInt64) {
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
    }
}
