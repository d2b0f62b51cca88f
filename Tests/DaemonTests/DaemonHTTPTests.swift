import Foundation
import Governor
import Testing
@testable import Daemon

/// The HTTP contract of the watch daemon, over real loopback sockets.
@Suite("Daemon HTTP")
struct DaemonHTTPTests {
    @Test func healthAnswersOK() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 2)])
        try fixture.start()
        let response = try fixture.client().get("/health")
        #expect(response.status == 200)
        #expect(response.text == #"{"status":"ok"}"#)
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test func readyIs503UntilTheFirstBuildFinishes() throws {
        // A page slow enough that the first build is still running when /ready is asked.
        var files = SampleSite.files(posts: 2)
        files["slow.njk"] = "{% set n = 0 %}{% for i in range(0, 300000) %}{% endfor %}done"
        let fixture = try DaemonFixture(sites: ["blog": files])
        try fixture.start()
        let client = try fixture.client()
        let early = try client.get("/ready")
        #expect(early.status == 503)
        #expect(early.text.contains("first build"))
        #expect(fixture.waitForQuiet())
        #expect(try client.get("/ready").status == 200)
    }

    @Test func metricsPassPromtool() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 3)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let client = try fixture.client()
        _ = try client.get("/sites/blog/")
        let response = try client.get("/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = response.text
        for name in ["unjucksd_build_duration_seconds_bucket", "unjucksd_builds_total{result=\"success\"} 1",
                     "unjucksd_pages_rendered_total", "unjucksd_cache_requests_total{tier=\"memory\",result=\"hit\"}",
                     "unjucksd_cache_bytes{tier=\"sqlite\"}", "unjucksd_redis_circuit_state 0", "unjucksd_workers_busy",
                     "unjucksd_workers_max 2", "unjucksd_queue_depth", "unjucksd_memory_pressure_state 0",
                     "unjucksd_watch_events_total", "unjucksd_http_requests_total{handler=\"preview\",code=\"200\"} 1",
                     "unjucksd_http_request_duration_seconds_bucket", "process_resident_memory_bytes",
                     "process_cpu_seconds_total", "process_open_fds", "process_start_time_seconds"] {
            #expect(text.contains(name), "missing \(name)")
        }
        let file = fixture.directory + "/metrics.txt"
        try Data(response.body).write(to: URL(fileURLWithPath: file))
        let promtool = Process()
        promtool.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        promtool.arguments = ["check", "metrics"]
        promtool.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        let output = Pipe()
        promtool.standardOutput = output
        promtool.standardError = output
        try promtool.run()
        promtool.waitUntilExit()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(promtool.terminationStatus == 0, "promtool: \(said)")
    }

    @Test func statusReportsTheContractFields() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 3)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let response = try fixture.client().get("/status")
        #expect(response.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        for key in ["version", "uptime", "sites", "lastBuild", "queueDepth", "workers", "memory", "cache", "redis", "ready"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let status = try JSONDecoder().decode(StatusReport.self, from: Data(response.body))
        #expect(status.version == "test")
        #expect(status.ready)
        #expect(status.sites.map(\.name) == ["blog"])
        #expect(status.sites[0].pages == 5)  // index, about, three posts
        #expect(status.sites[0].sampleURLs.contains("/posts/post-2/"))
        let build = try #require(status.lastBuild)
        #expect(build.rendered == 5)
        #expect(build.failed == 0)
        #expect(build.seconds > 0)
        #expect(!build.started.isEmpty)
        #expect(status.workers.max == 2)
        #expect(status.memory.rss > 0)
        #expect(status.memory.pressure == "normal")
        #expect(Set(status.cache.keys) == ["memory", "sqlite", "redis"])
        #expect(status.redis.circuit == "closed")
        #expect(!status.redis.configured)
    }

    @Test func statusListsErrorsWithFileLineAndColumn() throws {
        var files = SampleSite.files(posts: 2)
        files["broken.njk"] = "line one\n{{ value | nosuchfilter }}\n"
        let fixture = try DaemonFixture(sites: ["blog": files])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let status = try JSONDecoder().decode(StatusReport.self, from: Data(try fixture.client().get("/status").body))
        let error = try #require(status.lastBuild?.errors.first)
        #expect(error.file.hasSuffix("broken.njk"))
        #expect(error.line == 2)
        #expect(error.column == 12)
        #expect(error.message.contains("nosuchfilter"))
        #expect(status.sites[0].failing)
    }

    @Test func eventsCarryBuildFinishedAndChangedAfterAnEdit() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 3)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let stream = try EventStream(port: fixture.daemon.port)
        #expect(stream.read(until: ": connected"))
        let count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-2.md", SampleSite.post(2, body: "Changed for the events test."))
        #expect(fixture.waitForRebuild(after: count))
        #expect(stream.read(until: "event: build-finished"))
        let text = stream.text
        #expect(text.contains("event: build-started"))
        #expect(text.contains("event: changed\ndata: {\"site\":\"blog\",\"urls\":[\"/posts/post-2/\"]}"))
    }

    @Test func previewServesPagesWithLiveReloadAndETags() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 2)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let client = try fixture.client()
        let page = try client.get("/sites/blog/posts/post-1/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.text.contains("<h1>Post 1</h1>"))
        #expect(page.text.contains("data-unjucksd-live-reload"))
        let etag = try #require(page.headers["etag"])
        let again = try client.get("/sites/blog/posts/post-1/", headers: [("If-None-Match", etag)])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        let head = try client.request("HEAD", "/sites/blog/posts/post-1/")
        #expect(head.status == 200)
        #expect(head.headers["etag"] == etag)
        let css = try client.get("/sites/blog/assets/style.css")
        #expect(css.status == 200)
        #expect(css.headers["content-type"]?.hasPrefix("text/css") == true)
        #expect(!css.text.contains("live-reload"))
        #expect(try client.get("/sites/blog/posts/post-1").status == 301)
        #expect(try client.get("/sites/blog/nothing-here/").status == 404)
        #expect(try client.get("/sites/blog/%2e%2e/%2e%2e/etc/passwd").status >= 400)
    }

    @Test func previewWithoutLiveReload() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 1)])
        try fixture.start { $0.liveReload = false }
        #expect(fixture.waitForQuiet())
        let page = try fixture.client().get("/sites/blog/")
        #expect(page.status == 200)
        #expect(!page.text.contains("data-unjucksd-live-reload"))
    }

    @Test func brokenEditShowsAnErrorOverlayUntilFixed() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 2)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let client = try fixture.client()
        let healthyTag = try #require(try client.get("/sites/blog/posts/post-2/").headers["etag"])
        var count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-1.md", SampleSite.post(1, body: "Broken: {{ title | nosuchfilter }}"))
        #expect(fixture.waitForRebuild(after: count))
        // The page file did not change, but its decoration did: the old tag must not give a 304.
        let page = try client.get("/sites/blog/posts/post-2/", headers: [("If-None-Match", healthyTag)])
        #expect(page.status == 200)
        #expect(page.headers["etag"] != healthyTag)
        #expect(page.text.contains("id=\"unjucksd-error-overlay\""))
        #expect(page.text.contains("posts/post-1.md:7:"))
        #expect(page.text.contains("Broken: {{ title | nosuchfilter }}"))  // the source line
        #expect(page.text.contains("^"))
        count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-1.md", SampleSite.post(1, body: "Fixed."))
        #expect(fixture.waitForRebuild(after: count))
        // (the live-reload script itself names the overlay's id, so look for the element)
        #expect(!(try client.get("/sites/blog/posts/post-2/").text.contains("id=\"unjucksd-error-overlay\"")))
    }

    @Test func renderAPIRendersThroughTheSiteAndReportsErrors() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 1)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let client = try fixture.client()
        let inline = try client.post("/api/render", json: #"{"template": "{{ site.title }}: {{ who | upper }} {{ nav | length }}", "site": "blog", "context": {"who": "you"}}"#)
        #expect(inline.status == 200)
        #expect(inline.text == "Test Site: YOU 2")
        let named = try client.post("/api/render", json: #"{"name": "nav.njk", "site": "blog"}"#)
        #expect(named.status == 200)
        #expect(named.text.contains("<a href=\"/about/\">About</a>"))
        let broken = try client.post("/api/render", json: #"{"template": "ok\n{% if %}", "site": "blog"}"#)
        #expect(broken.status == 422)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(broken.body)) as? [String: Any])
        #expect(error["line"] as? Int == 2)
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(try client.post("/api/render", json: "not json").status == 400)
        #expect(try client.post("/api/render", json: #"{"template": 5}"#).status == 400)
        #expect(try client.post("/api/render", json: #"{"name": "missing.njk", "site": "blog"}"#).status == 404)
        #expect(try client.post("/api/render", json: #"{"template": "x", "site": "nope"}"#).status == 404)
        #expect(try client.get("/api/render").status == 405)
    }

    @Test func searchFindsBuiltPagesAndFollowsEdits() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 8)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let client = try fixture.client()
        let answer = try JSONDecoder().decode(SearchAnswer.self, from: Data(try client.get("/api/search?q=topic3").body))
        #expect(answer.hits.map(\.url).sorted() == ["/sites/blog/posts/post-3/", "/sites/blog/posts/post-7/"])
        #expect(answer.hits.first?.title.hasPrefix("Post") == true)
        #expect(answer.hits.first?.snippet.contains("topic3") == true)
        let count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-3.md", SampleSite.post(3, body: "Now about marmalade."))
        #expect(fixture.waitForRebuild(after: count))
        let after = try JSONDecoder().decode(SearchAnswer.self, from: Data(try client.get("/api/search?q=topic3").body))
        #expect(after.hits.map(\.url) == ["/sites/blog/posts/post-7/"])
        let jam = try JSONDecoder().decode(SearchAnswer.self, from: Data(try client.get("/api/search?q=marmal").body))
        #expect(jam.hits.map(\.url) == ["/sites/blog/posts/post-3/"])
        #expect(try client.get("/api/search").status == 400)
        #expect(try client.get("/api/search?q=x&limit=0").status == 400)
    }

    @Test func buildAPIAcceptsAndRebuilds() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 2)])
        try fixture.start()
        #expect(fixture.waitForQuiet())
        let count = fixture.daemon.completedBuilds
        let response = try fixture.client().post("/api/build", json: "")
        #expect(response.status == 202)
        #expect(fixture.waitForRebuild(after: count))
        #expect(fixture.daemon.lastBuild?.trigger == .manual)
    }

    @Test func postsNeedTheTokenWhenBoundBeyondLoopback() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 1)])
        try fixture.start {
            $0.token = "s3cret"
            $0.requireToken = true  // as when bound to a non-loopback address
        }
        #expect(fixture.waitForQuiet())
        let client = try fixture.client()
        #expect(try client.post("/api/build", json: "").status == 401)
        #expect(try client.post("/api/render", json: #"{"template": "x"}"#).status == 401)
        #expect(try client.post("/api/build", json: "", headers: [("Authorization", "Bearer wrong")]).status == 401)
        #expect(try client.post("/api/build", json: "", headers: [("Authorization", "Bearer s3cret")]).status == 202)
        #expect(try client.get("/health").status == 200)
    }

    @Test func criticalMemoryMakesReady503AndPausesWatchRebuilds() throws {
        let memory = SimulatedMemorySource(MemoryReading(residentBytes: 100 << 20))
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 2)])
        try fixture.start(memorySource: memory) { $0.memoryLimit = 1 << 30 }
        #expect(fixture.waitForQuiet())
        let client = try fixture.client()
        #expect(try client.get("/ready").status == 200)
        memory.setResident(1000 << 20)  // 98% of the limit
        fixture.daemon.governor.sampleNow()
        let ready = try client.get("/ready")
        #expect(ready.status == 503)
        #expect(ready.text.contains("memory"))
        #expect(fixture.daemon.builder.pool.concurrency == 1)
        #expect(fixture.daemon.builder.cache.memory.count == 0)  // the memory tier was dropped
        #expect(try client.get("/sites/blog/").status == 200)  // previews still answer
        let count = fixture.daemon.completedBuilds
        try fixture.write("blog", "posts/post-1.md", SampleSite.post(1, body: "Written under pressure."))
        Thread.sleep(forTimeInterval: 0.5)
        #expect(fixture.daemon.completedBuilds == count)  // held back while critical
        memory.setResident(100 << 20)
        fixture.daemon.governor.sampleNow()
        #expect(fixture.waitForRebuild(after: count))
        #expect(try client.get("/ready").status == 200)
        #expect(fixture.daemon.builder.pool.concurrency == 2)
    }

    @Test func dashboardIsSelfContainedHTML() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 1)])
        try fixture.start()
        let page = try fixture.client().get("/dashboard")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.text.contains("fetch(\"/status\""))
        #expect(page.text.contains("new EventSource(\"/events\")"))
        #expect(!page.text.contains("src=\"http"))
        #expect(!page.text.contains("href=\"http"))
    }

    @Test func badRequestsGet4xx() throws {
        let fixture = try DaemonFixture(sites: ["blog": SampleSite.files(posts: 1)])
        try fixture.start()
        let client = try fixture.client()
        #expect(try client.get("/nope").status == 404)
        #expect(try client.request("DELETE", "/status").status == 405)
        #expect(try client.post("/api/render", json: String(repeating: "[", count: 100_000)).status == 400)
        #expect(try client.get("/health").status == 200)
    }
}

/// A raw `/events` subscription.
final class EventStream {
    let fd: Int32
    private(set) var received: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, request.count, Int32(MSG_NOSIGNAL)) }
    }

    deinit { close(fd) }

    var text: String { String(decoding: received, as: UTF8.self) }

    func read(until marker: String) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while !text.contains(marker) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 16384, 0) }
            if count <= 0 { return false }
            received.append(contentsOf: chunk[0..<count])
        }
        return true
    }
}
