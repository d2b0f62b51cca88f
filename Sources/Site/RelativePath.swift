import Glibc

/// Path arithmetic on strings: resolving `.`/`..` inside a root and the
/// real (symlink-free) path, which the template loaders use to refuse
/// escapes, and absolute forms of the paths a command is given.
public enum RelativePath {
    /// Collapses `.` and `..`; nil when the path climbs above the root.
    static func normalize(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if parts.popLast() == nil { return nil }
                continue
            }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// `path` made absolute against the working directory, with `.`, `..`
    /// and repeated slashes collapsed, symlinks left as they are
    /// ("b/../c/" -> "/cwd/c"). Plain string work: Foundation's URL
    /// standardisation took 0.25 ms of every start.
    public static func absolute(_ path: String) -> String {
        var base = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            base = (getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : ".") + "/" + path
        }
        var parts: [Substring] = []
        for part in base.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `realpath(3)`: nil when the path does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
