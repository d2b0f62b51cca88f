/// Makes byte strings valid UTF-8.
enum UTF8Repair {
    /// Returns `bytes` unchanged when they are valid UTF-8 (the common case,
    /// checked without copying); otherwise a copy in which every maximal
    /// invalid subsequence is replaced by U+FFFD (EF BF BD), the same policy
    /// as `String(decoding:as:)`.
    static func repaired(_ bytes: [UInt8]) -> [UInt8] {
        if isValid(bytes) { return bytes }
        return Array(String(decoding: bytes, as: UTF8.self).utf8)
    }

    static func isValid(_ bytes: [UInt8]) -> Bool {
        // The standard library's validator is vectorised; far faster than a
        // scalar-by-scalar decode loop on large documents.
        String(validating: bytes, as: UTF8.self) != nil
    }
}
