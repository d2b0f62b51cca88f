/// Output paths of a pipeline: relative to its output directory, and never
/// able to leave it.
public enum OutputPath {
    /// Normalizes a rendered `to:` path: surrounding whitespace trimmed, a
    /// leading `./` and `.` segments dropped, `..` collapsed. Returns the
    /// reason as the error when the path is absolute, climbs out of the
    /// output directory, names a directory, or contains NUL.
    public static func normalize(_ raw: String) -> Result<String, OutputPathRefusal> {
        let path = raw.trimmingWhitespace()
        if path.isEmpty { return .failure(.empty) }
        if path.contains("\0") { return .failure(.invalid("contains a NUL byte")) }
        if path.hasPrefix("/") || path.hasPrefix("~") { return .failure(.escapes(path)) }
        if path.hasSuffix("/") { return .failure(.invalid("names a directory, not a file: \(path)")) }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if parts.popLast() == nil { return .failure(.escapes(path)) }
                continue
            }
            parts.append(part)
        }
        if parts.isEmpty { return .failure(.invalid("names the output directory itself: \(path)")) }
        return .success(parts.joined(separator: "/"))
    }
}

/// Why an output path was refused.
public enum OutputPathRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path rendered to nothing (Hygen: the file is skipped).
    case empty
    /// Absolute, or `..` above the output directory.
    case escapes(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .empty: return "output path is empty"
        case .escapes(let path): return "output path escapes the output directory: \(path)"
        case .invalid(let reason): return "invalid output path: \(reason)"
        }
    }
}
