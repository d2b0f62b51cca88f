import Foundation

/// Where a page's output goes: Eleventy-style pretty URLs and the mapping
/// from a URL to a file under the site's output directory.
public enum Permalink {
    /// The default URL of a page: `a/b.md` -> `/a/b/`, `a/index.njk` -> `/a/`,
    /// `index.njk` -> `/`.
    public static func defaultURL(forInput path: String) -> String {
        var stem = path
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/") {
            stem = String(stem[..<dot])
        }
        if stem == "index" { return "/" }
        if stem.hasSuffix("/index") { stem.removeLast("/index".count) }
        return "/" + stem + "/"
    }

    /// Eleventy's `page.fileSlug`: the file name without extension, or the
    /// parent directory's name for an index file (empty at the root).
    public static func fileSlug(forInput path: String) -> String {
        var components = path.split(separator: "/").map(String.init)
        guard var last = components.popLast() else { return "" }
        if let dot = last.lastIndex(of: ".") { last = String(last[..<dot]) }
        if last == "index" { return components.last ?? "" }
        return last
    }

    /// The output file, relative to the site's output directory, for a URL:
    /// `/a/b/` -> `a/b/index.html`, `/feed.xml` -> `feed.xml`. Refuses any URL
    /// whose path would leave the output directory.
    public static func outputPath(forURL url: String) throws(PermalinkError) -> String {
        var path = url
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
        if path.contains("\0") || path.contains("\\") { throw PermalinkError(url: url, reason: "contains a backslash or NUL") }
        let trailingSlash = path.isEmpty || path.hasSuffix("/")
        var stack: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if stack.popLast() == nil { throw PermalinkError(url: url, reason: "escapes the output directory") }
            default: stack.append(part)
            }
        }
        if trailingSlash || stack.isEmpty { stack.append("index.html") }
        return stack.joined(separator: "/")
    }

    /// Normalises a permalink as written (`feed.xml`, `/a/b/`) to a URL
    /// starting with `/`.
    public static func normalize(_ permalink: String) -> String {
        let trimmed = TextSearch.trimmed(permalink)
        return trimmed.hasPrefix("/") ? trimmed : "/" + trimmed
    }

    /// The URL as a page sees it for an output path (`a/index.html` -> `/a/`).
    public static func url(forOutputPath path: String) -> String {
        if path == "index.html" { return "/" }
        if path.hasSuffix("/index.html") { return "/" + path.dropLast("index.html".count) }
        return "/" + path
    }
}

public struct PermalinkError: Error, Sendable, Equatable, CustomStringConvertible {
    public let url: String
    public let reason: String
    public var description: String { "permalink \"\(url)\" \(reason)" }
}
