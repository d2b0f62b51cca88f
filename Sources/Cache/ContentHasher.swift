import COpenSSL

/// An incremental SHA-256 (OpenSSL EVP) for building cache addresses from
/// several inputs.
///
/// `update(_:)` hashes a *field*: its length goes in first, so the sequence of
/// fields is unambiguous (`("ab", "c")` and `("a", "bc")` differ).
/// `updateRaw(_:)` streams bytes with no framing, for hashing one large input
/// in pieces.
public struct ContentHasher: ~Copyable {
    private let context: OpaquePointer
    /// Small fields gathered before they go to OpenSSL: a key is hashed
    /// from a dozen fields of a few bytes each, and each `EVP_DigestUpdate`
    /// call cost more than hashing its bytes.
    private var pending: [UInt8] = []
    private static let pendingLimit = 4096

    /// Starts an empty SHA-256.
    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, OpenSSLDigest.sha256, nil) == 1 else {
            fatalError("OpenSSL could not initialise SHA-256")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds one length-prefixed field of bytes.
    public mutating func update(_ bytes: [UInt8]) {
        appendLength(bytes.count)
        updateRaw(bytes)
    }

    /// Adds one length-prefixed field holding the UTF-8 bytes of `string`.
    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            appendLength(utf8.count)
            updateRaw(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Adds one length-prefixed field holding another hash's digest.
    public mutating func update(_ hash: ContentHash) {
        appendLength(ContentHash.byteCount)
        var words = (hash.w0.bigEndian, hash.w1.bigEndian, hash.w2.bigEndian, hash.w3.bigEndian)
        withUnsafeBytes(of: &words) { updateRaw($0) }
    }

    /// Adds an integer field (8 bytes, little-endian; fixed length so no prefix needed).
    public mutating func update(_ value: Int) {
        var little = UInt64(bitPattern: Int64(value)).littleEndian
        withUnsafeBytes(of: &little) { updateRaw($0) }
    }

    /// Adds bytes with no framing.
    public mutating func updateRaw(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { updateRaw($0) }
    }

    /// Adds bytes with no framing.
    public mutating func updateRaw(_ buffer: UnsafeRawBufferPointer) {
        guard buffer.count > 0 else { return }
        if buffer.count >= Self.pendingLimit {
            flushPending()
            EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
            return
        }
        pending.append(contentsOf: buffer)
        if pending.count >= Self.pendingLimit { flushPending() }
    }

    private mutating func flushPending() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Finishes the digest.
    public consuming func finalize() -> ContentHash {
        flushPending()
        var digest = [UInt8](repeating: 0, count: ContentHash.byteCount)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return ContentHash(bytes: digest)!
    }

    private mutating func appendLength(_ count: Int) {
        var little = UInt64(count).littleEndian
        withUnsafeBytes(of: &little) { updateRaw($0) }
    }
}
