/// Turns the raw path below a mount point into file-system path segments,
/// refusing anything that could step outside the root.
public enum SafePath {
    /// Why a path was refused.
    public enum Refusal: Error, Equatable, Sendable {
        /// A `%` escape is malformed or the result is not UTF-8.
        case malformedEscape
        /// `..`, `.`, an encoded `/`, a backslash or a NUL byte.
        case traversal
    }

    /// Splits `rawPath` (still percent-encoded) on `/` and decodes each segment.
    /// Empty segments (`a//b`) are skipped.
    public static func segments(ofRawPath rawPath: Substring) -> Result<[String], Refusal> {
        var segments: [String] = []
        for rawSegment in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            guard let segment = PercentDecoding.decode(rawSegment) else { return .failure(.malformedEscape) }
            if segment == "." || segment == ".." { return .failure(.traversal) }
            if segment.utf8.contains(where: { $0 == 0 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) {
                return .failure(.traversal)
            }
            segments.append(segment)
        }
        return .success(segments)
    }
}
