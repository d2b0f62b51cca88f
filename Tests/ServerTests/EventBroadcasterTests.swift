import Foundation
import Testing
@testable import Server

/// Polls `condition` for up to `seconds`.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

@Suite struct EventBroadcasterTests {
    func startEventServer(_ broadcaster: EventBroadcaster, stallTimeout: Int = 30) throws -> HTTPServer {
        try startServer(configuration: HTTPServerConfiguration(threadPoolSize: 2, streamStallTimeoutSeconds: stallTimeout)) { router in
            router.get("/events", name: "events", handler: broadcaster.handler)
            router.get("/ping") { _ in .text("pong") }
        }
    }

    func subscribe(port: Int) throws -> (TestConnection, [UInt8]) {
        let connection = try TestConnection(port: port)
        connection.write("GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        var received: [UInt8] = []
        _ = connection.read(until: ": connected", alreadyRead: &received)
        return (connection, received)
    }

    @Test func subscribersReceivePublishedEvents() throws {
        let broadcaster = EventBroadcaster()
        let server = try startEventServer(broadcaster)
        defer { server.stop() }
        let (first, firstHead) = try subscribe(port: server.port)
        let (second, _) = try subscribe(port: server.port)
        let head = String(decoding: firstHead, as: UTF8.self)
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(head.contains("Content-Type: text/event-stream"))
        #expect(eventually { broadcaster.subscriberCount == 2 })
        broadcaster.publish(event: "changed", data: "{\"site\":\"blog\",\"urls\":[\"/\"]}")
        broadcaster.publish(event: "build-finished", data: "line one\nline two")
        for connection in [first, second] {
            var received: [UInt8] = []
            #expect(connection.read(until: "data: line two\n\n", alreadyRead: &received))
            let text = String(decoding: received, as: UTF8.self)
            #expect(text.contains("event: changed\r\n") || text.contains("event: changed\n"))
            #expect(text.contains("data: {\"site\":\"blog\",\"urls\":[\"/\"]}\n"))
            #expect(text.contains("event: build-finished\ndata: line one\ndata: line two\n\n"))
        }
        // Other requests are still served while SSE clients are parked.
        #expect(try TestClient.request("GET", "/ping", port: server.port).text == "pong")
    }

    @Test func disconnectedClientsAreCleanedUp() throws {
        let broadcaster = EventBroadcaster(heartbeatInterval: .milliseconds(100))
        let server = try startEventServer(broadcaster)
        defer { server.stop() }
        var (connection, _) = try subscribe(port: server.port)
        #expect(eventually { broadcaster.subscriberCount == 1 && server.liveStreamCount == 1 })
        connection = try TestConnection(port: server.port)  // drops the old connection
        _ = connection
        #expect(eventually { broadcaster.subscriberCount == 0 && server.liveStreamCount == 0 })
    }

    @Test func heartbeatCommentsArrive() throws {
        let broadcaster = EventBroadcaster(heartbeatInterval: .milliseconds(50))
        let server = try startEventServer(broadcaster)
        defer { server.stop() }
        let (connection, _) = try subscribe(port: server.port)
        var received: [UInt8] = []
        #expect(connection.read(until: ": heartbeat\n\n", alreadyRead: &received))
    }

    @Test func slowClientsAreDroppedWithoutBlockingThePublisher() throws {
        let broadcaster = EventBroadcaster(maxBufferedBytesPerClient: 64 * 1024)
        let server = try startEventServer(broadcaster, stallTimeout: 1)
        defer { server.stop() }
        let (slow, _) = try subscribe(port: server.port)
        _ = slow  // never reads again
        #expect(eventually { broadcaster.subscriberCount == 1 })
        let payload = String(repeating: "x", count: 16 * 1024)
        let start = Date()
        for _ in 0..<2_000 { broadcaster.publish(event: "big", data: payload) }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(eventually { broadcaster.subscriberCount == 0 })
        #expect(eventually { server.liveStreamCount == 0 })
    }

    @Test func stopWhileClientsAreConnectedReturnsAndClosesThem() throws {
        let broadcaster = EventBroadcaster()
        let server = try startEventServer(broadcaster)
        let clients = try (0..<5).map { _ in try subscribe(port: server.port).0 }
        #expect(eventually { server.liveStreamCount == 5 })
        let start = Date()
        server.stop()
        #expect(Date().timeIntervalSince(start) < 4)
        for client in clients { #expect(client.waitForClose()) }
        #expect(eventually { broadcaster.subscriberCount == 0 })
    }

    @Test func closeEndsStreamsCleanly() throws {
        let broadcaster = EventBroadcaster()
        let server = try startEventServer(broadcaster)
        defer { server.stop() }
        let (client, _) = try subscribe(port: server.port)
        #expect(eventually { broadcaster.subscriberCount == 1 })
        broadcaster.close()
        var received: [UInt8] = []
        // The chunked response ends with the zero-length chunk.
        #expect(client.read(until: "0\r\n\r\n", alreadyRead: &received))
        #expect(eventually { broadcaster.subscriberCount == 0 })
    }

    @Test func eventFormatting() {
        #expect(EventBroadcaster.format(event: "x", data: "a\r\nb") == "event: x\ndata: a\ndata: b\n\n")
        #expect(EventBroadcaster.format(event: "", data: "") == "data: \n\n")
        #expect(EventBroadcaster.format(event: "a\nb", data: "x\ry\n\nz") == "event: ab\ndata: x\ndata: y\ndata: \ndata: z\n\n")
    }
}
