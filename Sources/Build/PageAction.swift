import Cache
import Glibc

/// What rendering a page did, recorded under the page's key so a later
/// build — on this machine or, through Redis, another — can prove the page
/// is up to date without rendering it: every template it loaded with the
/// hash it had, whether it read `collections` (and their fingerprint), and
/// the output files with the hashes of their bytes, and the URL each was
/// planned at (so a build re-rendering the page with the same key need not
/// work its permalink out again).
public struct PageAction: Sendable, Equatable {
    public var templates: [(path: String, hash: ContentHash)]
    public var collectionsFingerprint: ContentHash?
    public var outputs: [(path: String, hash: ContentHash)]
    /// One per output, in order; empty when not recorded.
    public var urls: [String]

    public init(templates: [(path: String, hash: ContentHash)], collectionsFingerprint: ContentHash?, outputs: [(path: String, hash: ContentHash)],
                urls: [String] = []) {
        self.templates = templates
        self.collectionsFingerprint = collectionsFingerprint
        self.outputs = outputs
        // A URL too long for its 2-byte length is not recorded (cut short,
        // it would be reused as the page's permalink).
        self.urls = urls.count == outputs.count && urls.allSatisfy({ $0.utf8.count <= Int(UInt16.max) }) ? urls : []
    }

    public var usesCollections: Bool { collectionsFingerprint != nil }

    public static func == (a: PageAction, b: PageAction) -> Bool {
        // A record carried over from the last build shares its arrays: same
        // storage, same contents, without comparing every path.
        if a.collectionsFingerprint == b.collectionsFingerprint, sameStorage(a.templates, b.templates), sameStorage(a.outputs, b.outputs),
           sameStorage(a.urls, b.urls) {
            return true
        }
        return a.templates.elementsEqual(b.templates, by: { $0.path == $1.path && $0.hash == $1.hash })
            && a.collectionsFingerprint == b.collectionsFingerprint
            && a.outputs.elementsEqual(b.outputs, by: { $0.path == $1.path && $0.hash == $1.hash })
            && a.urls == b.urls
    }

