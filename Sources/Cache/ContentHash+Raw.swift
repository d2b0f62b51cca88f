extension ContentHash {
    /// Reads a digest from 32 bytes at `offset` of `buffer` (big-endian words),
    /// without the generic collection walk of `init?(bytes:)`: the decoding
    /// hot path of build state records. The caller checks the bounds.
    public init(_ buffer: UnsafeRawBufferPointer, at offset: Int) {
        func word(_ at: Int) -> UInt64 {
            UInt64(bigEndian: buffer.loadUnaligned(fromByteOffset: offset + at, as: UInt64.self))
        }
        w0 = word(0)
        w1 = word(8)
        w2 = word(16)
        w3 = word(24)
    }

    /// Appends the 32 digest bytes to `out`.
    public func append(to out: inout [UInt8]) {
        for word in [w0, w1, w2, w3] {
            withUnsafeBytes(of: word.bigEndian) { out.append(contentsOf: $0) }
        }
    }
}
