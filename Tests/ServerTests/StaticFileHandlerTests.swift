import Foundation
import Testing
@testable import Server

/// A temporary site tree: out/blog/{index.html, about/index.html, style.css, ...} and a secret next to it.
struct PreviewFixture {
    let base: URL
    var outDir: URL { base.appendingPathComponent("out") }

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("unjucksd-server-\(UUID().uuidString)")
        let blog = base.appendingPathComponent("out/blog")
        try FileManager.default.createDirectory(at: blog.appendingPathComponent("about"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: blog.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try "<html><body><h1>Home</h1></body></html>".write(to: blog.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "<html><BODY>About</BODY></html>".write(to: blog.appendingPathComponent("about/index.html"), atomically: true, encoding: .utf8)
        try "body{color:red}".write(to: blog.appendingPathComponent("style.css"), atomically: true, encoding: .utf8)
        try "{\"a\":1}".write(to: blog.appendingPathComponent("data.json"), atomically: true, encoding: .utf8)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: blog.appendingPathComponent("logo.png"))
        try Data([1, 2, 3]).write(to: blog.appendingPathComponent("font.woff2"))
        try "top secret".write(to: base.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            at: blog.appendingPathComponent("escape.txt"), withDestinationURL: base.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(
            at: blog.appendingPathComponent("escape-dir"), withDestinationURL: base)
        try FileManager.default.createSymbolicLink(
            at: blog.appendingPathComponent("inside-link.css"), withDestinationURL: blog.appendingPathComponent("style.css"))
    }

    func remove() { try? FileManager.default.removeItem(at: base) }

    func startPreviewServer(injector: HTMLInjector? = nil) throws -> HTTPServer {
        let handler = StaticFileHandler(mountPath: "/sites/", root: outDir.path, htmlInjector: injector)
        return try startServer { router in
            router.addPrefix("GET", "/sites/", name: "preview", handler: handler.handler)
        }
    }
}

@Suite struct StaticFileHandlerTests {
    @Test func servesFilesWithContentTypes() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let cases: [(String, String)] = [
            ("/sites/blog/style.css", "text/css; charset=utf-8"),
            ("/sites/blog/data.json", "application/json"),
            ("/sites/blog/logo.png", "image/png"),
            ("/sites/blog/font.woff2", "font/woff2"),
            ("/sites/blog/", "text/html; charset=utf-8"),
        ]
        for (path, type) in cases {
            let response = try TestClient.request("GET", path, port: server.port)
            #expect(response.status == 200, "\(path)")
            #expect(response.headers["Content-Type"] == type, "\(path)")
        }
        #expect(try TestClient.request("GET", "/sites/blog/style.css", port: server.port).text == "body{color:red}")
        #expect(try TestClient.request("GET", "/sites/blog/about/", port: server.port).text == "<html><BODY>About</BODY></html>")
        #expect(try TestClient.request("GET", "/sites/blog/inside-link.css", port: server.port).status == 200)
        #expect(try TestClient.request("GET", "/sites/blog/missing.html", port: server.port).status == 404)
        #expect(try TestClient.request("GET", "/sites/blog/empty/", port: server.port).status == 404)
        #expect(ContentTypes.forFileName("a.tar.gz") == "application/gzip")
        #expect(ContentTypes.forFileName("x.SVG") == "image/svg+xml")
        #expect(ContentTypes.forFileName("README") == "application/octet-stream")
    }

    @Test func directoriesWithoutSlashRedirect() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let response = try TestClient.request("GET", "/sites/blog/about?x=1", port: server.port)
        #expect(response.status == 301)
        #expect(response.headers["Location"] == "/sites/blog/about/?x=1")
        #expect(try TestClient.request("GET", "/sites/blog", port: server.port).headers["Location"] == "/sites/blog/")
    }

