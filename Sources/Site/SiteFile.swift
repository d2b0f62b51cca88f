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

    /// Decides a file's kind from its site-relative path (one pass over the
    /// bytes: it runs for every file of every incremental build).
    public static func classify(_ path: String) -> Kind {
        var components = 0
        var firstComponent: Substring = ""
        var hiddenComponent = false
        var start = path.startIndex
        var lastComponent: Substring = ""
        var index = path.startIndex
        while true {
            let atEnd = index == path.endIndex
            if atEnd || path[index] == "/" {
                if start < index {
                    let component = path[start..<index]
                    if components == 0 { firstComponent = component }
                    if component.first == "_" || component.first == "." { hiddenComponent = true }
                    lastComponent = component
                    components += 1
                }
                if atEnd { break }
                start = path.index(after: index)
            }
            index = path.index(after: index)
        }
        guard components > 0 else { return .hidden }
        if components == 1 && (lastComponent == "site.yaml" || lastComponent == "site.yml") { return .config }
        if components > 1 {
            switch firstComponent {
            case "_layouts": return .layout
            case "_includes": return .include
            case "_data":
                return lastComponent.hasSuffix(".json") || lastComponent.hasSuffix(".yaml") || lastComponent.hasSuffix(".yml") ? .data : .hidden
            default: break
            }
        }
        if hiddenComponent { return .hidden }
        if lastComponent.hasSuffix(".md") || lastComponent.hasSuffix(".markdown") { return .page(.markdown) }
        if lastComponent.hasSuffix(".njk") { return .page(.nunjucks) }
        if lastComponent.hasSuffix(".html") { return .page(.html) }
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
