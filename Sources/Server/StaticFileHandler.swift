/// Serves a directory tree under a URL prefix: `/sites/` + `NAME/page/` -> `root/NAME/page/index.html`.
///
/// Refuses traversal (`..`, encoded `/` or `.`, backslashes, NUL) with 403 and
/// never serves a file whose real path (symlinks resolved) is outside `root` (404).
/// Directories answer with their `index.html`; `/dir` redirects to `/dir/`.
/// Answers carry an ETag and honour `If-None-Match` with 304.
public struct StaticFileHandler: Sendable {
    /// The URL prefix, e.g. `/sites/` (with trailing slash).
    public let mountPath: String
    /// The directory served, as given.
    public let root: String
    /// Applied to HTML bodies (live reload, error overlay).
    public let htmlInjector: HTMLInjector?
    public let cache: StaticFileCache

    public init(mountPath: String, root: String, htmlInjector: HTMLInjector? = nil,
                cache: StaticFileCache = StaticFileCache()) {
        self.mountPath = mountPath.hasSuffix("/") ? mountPath : mountPath + "/"
        self.root = root
        self.htmlInjector = htmlInjector
        self.cache = cache
    }

    /// Handles a request whose path starts with ``mountPath`` (anything else is 404).
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = HTTPResponse.error(405)
            response.headers.set("Allow", "GET, HEAD")
            return response
        }
        guard request.rawPath.hasPrefix(mountPath) else { return .error(404) }
        let rawRelative = request.rawPath.dropFirst(mountPath.utf8.count)
        let segments: [String]
        switch SafePath.segments(ofRawPath: rawRelative) {
        case .success(let found): segments = found
        case .failure(.malformedEscape): return .error(400, "malformed path")
        case .failure(.traversal): return .error(403, "path outside the served directory")
        }
        guard let rootReal = cache.resolvedRoot(root) else { return .error(404) }
        let resolution: StaticFileCache.Resolution
        var identity: FileIdentity
        let key = rootReal + "/" + segments.joined(separator: "/") + (request.rawPath.hasSuffix("/") ? "/" : "")
        if let known = cache.resolution(for: key), let current = FileSystem.identity(of: known.path, followingSymlinks: false),
           current.isRegularFile {
            resolution = known
            identity = current
        } else {
            switch resolve(segments: segments, rootReal: rootReal, request: request) {
            case .success(let found):
                resolution = found.0
                identity = found.1
                cache.store(resolution, for: key)
            case .failure(let refusal):
                return refusal.response
            }
        }
        let fileName = resolution.fileName
        let contentType = ContentTypes.forFileName(fileName)
        let injects = htmlInjector != nil && ContentTypes.isHTML(contentType)
        var headers = HTTPHeaders()
        // A precompressed `NAME.gz` sibling (pipelines write them) is sent to clients that accept gzip.
        var servedPath = resolution.path
        if !injects, let sibling = resolution.gzipSibling,
           let siblingIdentity = FileSystem.identity(of: sibling, followingSymlinks: false), siblingIdentity.isRegularFile {
            headers.add("Vary", "Accept-Encoding")
            if Self.acceptsGzip(request.headers["Accept-Encoding"]) {
                servedPath = sibling
                identity = siblingIdentity
                headers.add("Content-Encoding", "gzip")
            }
        }
        let servedIdentity = identity
        let isBig = !injects && servedIdentity.size > cache.maxFileBytes
        var entry: StaticFileCache.Entry?
        var etag: String
        if isBig {
            // Big files go out with sendfile, straight from the descriptor.
            etag = ETag.forFile(inode: servedIdentity.inode, size: servedIdentity.size,
                                modifiedNanoseconds: servedIdentity.modifiedNanoseconds)
        } else {
            guard let loaded = load(servedPath, identity: servedIdentity) else { return .error(404) }
            entry = loaded
            etag = loaded.etag
        }
        var body = entry?.bytes ?? []
        if injects, let htmlInjector {
            body = htmlInjector(body, request)
            etag = ETag.forContent(body)
        }
        headers.add("ETag", etag)
        headers.add("Cache-Control", "no-cache")
        if ETag.matches(ifNoneMatch: request.headers["If-None-Match"], tag: etag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.add("Content-Type", contentType)
        let size = isBig ? servedIdentity.size : body.count
        var range = ByteRange.Outcome.whole
        if !injects {
            headers.add("Accept-Ranges", "bytes")
            // `If-Range` with another tag means the client's partial copy is stale: send it all.
            if request.headers["If-Range"].map({ $0 == etag }) ?? true {
                range = ByteRange.outcome(header: request.headers["Range"], size: size)
            }
        }
        switch range {
        case .unsatisfiable:
            headers.add("Content-Range", "bytes */\(size)")
            return HTTPResponse(status: 416, headers: headers)
        case .part(let bytes):
            headers.add("Content-Range", "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)")
            if isBig {
                guard let file = OpenFile(path: servedPath, size: bytes.count, offset: bytes.lowerBound) else {
                    return .error(404)
                }
                return HTTPResponse(status: 206, headers: headers, body: .file(file))
            }
            return HTTPResponse(status: 206, headers: headers, body: .bytes(Array(body[bytes])))
        case .whole:
            if isBig {
                guard let file = OpenFile(path: servedPath, size: size) else { return .error(404) }
                return HTTPResponse(status: 200, headers: headers, body: .file(file))
            }
            return HTTPResponse(status: 200, headers: headers, body: .bytes(body))
        }
    }

    /// Why a path did not resolve to a file, as the response to send.
    struct Refusal: Error {
        let response: HTTPResponse
    }

    /// Resolves the request to a regular file inside the root, following symlinks
    /// with realpath and checking the result (and `index.html`, and a `.gz` sibling) stays inside.
    private func resolve(segments: [String], rootReal: String, request: HTTPRequest)
        -> Result<(StaticFileCache.Resolution, FileIdentity), Refusal> {
        let requested = segments.isEmpty ? rootReal : rootReal + "/" + segments.joined(separator: "/")
        guard var resolved = FileSystem.realPath(requested), isInside(resolved, root: rootReal),
              var identity = FileSystem.identity(of: resolved) else {
            return .failure(Refusal(response: .error(404)))
        }
        var fileName = segments.last ?? ""
        if identity.isDirectory {
            guard request.rawPath.hasSuffix("/") else {
                return .failure(Refusal(response: .redirect(to: request.rawPath + "/" + request.rawQuerySuffix)))
            }
            guard let index = FileSystem.realPath(resolved + "/index.html"), isInside(index, root: rootReal),
                  let indexIdentity = FileSystem.identity(of: index) else {
                return .failure(Refusal(response: .error(404)))
            }
            resolved = index
            identity = indexIdentity
            fileName = "index.html"
        }
        guard identity.isRegularFile else { return .failure(Refusal(response: .error(404))) }
        var gzipSibling: String?
        if !fileName.hasSuffix(".gz"), let sibling = FileSystem.realPath(resolved + ".gz"),
           isInside(sibling, root: rootReal) {
            gzipSibling = sibling
        }
        return .success((StaticFileCache.Resolution(path: resolved, fileName: fileName, gzipSibling: gzipSibling,
                                                    resolvedAt: monotonicNanoseconds()), identity))
    }

    /// A route handler for this directory.
    public var handler: HTTPHandler {
        let copy = self
        return { request in copy.handle(request) }
    }

    /// `true` when `Accept-Encoding` lists gzip (or `*`) without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { String($0).trimmingSpaces() }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { continue }
            let refused = parts.dropFirst().contains { $0.hasPrefix("q=") && Double($0.dropFirst(2)) == 0 }
            if !refused { return true }
        }
        return false
    }

    private func isInside(_ path: String, root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    private func load(_ path: String, identity: FileIdentity) -> StaticFileCache.Entry? {
        if let cached = cache.lookup(path: path, identity: identity) { return cached }
        guard let bytes = FileSystem.readFile(path, expectedSize: identity.size) else { return nil }
        let entry = StaticFileCache.Entry(
            identity: identity, bytes: bytes,
            etag: ETag.forFile(inode: identity.inode, size: identity.size,
                               modifiedNanoseconds: identity.modifiedNanoseconds))
        cache.store(path: path, entry: entry)
        return entry
    }
}
