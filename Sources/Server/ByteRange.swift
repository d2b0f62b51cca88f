/// A single `Range: bytes=...` request (multiple ranges are answered with the whole body).
public enum ByteRange {
    /// What to send for a `Range` header.
    public enum Outcome: Equatable, Sendable {
        /// No usable range: send the whole body with 200.
        case whole
        /// Send these bytes with 206.
        case part(ClosedRange<Int>)
        /// The range lies beyond the end: 416.
        case unsatisfiable
    }

    /// Interprets `header` for a body of `size` bytes: `bytes=a-b`, `bytes=a-`, `bytes=-n`.
    public static func outcome(header: String?, size: Int) -> Outcome {
        guard let header else { return .whole }
        let trimmed = header.trimmingSpaces()
        guard trimmed.hasPrefix("bytes="), !trimmed.contains(",") else { return .whole }
        let spec = trimmed.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimmingPrefixAndSuffixSpaces()
        let last = spec[spec.index(after: dash)...].trimmingPrefixAndSuffixSpaces()
        if first.isEmpty {
            guard let suffix = Int(last), suffix > 0 else { return last.isEmpty ? .whole : .unsatisfiable }
            guard size > 0 else { return .unsatisfiable }
            return .part(max(0, size - suffix)...(size - 1))
        }
        guard let start = Int(first), start >= 0 else { return .whole }
        guard start < size else { return .unsatisfiable }
        if last.isEmpty { return .part(start...(size - 1)) }
        guard let end = Int(last), end >= start else { return .whole }
        return .part(start...min(end, size - 1))
    }
}

extension Substring {
    fileprivate func trimmingPrefixAndSuffixSpaces() -> Substring {
        var slice = self
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return slice
    }
}
