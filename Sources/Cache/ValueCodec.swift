import CDeflate

/// What a stored value is; part of the signed header so one kind can never be
/// served as another.
enum ValueKind: UInt8, Sendable {
    case blob = 0
    case action = 1
}

/// Why a stored value was refused. Every rejection is treated as a miss.
public enum ValueRejection: Error, Sendable, Equatable {
    /// Not written by this codec (wrong magic or version, or too short).
    case foreign
    /// Written without a signature while this cache requires one.
    case unsigned
    /// Signed while this cache has no secret, so it cannot be verified.
    case signedWithUnknownSecret
    /// Checksum or signature does not match (corruption, tampering, or a
    /// valid value stored under another key).
    case checksumMismatch
    /// The payload does not inflate to the recorded length.
    case corruptPayload
}

/// The on-wire and on-disk form of every cached value.
///
/// Layout (48-byte header, then payload):
/// ```
/// 0..<4   magic "UJC" + format version 1
/// 4       flags: bit 0 zlib-deflated payload, bit 1 tag is an HMAC
/// 5       kind (ValueKind)
/// 6..<8   reserved, zero
/// 8..<16  length of the original bytes, little-endian
/// 16..<48 tag: SHA-256 over (domain, key, header 0..<16, payload),
///         or HMAC-SHA256(secret, that digest) when signed
/// ```
/// Putting the key into the tag binds a value to its address: a valid value
/// copied under another key fails verification.
struct ValueCodec: Sendable {
    static let headerSize = 48
    static let magic: [UInt8] = [0x55, 0x4A, 0x43, 0x01]
    static let flagDeflated: UInt8 = 1
    static let flagSigned: UInt8 = 2

    /// Values longer than this are deflated (when that makes them smaller).
    var compressionThreshold: Int = 1024
    /// Deflate level (1 fastest .. 12 smallest, libdeflate's scale). 1: a cold build stores every
    /// page, and on HTML level 1 keeps most of level 6's saving at a
    /// fraction of its CPU.
    var compressionLevel: Int32 = 1
    /// HMAC key; `nil` means values carry a plain checksum.
    var secret: [UInt8]?

    /// `deflate: false` stores the payload as it is (the header says so).
    func encode(_ bytes: [UInt8], key: ContentHash, kind: ValueKind, deflate: Bool = true) -> [UInt8] {
        var flags: UInt8 = 0
        var payload = bytes
        if deflate, bytes.count > compressionThreshold, let deflated = Self.deflate(bytes, level: compressionLevel),
           deflated.count < bytes.count {
            payload = deflated
            flags |= Self.flagDeflated
        }
        if secret != nil { flags |= Self.flagSigned }
        var header = Self.magic + [flags, kind.rawValue, 0, 0]
        var length = UInt64(bytes.count).littleEndian
        withUnsafeBytes(of: &length) { header.append(contentsOf: $0) }
        let tag = self.tag(header: header, payload: payload, key: key)
        var out = [UInt8]()
        out.reserveCapacity(Self.headerSize + payload.count)
        out.append(contentsOf: header)
        out.append(contentsOf: tag)
        out.append(contentsOf: payload)
        return out
    }

    func decode(_ stored: [UInt8], key: ContentHash, kind: ValueKind) throws(ValueRejection) -> [UInt8] {
        guard stored.count >= Self.headerSize, Array(stored[0..<4]) == Self.magic,
              stored[6] == 0, stored[7] == 0, stored[4] & ~(Self.flagDeflated | Self.flagSigned) == 0
        else { throw .foreign }
        let flags = stored[4]
        let signed = flags & Self.flagSigned != 0
        if secret != nil && !signed { throw .unsigned }
        if secret == nil && signed { throw .signedWithUnknownSecret }
        guard stored[5] == kind.rawValue else { throw .checksumMismatch }
        let header = Array(stored[0..<16])
        let payload = Array(stored[Self.headerSize...])
        let expected = tag(header: header, payload: payload, key: key)
        let matches = stored.withUnsafeBytes {
            MessageAuthentication.constantTimeEqual(expected, UnsafeRawBufferPointer(rebasing: $0[16..<48]))
        }
        guard matches else { throw .checksumMismatch }
        var length: UInt64 = 0
        for index in (8..<16).reversed() { length = length << 8 | UInt64(stored[index]) }
        guard length <= UInt64(Int.max) else { throw .corruptPayload }
        if flags & Self.flagDeflated == 0 {
            guard UInt64(payload.count) == length else { throw .corruptPayload }
            return payload
        }
        guard let inflated = Self.inflate(payload, expectedLength: Int(length)) else { throw .corruptPayload }
        return inflated
    }

    private func tag(header: [UInt8], payload: [UInt8], key: ContentHash) -> [UInt8] {
        var hasher = ContentHasher()
        hasher.update("unjucksd-cache-value")
        hasher.update(key)
        hasher.update(header)
        hasher.update(payload)
        let digest = hasher.finalize().bytes
        guard let secret else { return digest }
        return MessageAuthentication.hmacSHA256(key: secret, message: digest)
    }

    /// A zlib-format stream, made by libdeflate in one call (the whole value
    /// is at hand). zlib's deflate was ~23% of the CPU of a cold build
    /// filling Redis; with libdeflate's level 1 that build took 0.42 s
    /// instead of 0.51–0.54 s, values 1% smaller. Compressors are reused.
    static func deflate(_ bytes: [UInt8], level: Int32) -> [UInt8]? {
        DeflatePool.compressors(level: level).withObject { compressor in
            let capacity = libdeflate_zlib_compress_bound(compressor, bytes.count)
            // Uninitialised: only the pages written become resident (a large,
            // well-compressed value would otherwise cost its whole bound in RSS).
            return [UInt8](unsafeUninitializedCapacity: capacity) { dest, count in
                count = bytes.withUnsafeBufferPointer { src in
                    libdeflate_zlib_compress(compressor, src.baseAddress, src.count, dest.baseAddress, capacity)
                }
            }
        }.flatMap { $0.isEmpty ? nil : $0 }  // 0 bytes: libdeflate's "did not fit" (a stream is never empty)
    }

    /// Whole-buffer inflate with libdeflate (the length is in the header):
    /// most of a warm build's CPU is inflating thousands of fetched pages,
    /// and zlib's streaming `uncompress` took twice as long.
    static func inflate(_ bytes: [UInt8], expectedLength: Int) -> [UInt8]? {
        // A corrupt header must not make us allocate absurd amounts: deflate
        // cannot expand more than ~1032:1.
        guard expectedLength <= bytes.count * 1100 + 64 else { return nil }
        var produced = 0
        var status = LIBDEFLATE_BAD_DATA
        let out = DeflatePool.decompressors.withObject { decompressor in
            [UInt8](unsafeUninitializedCapacity: max(expectedLength, 1)) { dest, count in
                status = bytes.withUnsafeBufferPointer { src in
                    libdeflate_zlib_decompress(decompressor, src.baseAddress, src.count, dest.baseAddress, expectedLength, &produced)
                }
                count = status == LIBDEFLATE_SUCCESS ? produced : 0
            }
        }
        guard let out, status == LIBDEFLATE_SUCCESS, produced == expectedLength else { return nil }
        return out
    }
}
