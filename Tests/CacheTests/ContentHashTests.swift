import Testing
@testable import Cache

@Suite struct ContentHashTests {
    @Test func knownSHA256Vector() {
        #expect(ContentHash.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.of([UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func hexRoundTripAndValidation() {
        let hash = ContentHash.of("hello")
        #expect(ContentHash(hex: hash.hex) == hash)
        #expect(ContentHash(hex: hash.hex.uppercased()) == hash)
        #expect(ContentHash(bytes: hash.bytes) == hash)
        #expect(ContentHash(hex: "xyz") == nil)
        #expect(ContentHash(hex: String(repeating: "g", count: 64)) == nil)
        #expect(ContentHash(bytes: [1, 2, 3]) == nil)
    }

    @Test func fieldsAreLengthPrefixed() {
        var first = ContentHasher()
        first.update("ab")
        first.update("c")
        var second = ContentHasher()
        second.update("a")
        second.update("bc")
        let a = first.finalize(), b = second.finalize()
        #expect(a != b)
    }

    @Test func rawUpdatesStreamLikeOneShot() {
        var hasher = ContentHasher()
        hasher.updateRaw(Array("hello, ".utf8))
        hasher.updateRaw(Array("world".utf8))
        let streamed = hasher.finalize()
        #expect(streamed == ContentHash.of("hello, world"))
    }

    @Test func hashableAndOrdered() {
        let a = ContentHash.of("a"), b = ContentHash.of("b")
        #expect(Set([a, b, a]).count == 2)
        #expect((a < b) != (b < a))
    }
}
