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
    private let heartbeat = Mutex<Task<Void, Never>?>(nil)

    public init(heartbeatInterval: Duration = .seconds(15), maxBufferedBytesPerClient: Int = 256 * 1024) {
        self.heartbeatInterval = heartbeatInterval
        self.maxBufferedBytesPerClient = maxBufferedBytesPerClient
        let task = Task.detached { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeatInterval)
                guard let self, !Task.isCancelled else { return }
                self.sendHeartbeat()
            }
        }
        heartbeat.withLock { $0 = task }
    }

    deinit {
        heartbeat.withLock { $0?.cancel() }
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
            return HTTPResponse(status: 200, headers: headers, body: .stream(subscribe()))
        }
    }

    /// Sends one event to every client. Multi-line data becomes several `data:` lines.
    public func publish(event: String, data: String) {
        send(Array(Self.format(event: event, data: data).utf8))
    }

    /// Clients connected right now.
    public var subscriberCount: Int {
        subscribers.withLock { $0.count }
    }

    /// Ends every client's stream and stops the heartbeat; later subscribers are finished at once.
    public func close() {
        isClosed.store(true, ordering: .releasing)
        heartbeat.withLock { $0?.cancel() }
        let all = subscribers.withLock { Array($0.values) }
        for stream in all { stream.finish() }
    }

    /// The wire form of one event.
    public static func format(event: String, data: String) -> String {
        var text = ""
        let name = event.filter { $0 != "\n" && $0 != "\r" }
        if !name.isEmpty { text += "event: \(name)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line.hasSuffix("\r") ? line.dropLast() : line)\n"
        }
        return text + "\n"
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
