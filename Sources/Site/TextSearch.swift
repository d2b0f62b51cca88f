import Foundation

/// Byte-level substring search (`memchr` for the first byte, then
/// `memcmp`; glibc's `memmem` is not exported to Swift): Foundation's
/// `String.contains(_:)` goes through CFString and is slow on the build's
/// hot path (every template is checked for `collections`).
public enum TextSearch {
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard n.count > 0 else { return true }
                guard h.count >= n.count else { return false }
                let base = UnsafeRawPointer(h.baseAddress!)
                let last = h.count - n.count
                var offset = 0
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(n[0]), last - offset + 1) else { return false }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return true }
                    offset = at + 1
                }
                return false
            }
        }
    }
}
