/// A SHA-256 content address: 32 bytes, compared and hashed by value.
///
/// Stored as four words so that dictionary lookups on the hot path neither
/// allocate nor walk an array.
public struct ContentHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Number of bytes in a digest.
    public static let byteCount = 32

    let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Builds a hash from exactly 32 digest bytes; `nil` for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        (w0, w1, w2, w3) = (UInt64(bigEndian: words.0), UInt64(bigEndian: words.1),
                            UInt64(bigEndian: words.2), UInt64(bigEndian: words.3))
    }

    /// Parses 64 hex digits (either case); `nil` for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == Self.byteCount * 2 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Self.byteCount)
        var index = 0
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes: bytes)
    }

    /// The 32 digest bytes, most significant first.
    public var bytes: [UInt8] {
        var words = (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)
        return withUnsafeBytes(of: &words) { Array($0) }
    }

    /// Lower-case hex, 64 characters.
    public var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(Self.byteCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (lhs: ContentHash, rhs: ContentHash) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }

    /// SHA-256 of `bytes` as they are (no length prefix).
    public static func of(_ bytes: some Collection<UInt8>) -> ContentHash {
        var hasher = ContentHasher()
        hasher.updateRaw(Array(bytes))
        return hasher.finalize()
    }

    /// SHA-256 of the UTF-8 bytes of `string` (no length prefix).
    public static func of(_ string: String) -> ContentHash {
        of(Array(string.utf8))
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
