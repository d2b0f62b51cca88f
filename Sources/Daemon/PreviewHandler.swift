import Server
import Synchronization

/// `GET /sites/NAME/...`: the Server module's static handler over the output
/// directory, with HTML pages decorated (live-reload script, and the error
/// overlay while the site's last build failed). Decorated pages are cached
/// by the file's own ETag and the decoration generation, so a hot page costs
/// a lookup, not a rewrite and a content hash per request.
final class PreviewHandler: Sendable {
    private struct Entry: Sendable {
        let fileTag: String
        let generation: Int
        let bytes: [UInt8]
        let etag: String
    }

    /// Decorated pages kept at most, and their bytes at most (the cache is
    /// emptied when either is reached).
    static let capacity = 4096
    static let byteCapacity = 32 << 20

    private let files: StaticFileHandler
    private let decorate: @Sendable (_ body: [UInt8], _ site: String?) -> [UInt8]
    private let generation: @Sendable () -> Int
    private let cache = Mutex<(entries: [String: Entry], bytes: Int)>(([:], 0))

    /// - Parameters:
    ///   - outputRoot: the directory holding every site's output.
    ///   - decorate: rewrites an HTML body of a site.
    ///   - generation: changes whenever `decorate` would answer differently
    ///     for the same bytes (a site starts or stops failing).
    init(outputRoot: String, decorate: @escaping @Sendable ([UInt8], String?) -> [UInt8],
         generation: @escaping @Sendable () -> Int) {
        files = StaticFileHandler(mountPath: "/sites/", root: outputRoot)
        self.decorate = decorate
        self.generation = generation
    }

    /// Drops every decorated page (memory pressure).
    func removeAll() {
        cache.withLock { $0 = ([:], 0) }
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        // Clients only ever see decorated tags for HTML, which never match the
        // file's own tag, so the inner handler answers 200 for them and 304
        // (correctly) for everything else.
        var response = files.handle(request)
        guard response.status == 200, let contentType = response.headers["Content-Type"], ContentTypes.isHTML(contentType),
              let fileTag = response.headers["ETag"] else { return response }
        let current = generation()
        let key = request.path
        let entry: Entry
        if let cached = cache.withLock({ $0.entries[key] }), cached.fileTag == fileTag, cached.generation == current {
            entry = cached
        } else {
            let bytes = decorate(response.bodyBytes, Daemon.siteName(inPreviewPath: request.path))
            // The file's tag with the generation appended: `"ino-size-mtime-p3"`.
            let core = fileTag.hasSuffix("\"") ? String(fileTag.dropLast()) : "\"" + fileTag
            entry = Entry(fileTag: fileTag, generation: current, bytes: bytes, etag: core + "-p\(current)\"")
            cache.withLock { cache in
                if cache.entries.count >= Self.capacity || cache.bytes + bytes.count > Self.byteCapacity {
                    cache.entries.removeAll(keepingCapacity: true)
                    cache.bytes = 0
                }
                if let replaced = cache.entries.updateValue(entry, forKey: key) { cache.bytes -= replaced.bytes.count }
                cache.bytes += bytes.count
            }
        }
        response.headers.set("ETag", entry.etag)
        if ETag.matches(ifNoneMatch: request.headers["If-None-Match"], tag: entry.etag) {
            response.headers.remove("Content-Type")
            return HTTPResponse(status: 304, headers: response.headers)
        }
        response.body = .bytes(request.method == "HEAD" ? [] : entry.bytes)
        return response
    }
}
