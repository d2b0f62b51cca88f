import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import Server

@Suite struct HTTPServerRoutingTests {
    @Test func exactAndPrefixRoutesAnswer() throws {
        let server = try startServer { router in
            router.get("/health", name: "health") { _ in .json(#"{"status":"ok"}"#) }
            router.addPrefix("GET", "/files/", name: "files") { request in .text("file \(request.path)") }
            router.addPrefix("GET", "/files/special/", name: "special") { _ in .text("special") }
        }
        defer { server.stop() }
        #expect(server.port > 0)
        let health = try TestClient.request("GET", "/health", port: server.port)
        #expect(health.status == 200)
        #expect(health.text == #"{"status":"ok"}"#)
        #expect(health.headers["content-type"] == "application/json")
        #expect(try TestClient.request("GET", "/files/a%20b.txt", port: server.port).text == "file /files/a b.txt")
        #expect(try TestClient.request("GET", "/files/special/x", port: server.port).text == "special")
    }

    @Test func requestCarriesQueryHeadersBodyAndPeer() throws {
        let seen = Mutex<HTTPRequest?>(nil)
        let server = try startServer { router in
            router.post("/echo") { request in
                seen.withLock { $0 = request }
                return .text(request.bodyText, status: 201)
            }
        }
        defer { server.stop() }
        let response = try TestClient.request(
            "POST", "/echo?q=hello+world&x=%2Fy&flag", port: server.port,
            headers: [("X-Custom-Header", "Value")], body: "payload")
        #expect(response.status == 201)
        #expect(response.text == "payload")
        let request = try #require(seen.withLock { $0 })
        #expect(request.query("q") == "hello world")
        #expect(request.query("x") == "/y")
        #expect(request.query("flag") == "")
        #expect(request.headers["x-custom-header"] == "Value")
        #expect(request.headers["X-CUSTOM-HEADER"] == "Value")
        #expect(request.peerAddress == "127.0.0.1")
        #expect(request.method == "POST")
        #expect(request.rawPath == "/echo")
    }

    @Test func unknownPathsAndMethodsGet404And405() throws {
        let server = try startServer { router in
            router.get("/only-get") { _ in .text("ok") }
        }
        defer { server.stop() }
        #expect(try TestClient.request("GET", "/missing", port: server.port).status == 404)
        let wrongMethod = try TestClient.request("DELETE", "/only-get", port: server.port)
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.headers["Allow"] == "GET, HEAD")
        #expect(try TestClient.request("BREW", "/only-get", port: server.port).status == 405)
        let head = try TestClient.request("HEAD", "/only-get", port: server.port)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Length"] == "2")
    }

    @Test func oversizedBodiesGet413() throws {
        let configuration = HTTPServerConfiguration(threadPoolSize: 2, maxBodyBytes: 1024)
        let server = try startServer(configuration: configuration) { router in
            router.post("/upload") { request in .text("got \(request.body.count)") }
        }
        defer { server.stop() }
        let small = try TestClient.request("POST", "/upload", port: server.port, body: String(repeating: "a", count: 1000))
        #expect(small.text == "got 1000")
        let declared = try TestClient.request("POST", "/upload", port: server.port, body: String(repeating: "a", count: 5000))
        #expect(declared.status == 413)
        // A chunked body gives no length up front: it is read, discarded, then refused.
        let chunk = String(repeating: "b", count: 800)
        let chunked = "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"
        #expect(try TestClient.raw(chunked, port: server.port).status == 413)
    }

    @Test func malformedRequestsGet4xxAndTheServerKeepsServing() throws {
        let server = try startServer { router in
            router.get("/ok") { _ in .text("ok") }
        }
        defer { server.stop() }
        for garbage in ["GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /ok HTTP/9.9\r\n\r\n",
                        "GET /ok HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
                        "GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        "GET /a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"] {
            let connection = try TestConnection(port: server.port)
            connection.write(garbage)
            let answer = connection.readAll()
            if let response = try? TestClient.parse(answer) {
                #expect((400..<500).contains(response.status) || response.status == 505, "\(garbage.debugDescription) -> \(response.status)")
            }
        }
        let hugeHeader = "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "z", count: 200_000))\r\n\r\n"
        let huge = try TestClient.raw(hugeHeader, port: server.port)
        #expect((400..<500).contains(huge.status))
        #expect(try TestClient.request("GET", "/ok", port: server.port).text == "ok")
    }

    @Test func requestHookSeesHandlerStatusAndDuration() throws {
        let records = Mutex<[HTTPRequestRecord]>([])
        let configuration = HTTPServerConfiguration(
            threadPoolSize: 2, onRequestCompleted: { record in records.withLock { $0.append(record) } })
        let server = try startServer(configuration: configuration) { router in
            router.get("/a", name: "alpha") { _ in .text("a") }
        }
        defer { server.stop() }
        _ = try TestClient.request("GET", "/a", port: server.port)
        _ = try TestClient.request("GET", "/nope", port: server.port)
        let seen = records.withLock { $0 }
        #expect(seen.map(\.handler) == ["alpha", "not_found"])
        #expect(seen.map(\.status) == [200, 404])
        #expect(seen.allSatisfy { $0.seconds >= 0 && $0.seconds < 5 })
    }

    @Test func startTwiceAndBadHostAreErrors() throws {
        let server = try startServer { _ in }
        defer { server.stop() }
        #expect(throws: HTTPServerError.alreadyRunning) { try server.start() }
        #expect(throws: HTTPServerError.invalidHost("not a host")) {
            try HTTPServer(host: "not a host", port: 0).start()
        }
        let clash = HTTPServer(host: "127.0.0.1", port: server.port)
        #expect(throws: HTTPServerError.startFailed(host: "127.0.0.1", port: server.port)) { try clash.start() }
    }

