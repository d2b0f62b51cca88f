import Foundation

/// The paths a site leaves out of its build altogether, as Eleventy does:
/// every `node_modules` directory, and what `.eleventyignore` at the site
/// root names — one path or glob a line, relative to the site root (`drafts/`,
/// `README.md`, `notes/**/*.md`; a leading `./` is dropped, `#` starts a
/// comment line). An ignored file is neither a page, data nor an asset.
public struct IgnoreRules: Sendable, Equatable {
    /// The file at the site root that lists the patterns.
    public static let fileName = ".eleventyignore"
    static let alwaysIgnoredDirectory = "node_modules"

    let patterns: [Glob]

    public init(text: String) {
        patterns = text.split(whereSeparator: \.isNewline).compactMap { line in
            var entry = TextSearch.trimmed(String(line))
            if entry.isEmpty || entry.hasPrefix("#") { return nil }
            while entry.hasPrefix("./") { entry.removeFirst(2) }
            while entry.hasPrefix("/") { entry.removeFirst() }
            return entry.isEmpty ? nil : Glob(entry)
        }
    }

    /// The rules of the site at `root` (just `node_modules` when it has no
    /// `.eleventyignore`).
    public init(root: String) {
        let bytes = FileManager.default.contents(atPath: root + "/" + Self.fileName)
        self.init(text: bytes.map { String(decoding: $0, as: UTF8.self) } ?? "")
    }

    /// Whether the directory at `relative` (from the site root) and all
    /// under it are left out. `drafts`, `drafts/` and `drafts/**` all name
    /// the directory `drafts`.
    public func ignoresDirectory(_ relative: String) -> Bool {
        if relative == Self.alwaysIgnoredDirectory || relative.hasSuffix("/" + Self.alwaysIgnoredDirectory) { return true }
        return patterns.contains { $0.matches(relative) || $0.matches(relative + "/") }
    }

    /// Whether a pattern names the file at `relative` itself (a walk that
    /// skipped ignored directories needs no more).
    func namesFile(_ relative: String) -> Bool {
        !patterns.isEmpty && patterns.contains { $0.matches(relative) }
    }

    /// Whether the file at `relative` is left out, by a pattern naming it
    /// or one of the directories it is in.
    public func ignoresFile(_ relative: String) -> Bool {
        if namesFile(relative) { return true }
        var directory = relative
        while let slash = directory.lastIndex(of: "/") {
            directory = String(directory[..<slash])
            if ignoresDirectory(directory) { return true }
        }
        return false
    }
}
