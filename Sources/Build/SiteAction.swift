import Cache
import Site

/// Every page record of a whole site, stored in the cache under a digest of
/// all of the site's inputs (their contents, not their stats) and the build
/// options: what Turborepo and Bazel call caching the whole task.
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
        record.append("unjucksd-site-action-1")
        record.bytes.append(contentsOf: options.bytes)
        for file in files {
            guard let hash = records[file.path]?.hash else { return nil }
            record.append(file.path)
            record.bytes.append(contentsOf: hash.bytes)
        }
        return ContentHash.of(record.bytes)
    }

    /// Magic `UJS1`, then per page: the path (UInt32 length + UTF-8), the key,
    /// a flag byte and (when 1) the collection key, and the action
    /// (`PageAction.encoded()`, UInt32 length first).
    func encoded() -> [UInt8] {
        var record = BuildState.Fingerprint.Record(capacity: 4 + pages.count * 320)
        record.bytes.append(contentsOf: Self.magic)
        for page in pages {
            record.append(page.path)
            record.bytes.append(contentsOf: page.key.bytes)
            if let collectionKey = page.collectionKey {
                record.bytes.append(1)
                record.bytes.append(contentsOf: collectionKey.bytes)
            } else {
                record.bytes.append(0)
            }
            let action = page.action.encoded()
            record.append(UInt32(action.count))
            record.bytes.append(contentsOf: action)
        }
        return record.bytes
    }

    /// Parses `encoded()`; nil for anything else.
    init?(encoded bytes: [UInt8]) {
        let decoded: [Page]? = bytes.withUnsafeBytes { buffer in
            guard buffer.count >= 4, Array(buffer[0..<4]) == Self.magic else { return nil }
            let decoder = PageActionDecoder()
            var pages: [Page] = []
            var i = 4
            func length() -> Int? {
                guard i + 4 <= buffer.count else { return nil }
                defer { i += 4 }
                return Int(buffer.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian)
            }
            func hash() -> ContentHash? {
                guard i + ContentHash.byteCount <= buffer.count else { return nil }
                defer { i += ContentHash.byteCount }
                return ContentHash(buffer, at: i)
            }
            while i < buffer.count {
                guard let pathLength = length(), i + pathLength <= buffer.count else { return nil }
                let path = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[i..<(i + pathLength)]), as: UTF8.self)
                i += pathLength
                guard let key = hash(), i < buffer.count else { return nil }
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
                guard let actionLength = length(), i + actionLength <= buffer.count,
                      let action = decoder.decode(UnsafeRawBufferPointer(rebasing: buffer[i..<(i + actionLength)]))
                else { return nil }
                i += actionLength
                pages.append(Page(path: path, key: key, collectionKey: collectionKey, action: action))
            }
            return pages
        }
        guard let decoded else { return nil }
        pages = decoded
    }

    init(pages: [Page]) { self.pages = pages }

    private static let magic: [UInt8] = Array("UJS1".utf8)
}