    @Test func etagAndIfNoneMatchGive304() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let first = try TestClient.request("GET", "/sites/blog/style.css", port: server.port)
        let etag = try #require(first.headers["ETag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))
        let again = try TestClient.request("GET", "/sites/blog/style.css", port: server.port,
                                           headers: [("If-None-Match", "\"other\", \(etag)")])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again.headers["ETag"] == etag)
        // Changing the file changes the tag.
        try "body{color:blue}".write(to: fixture.outDir.appendingPathComponent("blog/style.css"), atomically: true, encoding: .utf8)
        let changed = try TestClient.request("GET", "/sites/blog/style.css", port: server.port,
                                             headers: [("If-None-Match", etag)])
        #expect(changed.status == 200)
        #expect(changed.text == "body{color:blue}")
        #expect(changed.headers["ETag"] != etag)
    }

    @Test func headHasHeadersButNoBody() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let response = try TestClient.request("HEAD", "/sites/blog/style.css", port: server.port)
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.headers["Content-Length"] == "15")
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
    }

    @Test(arguments: [
        "/sites/blog/../../secret.txt", "/sites/../secret.txt", "/sites/blog/%2e%2e/%2e%2e/secret.txt",
        "/sites/blog/%2E%2E%2F%2E%2E%2Fsecret.txt", "/sites/blog/..%2f..%2fsecret.txt",
        "/sites/blog/..%5c..%5csecret.txt", "/sites/blog/style.css%00.png", "/sites/blog/escape.txt",
        "/sites/blog/escape-dir/secret.txt", "/sites/x/../../etc/passwd", "/sites/%2e%2e/%2e%2e/etc/passwd",
        "/sites/blog/%252e%252e/secret.txt", "/sites/blog/.%2e/secret.txt",
    ])
    func traversalNeverLeavesTheRoot(path: String) throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let response = try TestClient.request("GET", path, port: server.port)
        #expect([400, 403, 404].contains(response.status), "\(path) -> \(response.status)")
        #expect(!response.text.contains("top secret"))
        #expect(!response.text.contains("root:"))
    }

    @Test func aServedFileSwappedForAnOutsideSymlinkIsRefusedAtOnce() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let page = fixture.outDir.appendingPathComponent("blog/data.json")
        #expect(try TestClient.request("GET", "/sites/blog/data.json", port: server.port).status == 200)
        try FileManager.default.removeItem(at: page)
        try FileManager.default.createSymbolicLink(at: page, withDestinationURL: fixture.base.appendingPathComponent("secret.txt"))
        let swapped = try TestClient.request("GET", "/sites/blog/data.json", port: server.port)
        #expect(swapped.status == 404)
        #expect(!swapped.text.contains("top secret"))
        try FileManager.default.removeItem(at: page)
        #expect(try TestClient.request("GET", "/sites/blog/data.json", port: server.port).status == 404)
    }

    @Test func backslashInRawRequestIsRefused() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let response = try TestClient.raw(
            "GET /sites/blog/..\\..\\secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: server.port)
        #expect([400, 403, 404].contains(response.status))
        #expect(!response.text.contains("top secret"))
    }

    @Test func htmlInjectionAddsSnippetBeforeBodyClose() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let server = try fixture.startPreviewServer(injector: HTMLInjection.injecting("<!--injected-->"))
        defer { server.stop() }
        let home = try TestClient.request("GET", "/sites/blog/", port: server.port)
        #expect(home.text == "<html><body><h1>Home</h1><!--injected--></body></html>")
        let about = try TestClient.request("GET", "/sites/blog/about/", port: server.port)
        #expect(about.text == "<html><BODY>About<!--injected--></BODY></html>")
        let css = try TestClient.request("GET", "/sites/blog/style.css", port: server.port)
        #expect(css.text == "body{color:red}")
        let etag = try #require(home.headers["ETag"])
        let cached = try TestClient.request("GET", "/sites/blog/", port: server.port, headers: [("If-None-Match", etag)])
        #expect(cached.status == 304)
    }

    @Test func bigFilesAreSentFromTheDescriptor() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Data(big).write(to: fixture.outDir.appendingPathComponent("blog/video.mp4"))
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let response = try TestClient.request("GET", "/sites/blog/video.mp4", port: server.port)
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "video/mp4")
        #expect(response.body == big)
        let etag = try #require(response.headers["ETag"])
        let again = try TestClient.request("GET", "/sites/blog/video.mp4", port: server.port, headers: [("If-None-Match", etag)])
        #expect(again.status == 304)
        let head = try TestClient.request("HEAD", "/sites/blog/video.mp4", port: server.port)
        #expect(head.headers["Content-Length"] == String(3 << 20))
        #expect(head.body.isEmpty)
    }

    @Test func rangeRequestsGetPartialContent() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let big = (0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try Data(big).write(to: fixture.outDir.appendingPathComponent("blog/clip.webm"))
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let small = try TestClient.request("GET", "/sites/blog/style.css", port: server.port, headers: [("Range", "bytes=5-9")])
        #expect(small.status == 206)
        #expect(small.text == "color")
        #expect(small.headers["Content-Range"] == "bytes 5-9/15")
        let tail = try TestClient.request("GET", "/sites/blog/style.css", port: server.port, headers: [("Range", "bytes=-4")])
        #expect(tail.text == "red}")
        let beyond = try TestClient.request("GET", "/sites/blog/style.css", port: server.port, headers: [("Range", "bytes=99-")])
        #expect(beyond.status == 416)
        #expect(beyond.headers["Content-Range"] == "bytes */15")
        let middle = try TestClient.request("GET", "/sites/blog/clip.webm", port: server.port,
                                            headers: [("Range", "bytes=1000000-1000099")])
        #expect(middle.status == 206)
        #expect(middle.body == Array(big[1_000_000...1_000_099]))
        let stale = try TestClient.request("GET", "/sites/blog/style.css", port: server.port,
                                           headers: [("Range", "bytes=0-3"), ("If-Range", "\"old\"")])
        #expect(stale.status == 200)
        #expect(stale.text == "body{color:red}")
        #expect(ByteRange.outcome(header: "bytes=0-1,4-5", size: 10) == .whole)
        #expect(ByteRange.outcome(header: "bytes=3-100", size: 10) == .part(3...9))
        #expect(ByteRange.outcome(header: "items=1-2", size: 10) == .whole)
    }

    @Test func precompressedSiblingsGoToGzipClients() throws {
        let fixture = try PreviewFixture()
        defer { fixture.remove() }
        let gzipBytes: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        try Data(gzipBytes).write(to: fixture.outDir.appendingPathComponent("blog/style.css.gz"))
        let server = try fixture.startPreviewServer()
        defer { server.stop() }
        let zipped = try TestClient.request("GET", "/sites/blog/style.css", port: server.port,
                                            headers: [("Accept-Encoding", "br, gzip;q=0.8")])
        #expect(zipped.headers["Content-Encoding"] == "gzip")
        #expect(zipped.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(zipped.headers["Vary"] == "Accept-Encoding")
        #expect(zipped.body == gzipBytes)
        let plain = try TestClient.request("GET", "/sites/blog/style.css", port: server.port,
                                           headers: [("Accept-Encoding", "gzip;q=0")])
        #expect(plain.headers["Content-Encoding"] == nil)
        #expect(plain.text == "body{color:red}")
        #expect(plain.headers["ETag"] != zipped.headers["ETag"])
        #expect(try TestClient.request("GET", "/sites/blog/style.css.gz", port: server.port).headers["Content-Type"] == "application/gzip")
    }

    @Test func injectionHelperAndLiveReloadSnippet() {
        let withoutBody = HTMLInjection.insertBeforeBodyClose("<x>", into: Array("<p>hi</p>".utf8))
        #expect(String(decoding: withoutBody, as: UTF8.self) == "<p>hi</p><x>")
        let twoBodies = HTMLInjection.insertBeforeBodyClose("<x>", into: Array("</body></body>".utf8))
        #expect(String(decoding: twoBodies, as: UTF8.self) == "</body><x></body>")
        let script = LiveReloadScript.snippet()
        #expect(script.contains("new EventSource(\"/events\")"))
        #expect(script.contains("\"changed\""))
        #expect(script.hasPrefix("<script") && script.hasSuffix("</script>"))
    }

    @Test func safePathSegments() throws {
        #expect(try SafePath.segments(ofRawPath: "a//b%20c/").get() == ["a", "b c"])
        #expect(throws: SafePath.Refusal.traversal) { try SafePath.segments(ofRawPath: "a/%2e%2e/b").get() }
        #expect(throws: SafePath.Refusal.traversal) { try SafePath.segments(ofRawPath: "a%2fb").get() }
        #expect(throws: SafePath.Refusal.traversal) { try SafePath.segments(ofRawPath: "a%00").get() }
        #expect(throws: SafePath.Refusal.malformedEscape) { try SafePath.segments(ofRawPath: "a%2").get() }
        #expect(ETag.matches(ifNoneMatch: "W/\"x\"", tag: "\"x\""))
        #expect(ETag.matches(ifNoneMatch: "*", tag: "\"x\""))
        #expect(!ETag.matches(ifNoneMatch: "\"y\"", tag: "\"x\""))
    }
}
