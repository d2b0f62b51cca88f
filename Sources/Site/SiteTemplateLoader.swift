import Foundation
import Nunjucks
import Synchronization

/// Loads templates of one site the way the contract says: a name is looked up
/// in `_includes/`, `_layouts/`, then the site root; `./` and `../` names
/// resolve relative to the template that contains the tag. Canonical names
/// are site-relative paths (`_includes/nav.njk`), which is what the build's
/// dependency record stores. Nothing outside the site root is ever read,
/// symlinks included. Sources are read once per loader (one build) and kept.
public final class SiteTemplateLoader: TemplateLoader, @unchecked Sendable {
    public static let searchDirectories = ["_includes", "_layouts", ""]

    public let root: String
    private let realRoot: String
    private let cache = Mutex<[String: TemplateSource?]>([:])
    private let collectionReaders = Mutex<[String: Bool]>([:])
    private let contentReaders = Mutex<[String: Bool]>([:])
    /// (name as written, directory of the including template) -> what it resolved to.
    private let resolved = Mutex<[ResolutionKey: TemplateSource?]>([:])

    private struct ResolutionKey: Hashable {
        let name: String
        let directory: String
    }

    public init(root: String) {
        self.root = root
        realRoot = RelativePath.realPath(root) ?? root
    }

    public func load(_ name: String, relativeTo parent: String?) throws -> TemplateSource? {
        let relative = name.hasPrefix("./") || name.hasPrefix("../")
        let key = ResolutionKey(name: name, directory: relative ? (parent.map { ($0 as NSString).deletingLastPathComponent } ?? "") : "")
        if let hit = resolved.withLock({ $0[key] }) { return hit }
        var found: TemplateSource?
        for candidate in candidates(for: name, parent: parent) {
            if let source = try read(candidate) {
                found = source
                break
            }
        }
        resolved.withLock { $0[key] = found }
        return found
    }

    /// The site-relative paths `name` may denote, in lookup order; names that
    /// would leave the site root are dropped.
    public func candidates(for name: String, parent: String?) -> [String] {
        if name.hasPrefix("./") || name.hasPrefix("../") {
            let base = parent.map { ($0 as NSString).deletingLastPathComponent } ?? ""
            return RelativePath.normalize(base.isEmpty ? name : base + "/" + name).map { [$0] } ?? []
        }
        return SiteTemplateLoader.searchDirectories.compactMap { directory in
            RelativePath.normalize(directory.isEmpty ? name : directory + "/" + name)
        }
    }

    /// Reads a site-relative path (cached), refusing anything whose real
    /// path is outside the site root.
    public func read(_ relativePath: String) throws -> TemplateSource? {
        if let cached = cache.withLock({ $0[relativePath] }) { return cached }
        let absolute = root + "/" + relativePath
        var source: TemplateSource?
        var st = stat()
        if stat(absolute, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
           let real = RelativePath.realPath(absolute), real.hasPrefix(realRoot + "/") {
            guard let data = FileManager.default.contents(atPath: absolute) else {
                throw SiteError(file: relativePath, message: "cannot read template")
            }
            source = TemplateSource(name: relativePath, source: String(decoding: data, as: UTF8.self))
        }
        cache.withLock { $0[relativePath] = source }
        return source
    }

    /// Whether the template at `relativePath` can read other pages' content
    /// or URLs (cached; see `SiteRenderer.readsOtherPages`).
    public func readsOtherPages(_ relativePath: String) -> Bool {
        if let known = contentReaders.withLock({ $0[relativePath] }) { return known }
        let reads = ((try? read(relativePath))??.source).map(SiteRenderer.readsOtherPages) ?? false
        contentReaders.withLock { $0[relativePath] = reads }
        return reads
    }

    /// Whether the template at `relativePath` names `collections` (cached).
    public func mentionsCollections(_ relativePath: String) -> Bool {
        if let known = collectionReaders.withLock({ $0[relativePath] }) { return known }
        let mentions = ((try? read(relativePath))??.source).map { TextSearch.contains($0, "collections") } ?? false
        collectionReaders.withLock { $0[relativePath] = mentions }
        return mentions
    }
}
