import Build
import Cache
import Testing

/// `PageAction`'s binary form, with and without the outputs' URLs.
@Suite struct PageActionTests {
    let a = ContentHash.of("a"), b = ContentHash.of("b"), c = ContentHash.of("c")

    @Test func roundTripsWithURLs() throws {
        let action = PageAction(templates: [("_layouts/base.njk", a)], collectionsFingerprint: b,
                                outputs: [("posts/x/index.html", c), ("feed.xml", a)], urls: ["/posts/x/", "/feed.xml"])
        let decoded = try #require(PageAction(encoded: action.encoded()))
        #expect(decoded == action)
        #expect(decoded.urls == ["/posts/x/", "/feed.xml"])
    }

    @Test func urlsAreOptionalAndMustMatchTheOutputs() throws {
        let plain = PageAction(templates: [], collectionsFingerprint: nil, outputs: [("x.html", a)])
        #expect(try #require(PageAction(encoded: plain.encoded())).urls.isEmpty)
        // A URL count that does not match the outputs is dropped, not misaligned.
        #expect(PageAction(templates: [], collectionsFingerprint: nil, outputs: [("x.html", a)], urls: ["/x", "/y"]).urls.isEmpty)
        // So is a URL too long for its record (it would come back cut short).
        let long = "/" + String(repeating: "a", count: Int(UInt16.max))
        #expect(PageAction(templates: [], collectionsFingerprint: nil, outputs: [("x.html", a)], urls: [long]).urls.isEmpty)
        // A URL record with no output before it is a damaged value.
        #expect(PageAction(encoded: Array("UJA1".utf8) + [0x55, 0, 1, 0x2F]) == nil)
        #expect(plain != PageAction(templates: [], collectionsFingerprint: nil, outputs: [("x.html", a)], urls: ["/x.html"]))
    }
}