    private static func sameStorage<T>(_ a: [T], _ b: [T]) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }

    /// Binary form, decoded on every incremental build for every page, so
    /// it is cheap to read: magic `UJA1`, then records of one kind byte
    /// (`T` template, `C` collections, `O` output), 32 hash bytes and, for
    /// `T`/`O`, a 2-byte length and the UTF-8 path; each `O` may be followed
    /// by a `U` record: the kind byte, a 2-byte length and the output's URL.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(encodedCount)
        append(to: &out)
        return out
    }

    /// The length of `encoded()`, without encoding.
    public var encodedCount: Int {
        func text(_ string: String) -> Int { 2 + min(string.utf8.count, Int(UInt16.max)) }
        var count = 4 + (collectionsFingerprint == nil ? 0 : 33)
        for template in templates { count += 33 + text(template.path) }
        for (index, output) in outputs.enumerated() {
            count += 33 + text(output.path)
            if index < urls.count { count += 1 + text(urls[index]) }
        }
        return count
    }

    /// Appends `encoded()` to `out`.
    public func append(to out: inout [UInt8]) {
        out.append(contentsOf: [0x55, 0x4A, 0x41, 0x31])  // "UJA1"
        func record(_ kind: UInt8, _ hash: ContentHash, _ path: String?) {
            out.append(kind)
            hash.append(to: &out)
            if let path { text(path) }
        }
        /// A 2-byte length and the UTF-8 (no copy in between).
        func text(_ string: String) {
            let utf8 = string.utf8.prefix(Int(UInt16.max))
            out.append(UInt8(utf8.count >> 8))
            out.append(UInt8(utf8.count & 0xFF))
            out.append(contentsOf: utf8)
        }
        for t in templates { record(0x54, t.hash, t.path) }
        if let fingerprint = collectionsFingerprint { record(0x43, fingerprint, nil) }
        for (index, o) in outputs.enumerated() {
            record(0x4F, o.hash, o.path)
            guard index < urls.count else { continue }
            out.append(0x55)
            text(urls[index])
        }
    }

    /// Parses `encoded()`; nil for anything else (a foreign or damaged value).
    public init?(encoded bytes: [UInt8]) {
        guard let decoded = bytes.withUnsafeBytes({ PageAction(encoded: $0) }) else { return nil }
        self = decoded
    }

    /// Parses `encoded()` in place (e.g. straight from an SQLite column);
    /// `skippingTemplates` leaves `templates` empty (see `PageActionDecoder`).
    public init?(encoded buffer: UnsafeRawBufferPointer, skippingTemplates: Bool = false) {
        let decoded: PageAction? = {
            guard buffer.count >= 4, buffer[0] == 0x55, buffer[1] == 0x4A, buffer[2] == 0x41, buffer[3] == 0x31 else { return nil }
            // Labelled like the properties: unlabelled tuple arrays would be
            // converted element by element with a dynamic cast.
            var templates: [(path: String, hash: ContentHash)] = []
            var outputs: [(path: String, hash: ContentHash)] = []
            var urls: [String] = []
            var fingerprint: ContentHash?
            var i = 4
            while i < buffer.count {
                let kind = buffer[i]
                if kind == 0x55 {
                    // A URL, after the output it belongs to.
                    guard i + 3 <= buffer.count, urls.count + 1 == outputs.count else { return nil }
                    let length = Int(buffer[i + 1]) << 8 | Int(buffer[i + 2])
                    i += 3
                    guard i + length <= buffer.count else { return nil }
                    urls.append(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[i..<(i + length)]), as: UTF8.self))
                    i += length
                    continue
                }
                guard i + 33 <= buffer.count else { return nil }
                let hash = ContentHash(buffer, at: i + 1)
                i += 33
                if kind == 0x43 {
                    fingerprint = hash
                    continue
                }
                guard i + 2 <= buffer.count else { return nil }
                let length = Int(buffer[i]) << 8 | Int(buffer[i + 1])
                i += 2
                guard i + length <= buffer.count else { return nil }
                if kind == 0x54 && skippingTemplates {
                    i += length
                    continue
                }
                let path = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[i..<(i + length)]), as: UTF8.self)
                i += length
                switch kind {
                case 0x54: templates.append((path, hash))
                case 0x4F: outputs.append((path, hash))
                default: return nil
                }
            }
            return PageAction(templates: templates, collectionsFingerprint: fingerprint, outputs: outputs, urls: urls)
        }()
        guard let decoded else { return nil }
        self = decoded
    }
}

/// Decodes the actions of a whole site, sharing one template list among the
/// actions that record the same templates with the same hashes (pages with
/// one layout chain): fewer allocations when thousands of records are
/// loaded, and one list in memory instead of thousands.
final class PageActionDecoder {
    private var templateLists: [[UInt8]: [(path: String, hash: ContentHash)]] = [:]
    /// The last row's template records and list: rows come in path order,
    /// and neighbours (posts) mostly share their layout chain, so most rows
    /// are matched by one comparison, without building a dictionary key.
    private var last: (key: [UInt8], templates: [(path: String, hash: ContentHash)])?

    func decode(_ buffer: UnsafeRawBufferPointer) -> PageAction? {
        guard var action = PageAction(encoded: buffer, skippingTemplates: true) else { return nil }
        // The template records come first: `T`, 32 hash bytes, 2 length bytes, the path.
        var end = 4
        while end + 35 <= buffer.count, buffer[end] == 0x54 {
            end += 35 + (Int(buffer[end + 33]) << 8 | Int(buffer[end + 34]))
        }
        guard end > 4, end <= buffer.count else { return action }
        let records = UnsafeRawBufferPointer(rebasing: buffer[4..<end])
        if let last, last.key.count == records.count,
           last.key.withUnsafeBytes({ memcmp($0.baseAddress!, records.baseAddress!, records.count) == 0 }) {
            action.templates = last.templates
            return action
        }
        let key = [UInt8](records)
        if let shared = templateLists[key] {
            action.templates = shared
        } else {
            guard let full = PageAction(encoded: buffer) else { return nil }
            templateLists[key] = full.templates
            action.templates = full.templates
        }
        last = (key, action.templates)
        return action
    }
}
