import Testing
@testable import Cache

@Suite struct ValueCodecTests {
    let codec = ValueCodec()
    let key = ContentHash.of("page")

    @Test func smallValuesAreStoredPlain() throws {
        let value = Array("<p>hi</p>".utf8)
        let encoded = codec.encode(value, key: key, kind: .blob)
        #expect(encoded.count == ValueCodec.headerSize + value.count)
        #expect(encoded[4] & ValueCodec.flagDeflated == 0)
        #expect(try codec.decode(encoded, key: key, kind: .blob) == value)
    }

    @Test func largeValuesAreCompressed() throws {
        let value = Array(String(repeating: "<li>compressible markup</li>\n", count: 200).utf8)
        let encoded = codec.encode(value, key: key, kind: .blob)
        #expect(encoded[4] & ValueCodec.flagDeflated != 0)
        #expect(encoded.count < value.count / 4)
        #expect(try codec.decode(encoded, key: key, kind: .blob) == value)
    }

    @Test func compressionStartsAboveOneKiB() throws {
        let atThreshold = [UInt8](repeating: UInt8(ascii: "a"), count: 1024)
        let above = [UInt8](repeating: UInt8(ascii: "a"), count: 1025)
        #expect(codec.encode(atThreshold, key: key, kind: .blob)[4] & ValueCodec.flagDeflated == 0)
        let encoded = codec.encode(above, key: key, kind: .blob)
        #expect(encoded[4] & ValueCodec.flagDeflated != 0)
        #expect(try codec.decode(encoded, key: key, kind: .blob) == above)
    }

    @Test func incompressibleLargeValuesStayPlain() throws {
        let value = randomBytes(4096)
        let encoded = codec.encode(value, key: key, kind: .blob)
        #expect(encoded[4] & ValueCodec.flagDeflated == 0)
        #expect(try codec.decode(encoded, key: key, kind: .blob) == value)
    }

    /// zlib deflates, libdeflate inflates: the stream must come out at
    /// exactly the recorded length, and a damaged stream is refused even
    /// where no tag stands in front of it.
    @Test func inflateTakesZlibStreamsAtExactlyTheirLength() throws {
        let value = Array(String(repeating: "<article><h2>Post</h2><p>Body text.</p></article>\n", count: 300).utf8)
        let deflated = try #require(ValueCodec.deflate(value, level: 1))
        #expect(ValueCodec.inflate(deflated, expectedLength: value.count) == value)
        #expect(ValueCodec.inflate(deflated, expectedLength: value.count + 1) == nil, "shorter than recorded")
        #expect(ValueCodec.inflate(deflated, expectedLength: value.count - 1) == nil, "longer than recorded")
        #expect(ValueCodec.inflate(Array(deflated.dropLast(10)), expectedLength: value.count) == nil, "truncated")
        var flipped = deflated
        flipped[flipped.count - 2] ^= 0x40  // in the Adler-32 trailer
        #expect(ValueCodec.inflate(flipped, expectedLength: value.count) == nil, "checksum")
        #expect(ValueCodec.inflate(randomBytes(200), expectedLength: 1000) == nil, "not a zlib stream")
        #expect(ValueCodec.inflate(deflated, expectedLength: deflated.count * 2000) == nil, "an absurd length is refused before allocating")
    }

    @Test func everyFlippedByteIsDetected() {
        let value = Array(String(repeating: "abc", count: 1000).utf8)
        let encoded = codec.encode(value, key: key, kind: .blob)
        for index in stride(from: 0, to: encoded.count, by: 7) {
            var corrupt = encoded
            corrupt[index] ^= 0x40
            #expect(throws: ValueRejection.self) { try codec.decode(corrupt, key: key, kind: .blob) }
        }
    }

    @Test func foreignAndTruncatedValuesAreRejected() {
        #expect(throws: ValueRejection.foreign) { try codec.decode(randomBytes(100), key: key, kind: .blob) }
        #expect(throws: ValueRejection.foreign) { try codec.decode([], key: key, kind: .blob) }
        let encoded = codec.encode(Array("x".utf8), key: key, kind: .blob)
        #expect(throws: ValueRejection.self) { try codec.decode(Array(encoded.dropLast()), key: key, kind: .blob) }
    }

    @Test func valueIsBoundToItsKeyAndKind() {
        let encoded = codec.encode(Array("content".utf8), key: key, kind: .blob)
        #expect(throws: ValueRejection.checksumMismatch) { try codec.decode(encoded, key: ContentHash.of("other"), kind: .blob) }
        #expect(throws: ValueRejection.checksumMismatch) { try codec.decode(encoded, key: key, kind: .action) }
    }

    @Test func signaturesAreRequiredAndChecked() throws {
        let signer = ValueCodec(secret: Array("s3cret".utf8))
        let value = Array("signed".utf8)
        let signed = signer.encode(value, key: key, kind: .blob)
        #expect(try signer.decode(signed, key: key, kind: .blob) == value)
        let unsigned = codec.encode(value, key: key, kind: .blob)
        #expect(throws: ValueRejection.unsigned) { try signer.decode(unsigned, key: key, kind: .blob) }
        let otherSecret = ValueCodec(secret: Array("other".utf8))
        #expect(throws: ValueRejection.checksumMismatch) { try otherSecret.decode(signed, key: key, kind: .blob) }
        #expect(throws: ValueRejection.signedWithUnknownSecret) { try codec.decode(signed, key: key, kind: .blob) }
    }

    @Test func emptyValuesRoundTrip() throws {
        let encoded = codec.encode([], key: key, kind: .blob)
        #expect(try codec.decode(encoded, key: key, kind: .blob) == [])
    }
}