    @Test func stopClosesConnectionsAndPortIsFree() throws {
        let server = try startServer { router in router.get("/x") { _ in .text("x") } }
        let port = server.port
        let idle = try TestConnection(port: port)
        idle.write("GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        var received: [UInt8] = []
        #expect(idle.read(until: "\r\n\r\nx", alreadyRead: &received))
        server.stop()
        #expect(idle.waitForClose())
        #expect(!server.isRunning)
        #expect(throws: (any Error).self) { try TestConnection(port: port) }
    }
}

@Suite struct HTTPServerAddressTests {
    @Test func bindsIPv6LoopbackWhenAvailable() throws {
        let probe = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        close(probe)
        guard bound == 0 else { return }  // no IPv6 loopback in this container: nothing to check
        let server = HTTPServer(host: "::1", port: 0, configuration: HTTPServerConfiguration(threadPoolSize: 1))
        server.updateRouter { $0.get("/v6") { request in .text(request.peerAddress) } }
        try server.start()
        defer { server.stop() }
        #expect(server.port > 0)
        #expect(!server.tokenPolicy.isRequired)
    }

    @Test func socketAddressParsing() {
        #expect(SocketAddress.make(host: "127.0.0.1", port: 80)?.isIPv6 == false)
        #expect(SocketAddress.make(host: "localhost", port: 80)?.isIPv6 == false)
        #expect(SocketAddress.make(host: "[::1]", port: 80)?.isIPv6 == true)
        #expect(SocketAddress.make(host: "example.com", port: 80) == nil)
    }
}

@Suite struct BackgroundHandlerTests {
    @Test func slowBackgroundHandlersDoNotStallOtherRequests() throws {
        let server = try startServer(configuration: HTTPServerConfiguration(threadPoolSize: 1)) { router in
            router.post("/slow", name: "slow", runsInBackground: true) { request in
                usleep(800_000)
                return .text("slow \(request.bodyText)")
            }
            router.get("/fast") { _ in .text("fast") }
        }
        defer { server.stop() }
        let port = server.port
        let answers = Mutex<[String]>([])
        let finished = DispatchSemaphore(value: 0)
        let start = Date()
        // Own threads: the Swift concurrency and Dispatch pools may be busy with other tests.
        for body in ["a", "b"] {
            Thread {
                let text = (try? TestClient.request("POST", "/slow", port: port, body: body).text) ?? "failed"
                answers.withLock { $0.append(text) }
                finished.signal()
            }.start()
        }
        usleep(100_000)
        let fastStart = Date()
        let fast = try TestClient.request("GET", "/fast", port: port)
        #expect(fast.text == "fast")
        #expect(Date().timeIntervalSince(fastStart) < 0.5)
        finished.wait()
        finished.wait()
        #expect(answers.withLock { $0.sorted() } == ["slow a", "slow b"])
        #expect(Date().timeIntervalSince(start) < 1.5, "the two slow handlers ran one after the other")
    }

    @Test func stopWaitsForRunningBackgroundHandlers() throws {
        let server = try startServer(configuration: HTTPServerConfiguration(threadPoolSize: 1)) { router in
            router.get("/slow", name: "slow", runsInBackground: true) { _ in
                usleep(300_000)
                return .text("done")
            }
        }
        let connection = try TestConnection(port: server.port)
        connection.write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(50_000)
        server.stop()
        #expect(!server.isRunning)
    }

    @Test func backgroundRoutesStillCheckTheToken() throws {
        let configuration = HTTPServerConfiguration(threadPoolSize: 1, bearerToken: "t", requireTokenForMutations: true)
        let server = try startServer(configuration: configuration) { router in
            router.post("/job", runsInBackground: true) { _ in .text("ran", status: 202) }
        }
        defer { server.stop() }
        #expect(try TestClient.request("POST", "/job", port: server.port, body: "").status == 401)
        #expect(try TestClient.request("POST", "/job", port: server.port, headers: [("Authorization", "Bearer t")], body: "").status == 202)
    }
}
