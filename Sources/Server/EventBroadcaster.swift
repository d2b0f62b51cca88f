import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Fans Server-Sent Events out to every `/events` client.
///
/// Each client has its own bounded buffer (an ``HTTPStreamBody``); `publish`
/// only appends to those buffers, so it never waits for the network. A client
/// whose buffer overflows is dropped. A comment line every `heartbeatInterval`
/// keeps proxies from timing out and lets the server notice clients that left.
///
/// Event names the daemon uses: `build-started`, `build-finished`, `build-failed`,
/// `changed` (see ``LiveReloadScript`` for the data format), `reload`.
public final class EventBroadcaster: Sendable {
    /// Buffer limit per client; beyond it the client is dropped.
    public let maxBufferedBytesPerClient: Int
    public let heartbeatInterval: Duration
    private let subscribers = Mutex<[ObjectIdentifier: HTTPStreamBody]>([:])
    private let isClosed = Atomic<Bool>(false)

    public init(heartbeatInterval: Duration = .seconds(15), maxBufferedBytesPerClient: Int = 256 * 1024) {
        self.heartbeatInterval = heartbeatInterval
        self.maxBufferedBytesPerClient = maxBufferedBytesPerClient
        scheduleHeartbeat()
    }

    /// Heartbeats run on a Dispatch queue rather than the Swift concurrency pool,
    /// which blocking callers could starve.
    private func scheduleHeartbeat() {
        let nanoseconds = max(1_000_000, heartbeatInterval.components.seconds * 1_000_000_000
            + heartbeatInterval.components.attoseconds / 1_000_000_000)
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) {
            [weak self] in
            guard let self, !self.isClosed.load(ordering: .acquiring) else { return }
            self.sendHeartbeat()
            self.scheduleHeartbeat()
        }
    }

    /// Adds a client and returns its stream; the stream leaves on its own when the client goes away.
    public func subscribe() -> HTTPStreamBody {
        let stream = HTTPStreamBody(maxBufferedBytes: maxBufferedBytesPerClient)
        // Tell the client how fast to reconnect; also gets the headers out at once.
        stream.write("retry: 1000\n: connected\n\n")
        let key = ObjectIdentifier(stream)
        subscribers.withLock { $0[key] = stream }
        stream.onClose { [weak self] in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: key) }
        }
        if isClosed.load(ordering: .acquiring) { stream.finish() }
        return stream
    }

    /// A route handler for `GET /events`.
    public var handler: HTTPHandler {
        { [self] _ in
            var headers = HTTPHeaders()
            headers.add("Content-Type", "text/event-stream; charset=utf-8")
            headers.add("Cache-Control", "no-cache")
            headers.add("X-Accel-Buffering", "no")
            headers.add("Connection", "close")
            return HTTPResponse(status: 200, headers: headers, body: .stream(subscribe()))
        }
    }

    /// Sends one event to every client. Multi-line data becomes several `data:` lines.
    public func publish(event: String, data: String) {
        send(Self.encode(event: event, data: data))
    }

    /// Clients connected right now.
    public var subscriberCount: Int {
        subscribers.withLock { $0.count }
    }

    /// Ends every client's stream and stops the heartbeat; later subscribers are finished at once.
    public func close() {
        isClosed.store(true, ordering: .releasing)
        let all = subscribers.withLock { Array($0.values) }
        for stream in all { stream.finish() }
    }

    /// The wire form of one event, as text.
    public static func format(event: String, data: String) -> String {
        String(decoding: encode(event: event, data: data), as: UTF8.self)
    }

    /// The wire form of one event: `event:` (line breaks removed), one `data:` line
    /// per line of `data` (CRLF, LF and CR all end a line), and a blank line.
    static func encode(event: String, data: String) -> [UInt8] {
        let dataPrefix = Array("data: ".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + event.utf8.count + 32)
        let name = event.utf8.filter { $0 != 10 && $0 != 13 }
        if !name.isEmpty {
            out.append(contentsOf: "event: ".utf8)
            out.append(contentsOf: name)
            out.append(10)
        }
        out.append(contentsOf: dataPrefix)
        // Most payloads (JSON) have no line breaks: copy them in one go.
        let hasLineBreak = data.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 10, bytes.count) != nil || memchr(base, 13, bytes.count) != nil
        } ?? true
        if !hasLineBreak {
            out.append(contentsOf: data.utf8)
            out.append(contentsOf: [10, 10])
            return out
        }
        var previousWasCR = false
        for byte in data.utf8 {
            if byte == 10 && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 13
            if byte == 10 || byte == 13 {
                out.append(10)
                out.append(contentsOf: dataPrefix)
            } else {
                out.append(byte)
            }
        }
        out.append(contentsOf: [10, 10])
        return out
    }

    func sendHeartbeat() {
        send(Array(": heartbeat\n\n".utf8))
    }

    private func send(_ bytes: [UInt8]) {
        let all = subscribers.withLock { Array($0.values) }
        for stream in all where !stream.write(bytes) {
            // Closed or overflowed: forget it now rather than at the next heartbeat.
            stream.abort()
            _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(stream)) }
        }
    }
}
