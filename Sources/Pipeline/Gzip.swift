import CZlib

/// gzip (RFC 1952) with a fixed header: no file name, no modification
/// time (0), OS byte 3 (Unix), so the same input always gives the same
/// bytes — what `gzip -n` promises, and what a precompressed `.gz`
/// sibling served next to its original needs to stay byte-identical
/// between builds. The deflate stream comes from zlib in raw mode; the
/// header and trailer (CRC-32, size mod 2^32) are written here.
public enum Gzip {
    /// The ten header bytes every member starts with; `XFL` (index 8) is
    /// patched per level as RFC 1952 describes.
    static let headerTemplate: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]

    /// Compresses `input` at `level` (1 fastest ... 9 smallest).
    public static func compress(_ input: [UInt8], level: Int = 9) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, Int32(min(9, max(1, level))), Z_DEFLATED, -MAX_WBITS, 9,
                                   Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw GzipError(message: "deflateInit2 failed (\(status))") }
        defer { deflateEnd(&stream) }

        var output = headerTemplate
        output[8] = level >= 9 ? 2 : (level <= 1 ? 4 : 0)
        let bound = Int(deflateBound(&stream, uLong(min(input.count, Int(UInt32.max)))))
        output.reserveCapacity(output.count + bound + 8)

        var chunk = [UInt8](repeating: 0, count: max(64 << 10, min(bound, 8 << 20)))
        let maxFeed = Int(UInt32.max / 2)
        var offset = 0
        var result: Int32 = Z_OK
        try input.withUnsafeBufferPointer { (inBuffer) throws(GzipError) in
            repeat {
                let feed = min(maxFeed, inBuffer.count - offset)
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress.map { $0 + offset })
                stream.avail_in = UInt32(feed)
                let flush = offset + feed == inBuffer.count ? Z_FINISH : Z_NO_FLUSH
                repeat {
                    let produced = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int in
                        stream.next_out = outBuffer.baseAddress
                        stream.avail_out = UInt32(outBuffer.count)
                        result = deflate(&stream, flush)
                        return outBuffer.count - Int(stream.avail_out)
                    }
                    guard result != Z_STREAM_ERROR else { throw GzipError(message: "deflate failed") }
                    output.append(contentsOf: chunk[0..<produced])
                } while stream.avail_out == 0
                offset += feed
            } while offset < inBuffer.count
        }
        guard result == Z_STREAM_END else { throw GzipError(message: "deflate did not finish (\(result))") }

        appendLittleEndian(UInt32(truncatingIfNeeded: checksum(input)), to: &output)
        appendLittleEndian(UInt32(truncatingIfNeeded: input.count), to: &output)
        return output
    }

    /// Decompresses one or more concatenated gzip members (headers and
    /// checksums verified by zlib). Input is limited to 4 GiB.
    public static func decompress(_ input: [UInt8]) throws(GzipError) -> [UInt8] {
        guard !input.isEmpty else { throw GzipError(message: "empty input") }
        guard input.count < Int(UInt32.max) else { throw GzipError(message: "input too large") }
        var stream = z_stream()
        guard inflateInit2_(&stream, MAX_WBITS + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GzipError(message: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 << 10)
        try input.withUnsafeBufferPointer { (inBuffer) throws(GzipError) in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                var result: Int32 = Z_OK
                let produced = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    result = inflate(&stream, Z_NO_FLUSH)
                    return outBuffer.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
                switch result {
                case Z_STREAM_END:
                    if stream.avail_in == 0 { return }
                    inflateReset(&stream)  // another member follows
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw GzipError(message: "truncated gzip data")
                default:
                    throw GzipError(message: "corrupt gzip data (zlib \(result))")
                }
            }
        }
        return output
    }

    /// CRC-32 as gzip stores it.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc = crc32(0, nil, 0)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            repeat {
                let n = min(Int(UInt32.max / 2), buffer.count - offset)
                crc = crc32(crc, buffer.baseAddress.map { $0 + offset }, uInt(n))
                offset += n
            } while offset < buffer.count
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}

/// A zlib failure while compressing or decompressing.
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
