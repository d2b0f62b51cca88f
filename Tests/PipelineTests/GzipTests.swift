import CZlib
import Testing
@testable import Pipeline

@Suite struct GzipTests {
    static let sample = Array(String(repeating: "<p>Hello, precompressed world.</p>\n", count: 500).utf8)

    @Test func roundTripsThroughZlib() throws {
        let compressed = try Gzip.compress(GzipTests.sample)
        #expect(compressed.count < GzipTests.sample.count / 10)
        #expect(try Gzip.decompress(compressed) == GzipTests.sample)
        // And through zlib's own one-shot gzip reader, independent of ours.
        #expect(zlibUncompress(compressed) == GzipTests.sample)
    }

    @Test func headerHasNoTimeNoNameAndFixedOS() throws {
        let compressed = try Gzip.compress(GzipTests.sample, level: 9)
        #expect(Array(compressed[0..<4]) == [0x1F, 0x8B, 0x08, 0x00])  // magic, deflate, no FNAME/FCOMMENT/FEXTRA
        #expect(Array(compressed[4..<8]) == [0, 0, 0, 0])  // MTIME
        #expect(compressed[8] == 2)  // XFL: maximum compression
        #expect(compressed[9] == 3)  // OS: Unix
        let trailer = Array(compressed.suffix(8))
        let crc = UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24
        let size = UInt32(trailer[4]) | UInt32(trailer[5]) << 8 | UInt32(trailer[6]) << 16 | UInt32(trailer[7]) << 24
        #expect(crc == Gzip.checksum(GzipTests.sample))
        #expect(Int(size) == GzipTests.sample.count)
    }

    @Test func sameInputGivesSameBytes() throws {
        let first = try Gzip.compress(GzipTests.sample)
        let second = try Gzip.compress(GzipTests.sample)
        #expect(first == second)
    }

    @Test func emptyAndLargeInputs() throws {
        let empty = try Gzip.compress([])
        #expect(try Gzip.decompress(empty) == [])
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let packed = try Gzip.compress(noise, level: 1)
        #expect(packed[8] == 4)  // XFL: fastest
        #expect(try Gzip.decompress(packed) == noise)
    }

    @Test func corruptAndTruncatedInputFailWithoutCrashing() throws {
        let compressed = try Gzip.compress(GzipTests.sample)
        #expect(throws: GzipError.self) { try Gzip.decompress(Array(compressed.dropLast(20))) }
        var corrupt = compressed
        corrupt[20] ^= 0xFF
        corrupt[21] ^= 0xFF
        #expect(throws: GzipError.self) { try Gzip.decompress(corrupt) }
        #expect(throws: GzipError.self) { try Gzip.decompress([1, 2, 3]) }
    }

    /// Inflates with zlib directly (windowBits 16+15: gzip only).
    private func zlibUncompress(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: GzipTests.sample.count + 16)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        return Array(output[0..<Int(stream.total_out)])
    }
}
