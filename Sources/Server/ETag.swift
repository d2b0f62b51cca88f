/// Entity tags for static files and `If-None-Match` matching.
public enum ETag {
    /// A strong tag from the file's identity: inode, size and modification time in nanoseconds.
    public static func forFile(inode: UInt64, size: Int, modifiedNanoseconds: Int64) -> String {
        "\"\(String(inode, radix: 16))-\(String(size, radix: 16))-\(String(modifiedNanoseconds, radix: 16))\""
    }

    /// A strong tag from content, for bodies rewritten per request (injected HTML).
    /// Mixes eight bytes at a time (multiply and xor-shift): not cryptographic, just fast.
    public static func forContent(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for index in 0..<words {
                let word = raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 29
            }
            for index in (words * 8)..<raw.count {
                hash = (hash ^ UInt64(raw[index])) &* 0x0000_0100_0000_01b3
            }
        }
        return "\"\(String(hash, radix: 16))-\(String(bytes.count, radix: 16))\""
    }

    /// `true` when an `If-None-Match` header value names `tag` (weak comparison, `*` matches all).
    public static func matches(ifNoneMatch header: String?, tag: String) -> Bool {
        guard let header else { return false }
        let plainTag = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
        for candidate in header.split(separator: ",") {
            var trimmed = Substring(String(candidate).trimmingSpaces())
            if trimmed == "*" { return true }
            if trimmed.hasPrefix("W/") { trimmed = trimmed.dropFirst(2) }
            if trimmed == plainTag { return true }
        }
        return false
    }
}
