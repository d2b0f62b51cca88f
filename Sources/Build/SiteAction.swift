import Cache
import Site

/// Every page record of a whole site, stored in the cache under a digest of
/// all of the site's inputs (their contents, not their stats) and the build
/// options: the whole build cached as one task, as Turborepo caches a
/// task's outputs under the hash of all its inputs.
///
/// A build that starts with most pages unknown (a fresh CI runner, a new
/// clone, a branch switch) reads and hashes its inputs, then fetches this one
/// value. On a hit it needs neither to parse the pages' front matter (the
/// record carries what collections depend on) nor to fetch thousands of page
/// actions one by one: each page's action is here, and only the output blobs
/// remain to be fetched. Each action is still checked as it would be if
/// fetched on its own (key, template hashes, collections fingerprint), so a
/// record can only ever save work, never change what is written.
struct SiteAction: Sendable, Equatable {
    struct Page: Sendable, Equatable {
        var path: String
        var key: ContentHash
        /// The page's collection key when it does not depend on the machine:
        /// pages with a front matter date. An undated page's date is its
        /// file's mtime, which differs from machine to machine; nil then,
        /// and the page is parsed to take its own.
        var collectionKey: ContentHash?
        var action: PageAction
    }

    var pages: [Page]

    /// The cache key: build options and, in path order, each file's path and
    /// content hash. Nil when a file has no hash (it could not be read).
    static func key(options: ContentHash, files: [SiteFile], records: RecordMap<BuildState.FileRecord>) -> ContentHash? {
        var record = BuildState.Fingerprint.Record(capacity: 48 + files.count * 64)
        record.append("unjucksd-site-action-2")
        record.bytes.append(contentsOf: options.bytes)
        for file in files {
            guard let hash = records[file.path]?.hash else { return nil }
            record.append(file.path)
            record.bytes.append(contentsOf: hash.bytes)
        }
        return ContentHash.of(record.bytes)
    }

    func encoded() -> [UInt8] { Self.encode(pages) }

    /// Magic `UJS2`; the template lists the pages' actions share (a UInt32
    /// count, then per list a UInt32 count and per template its path — UInt32
    /// length + UTF-8 — and hash); then per page: the path, the key, a flag
    /// byte and (when 1) the collection key, the UInt32 index of its template
    /// list, and its action without templates (`PageAction.encoded()`, UInt32
    /// length first). Most pages of a site share one layout chain: stored
    /// once, 20,000 pages take half the bytes.
    ///
    /// `pages` is walked twice, sizes first, so the bytes are allocated once
    /// at their final size (a build encodes this for every page of a site).
    static func encode<Pages: Sequence<Page>>(_ pages: Pages) -> [UInt8] {
        // Lists are told apart by their storage: every page of a layout chain
        // shares one (see `SiteBuildRun.templateLists`, `PageActionDecoder`).
        func identity(_ list: [(path: String, hash: ContentHash)]) -> UnsafeRawPointer? {
            list.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        var listIndex: [UnsafeRawPointer?: Int] = [:]
        var lists: [[(path: String, hash: ContentHash)]] = []
        var size = 8
        for page in pages {
            let id = identity(page.action.templates)
            if listIndex[id] == nil {
                listIndex[id] = lists.count
                lists.append(page.action.templates)
                size += 4 + page.action.templates.reduce(0) { $0 + 4 + $1.path.utf8.count + ContentHash.byteCount }
            }
            var bare = page.action
            bare.templates = []
            size += 4 + page.path.utf8.count + ContentHash.byteCount + 1 + (page.collectionKey == nil ? 0 : ContentHash.byteCount)
                + 4 + 4 + bare.encodedCount
        }
        var record = BuildState.Fingerprint.Record(capacity: size)
        record.bytes.append(contentsOf: magic)
        record.append(UInt32(lists.count))
        for list in lists {
            record.append(UInt32(list.count))
            for template in list {
                record.append(template.path)
                record.bytes.append(contentsOf: template.hash.bytes)
            }
        }
        for page in pages {
            record.append(page.path)
            record.bytes.append(contentsOf: page.key.bytes)
            if let collectionKey = page.collectionKey {
                record.bytes.append(1)
                record.bytes.append(contentsOf: collectionKey.bytes)
            } else {
                record.bytes.append(0)
            }
            record.append(UInt32(listIndex[identity(page.action.templates)]!))
            var bare = page.action
            bare.templates = []
            record.append(UInt32(bare.encodedCount))
            bare.append(to: &record.bytes)
        }
        return record.bytes
    }

    /// Parses `encode(_:)`'s bytes; nil for anything else.
    init?(encoded bytes: [UInt8]) {
        let decoded: [Page]? = bytes.withUnsafeBytes { buffer in
            guard buffer.count >= 4, Array(buffer[0..<4]) == Self.magic else { return nil }
            var i = 4
            func integer() -> Int? {
                guard i + 4 <= buffer.count else { return nil }
                defer { i += 4 }
                return Int(buffer.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian)
            }
            func hash() -> ContentHash? {
                guard i + ContentHash.byteCount <= buffer.count else { return nil }
                defer { i += ContentHash.byteCount }
                return ContentHash(buffer, at: i)
            }
            func text() -> String? {
                guard let length = integer(), length <= buffer.count - i else { return nil }
                defer { i += length }
                return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[i..<(i + length)]), as: UTF8.self)
            }
            guard let listCount = integer(), listCount <= buffer.count else { return nil }
            var lists: [[(path: String, hash: ContentHash)]] = []
            lists.reserveCapacity(listCount)
            for _ in 0..<listCount {
                guard let count = integer(), count <= buffer.count else { return nil }
                var list: [(path: String, hash: ContentHash)] = []
                list.reserveCapacity(count)
                for _ in 0..<count {
                    guard let path = text(), let hash = hash() else { return nil }
                    list.append((path, hash))
                }
                lists.append(list)
            }
            var pages: [Page] = []
            while i < buffer.count {
                guard let path = text(), let key = hash(), i < buffer.count else { return nil }
                let flag = buffer[i]
                i += 1
                var collectionKey: ContentHash?
                switch flag {
                case 0: break
                case 1:
                    guard let read = hash() else { return nil }
                    collectionKey = read
                default: return nil
                }
                guard let list = integer(), list < lists.count, let length = integer(), length <= buffer.count - i,
                      var action = PageAction(encoded: UnsafeRawBufferPointer(rebasing: buffer[i..<(i + length)])),
                      action.templates.isEmpty
                else { return nil }
                i += length
                action.templates = lists[list]
                pages.append(Page(path: path, key: key, collectionKey: collectionKey, action: action))
            }
            return pages
        }
        guard let decoded else { return nil }
        pages = decoded
    }

    init(pages: [Page]) { self.pages = pages }

    private static let magic: [UInt8] = Array("UJS2".utf8)
}
