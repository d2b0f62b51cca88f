import Foundation

/// Decides which paths are outside the watch: excluded prefixes and skipped directory names.
struct PathFilter: Sendable {
    let excludedPaths: [String]
    let excludedDirectoryNames: Set<String>
    let skipsDotDirectories: Bool

    init(_ configuration: WatchConfiguration) {
        excludedPaths = configuration.excludedPaths.map(PathFilter.absolute)
        excludedDirectoryNames = configuration.excludedDirectoryNames
        skipsDotDirectories = configuration.skipsDotDirectories
    }

    /// True if `path` (absolute) is an excluded path or lies under one.
    func excludes(_ path: String) -> Bool {
        excludedPaths.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    /// True if a directory called `name` at `path` must not be entered.
    func skipsDirectory(named name: Substring, at path: String) -> Bool {
        (skipsDotDirectories && name.hasPrefix(".")) || excludedDirectoryNames.contains(String(name))
            || excludes(path)
    }

    /// Absolute, normalised form of a path ("/a/b/../c/" -> "/a/c").
    static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in base.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
