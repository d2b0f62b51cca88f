import Glibc
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
        /// Eleventy's directory and template data files: `dir/dir.json` (or
        /// `.yaml`, `.yml`, or `dir/dir.11tydata.*`) for every page under
        /// `dir/`, and `page.11tydata.*` for the page `page.*` beside it.
        /// Not output (see `DirectoryData`).
        case directoryData
        /// Copied unchanged.
        case asset
        /// Under a `_` or `.` name elsewhere: readable by templates, not output.
        case hidden

        /// A page, whatever its format.
        public var isPage: Bool {
            if case .page = self { return true }
            return false
        }
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

    /// Decides a file's kind from its site-relative path: one pass over the
    /// UTF-8 bytes (it runs for every file of every build, and walking
    /// `Character`s showed in the profile of a no-op build).
    public static func classify(_ path: String) -> Kind {
        var path = path
        return path.withUTF8 { bytes in classify(bytes) }
    }

    private static func classify(_ bytes: UnsafeBufferPointer<UInt8>) -> Kind {
        let slash = UInt8(ascii: "/"), underscore = UInt8(ascii: "_"), dot = UInt8(ascii: ".")
        var components = 0
        var first: Range<Int> = 0..<0
        var previous: Range<Int> = 0..<0
        var last: Range<Int> = 0..<0
        var hiddenComponent = false
        var start = 0
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index] == slash else { continue }
            if start < index {
                if components == 0 { first = start..<index }
                if bytes[start] == underscore || bytes[start] == dot { hiddenComponent = true }
                previous = last
                last = start..<index
                components += 1
            }
            start = index + 1
        }
        func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
            range.count == text.utf8CodeUnitCount
                && memcmp(bytes.baseAddress! + range.lowerBound, text.utf8Start, range.count) == 0
        }
        func hasSuffix(_ range: Range<Int>, _ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            return range.count >= count && memcmp(bytes.baseAddress! + range.upperBound - count, text.utf8Start, count) == 0
        }
        guard components > 0 else { return .hidden }
        if components == 1 && (equals(last, "site.yaml") || equals(last, "site.yml")) { return .config }
        if components > 1 {
            if equals(first, "_layouts") { return .layout }
            if equals(first, "_includes") { return .include }
            if equals(first, "_data") {
                return hasSuffix(last, ".json") || hasSuffix(last, ".yaml") || hasSuffix(last, ".yml") ? .data : .hidden
            }
        }
        if hiddenComponent { return .hidden }
        let dataExtension = hasSuffix(last, ".json") || hasSuffix(last, ".yaml") ? 5 : hasSuffix(last, ".yml") ? 4 : 0
        if dataExtension > 0 {
            let stem = last.lowerBound..<(last.upperBound - dataExtension)
            if hasSuffix(stem, ".11tydata") { return .directoryData }
            // `dir/dir.json`: the name of the directory it is in.
            if components > 1, stem.count == previous.count,
               memcmp(bytes.baseAddress! + stem.lowerBound, bytes.baseAddress! + previous.lowerBound, stem.count) == 0 {
                return .directoryData
            }
        }
        if hasSuffix(last, ".md") || hasSuffix(last, ".markdown") { return .page(.markdown) }
        if hasSuffix(last, ".njk") { return .page(.nunjucks) }
        if hasSuffix(last, ".html") { return .page(.html) }
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

    /// The parts of a `stat(2)` result a change check uses.
    public init(_ info: stat) {
        self.init(size: Int64(info.st_size),
                  mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                  inode: UInt64(info.st_ino))
    }
}
