@testable import Build
import Cache
import Site
import Testing

/// `SiteAction`'s key and binary form.
@Suite struct SiteActionTests {
    let a = ContentHash.of("a"), b = ContentHash.of("b"), c = ContentHash.of("c")

    func file(_ path: String, size: Int64 = 10, mtime: Int64 = 1) -> SiteFile {
        SiteFile(path: path, kind: SiteFile.classify(path), stat: FileStat(size: size, mtimeNanoseconds: mtime, inode: 7))
    }

    func records(_ entries: [(String, ContentHash)], mtime: Int64 = 1) -> RecordMap<BuildState.FileRecord> {
        RecordMap(Dictionary(uniqueKeysWithValues: entries.map {
            ($0.0, BuildState.FileRecord(stat: FileStat(size: 10, mtimeNanoseconds: mtime, inode: 7), hash: $0.1, collectionKey: nil))
        }))
    }

    @Test func roundTrips() throws {
        let layout: [(path: String, hash: ContentHash)] = [("_layouts/post.njk", a)]
        let action = SiteAction(pages: [
            .init(path: "posts/one.md", key: a, collectionKey: b,
                  action: PageAction(templates: layout, collectionsFingerprint: nil, outputs: [("posts/one/index.html", c)], urls: ["/posts/one/"])),
            .init(path: "posts/two.md", key: b, collectionKey: nil,
                  action: PageAction(templates: layout, collectionsFingerprint: c, outputs: [("posts/two/index.html", a)], urls: ["/posts/two/"])),
            .init(path: "draft.md", key: c, collectionKey: nil, action: PageAction(templates: [], collectionsFingerprint: nil, outputs: [])),
        ])
        let decoded = try #require(SiteAction(encoded: action.encoded()))
        #expect(decoded == action)
        #expect(SiteAction(encoded: SiteAction(pages: []).encoded()) == SiteAction(pages: []))
    }

    @Test func refusesForeignAndTruncatedBytes() {
        let action = SiteAction(pages: [.init(path: "index.njk", key: a, collectionKey: b,
                                              action: PageAction(templates: [], collectionsFingerprint: nil, outputs: [("index.html", c)]))])
        let bytes = action.encoded()
        #expect(SiteAction(encoded: []) == nil)
        #expect(SiteAction(encoded: Array("UJA1".utf8)) == nil, "a page action is not a site action")
        for cut in [5, 20, bytes.count - 1] {
            #expect(SiteAction(encoded: Array(bytes.prefix(cut))) == nil, "cut at \(cut)")
        }
        // Magic, one (empty) template list, then the page: path, key, flag.
        let flag = 4 + 4 + 4 + 4 + "index.njk".utf8.count + 32
        var badFlag = bytes
        badFlag[flag] = 7
        #expect(SiteAction(encoded: badFlag) == nil)
        var badList = bytes
        badList[flag + 1 + 32] = 1  // template list 1 of 1
        #expect(SiteAction(encoded: badList) == nil)
    }

    @Test func pagesSharingALayoutChainStoreItOnce() throws {
        let chain: [(path: String, hash: ContentHash)] = [("_layouts/a-rather-long-layout-name.njk", a), ("_includes/macros.njk", b)]
        let pages = (0..<50).map { i in
            SiteAction.Page(path: "posts/p\(i).md", key: ContentHash.of("\(i)"), collectionKey: c,
                            action: PageAction(templates: chain, collectionsFingerprint: nil, outputs: [("posts/p\(i)/index.html", c)]))
        }
        let bytes = SiteAction.encode(pages)
        let name = Array("a-rather-long-layout-name".utf8)
        let occurrences = (0...(bytes.count - name.count)).filter { Array(bytes[$0..<($0 + name.count)]) == name }.count
        #expect(occurrences == 1)
        let decoded = try #require(SiteAction(encoded: bytes))
        #expect(decoded.pages == pages)
    }

    @Test func keyCoversContentsNotStats() throws {
        let files = [file("index.njk"), file("posts/one.md")]
        let key = try #require(SiteAction.key(options: a, files: files, records: records([("index.njk", a), ("posts/one.md", b)])))
        // Another machine: other mtimes and inodes, same bytes.
        let elsewhere = [file("index.njk", mtime: 99), file("posts/one.md", mtime: 42)]
        #expect(SiteAction.key(options: a, files: elsewhere, records: records([("index.njk", a), ("posts/one.md", b)], mtime: 5)) == key)
        #expect(SiteAction.key(options: b, files: files, records: records([("index.njk", a), ("posts/one.md", b)])) != key, "options")
        #expect(SiteAction.key(options: a, files: files, records: records([("index.njk", a), ("posts/one.md", c)])) != key, "a file's bytes")
        #expect(SiteAction.key(options: a, files: [file("index.njk"), file("posts/two.md")],
                               records: records([("index.njk", a), ("posts/two.md", b)])) != key, "a file's name")
        #expect(SiteAction.key(options: a, files: files, records: records([("index.njk", a)])) == nil, "an unread file: no key")
    }
}
