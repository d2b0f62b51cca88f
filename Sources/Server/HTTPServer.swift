import CMicroHTTPD
import Metrics
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Why the server could not start.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    /// `host` is not a numeric IPv4/IPv6 address or `localhost`.
    case invalidHost(String)
    /// libmicrohttpd refused to start (port in use, no permission, ...); details went to stderr.
    case startFailed(host: String, port: Int)
    /// `start()` was called twice.
    case alreadyRunning
    /// libmicrohttpd could not be loaded (not installed?).
    case libraryUnavailable(String)

    public var description: String {
        switch self {
        case .invalidHost(let host): "invalid listen address '\(host)' (use an IP address or localhost)"
        case .startFailed(let host, let port): "could not listen on \(host):\(port) (address in use or not available)"
        case .alreadyRunning: "the HTTP server is already running"
        case .libraryUnavailable(let reason): "cannot load libmicrohttpd (apt-get install libmicrohttpd12): \(reason)"
        }
    }
}

/// An HTTP/1.1 server on libmicrohttpd: a pool of epoll worker threads, a router,
/// streaming responses for Server-Sent Events, body limits and a bearer-token policy.
///
/// Handlers run on libmicrohttpd's threads and must not block for long.
public final class HTTPServer: Sendable {
    /// The address to bind.
    public let host: String
    private let requestedPort: Int
    public let configuration: HTTPServerConfiguration
    private let context: ServerContext

    private struct Running: @unchecked Sendable {
        // The daemon handle is only used under the `running` lock, by start/stop and info calls.
        let daemon: OpaquePointer
        let contextPointer: Unmanaged<ServerContext>
        let port: Int
    }
    private let running = Mutex<Running?>(nil)

    /// A server for `host:port` (port 0 picks a free one; see ``port`` after `start()`).
    public init(host: String = "127.0.0.1", port: Int = 8383,
                configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                router: HTTPRouter = HTTPRouter()) {
        self.host = host
        self.requestedPort = port
        self.configuration = configuration
        let policy = BearerTokenPolicy(
            token: configuration.bearerToken,
            isRequired: configuration.requireTokenForMutations ?? !BearerTokenPolicy.isLoopback(host: host))
        self.context = ServerContext(router: router, configuration: configuration, tokenPolicy: policy)
    }

    deinit {
        stop()
    }

    /// Changes the routes; takes effect for the next request.
    public func updateRouter(_ change: (inout HTTPRouter) -> Void) {
        context.router.withLock { change(&$0) }
    }

    /// The token policy in force (required on non-loopback binds unless configured otherwise).
    public var tokenPolicy: BearerTokenPolicy { context.tokenPolicy }

    /// Starts listening; returns once the socket is bound.
    public func start() throws {
        try running.withLock { running in
            guard running == nil else { throw HTTPServerError.alreadyRunning }
            let api = try MicroHTTPD.load()
            guard var address = SocketAddress.make(host: host, port: requestedPort) else {
                throw HTTPServerError.invalidHost(host)
            }
            context.isStopping.store(false, ordering: .releasing)
            var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
                | MHD_USE_ERROR_LOG.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_TURBO.rawValue
            if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
            let contextPointer = Unmanaged.passRetained(context)
            let daemon = withUnsafePointer(to: &address.storage) { storage in
                storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    unjucksd_mhd_start(
                        api, flags, socketAddress, accessHandlerCallback, contextPointer.toOpaque(),
                        requestCompletedCallback, contextPointer.toOpaque(),
                        UInt32(configuration.threadPoolSize), UInt32(configuration.connectionLimit),
                        configuration.connectionMemoryLimit, UInt32(configuration.connectionTimeoutSeconds),
                        UInt32(configuration.listenBacklog), libraryLogCallback)
                }
            }
            guard let daemon else {
                contextPointer.release()
                throw HTTPServerError.startFailed(host: host, port: requestedPort)
            }
            running = Running(daemon: daemon, contextPointer: contextPointer,
                              port: Int(unjucksd_mhd_bound_port(api, daemon)))
        }
    }

    /// Stops accepting, ends streaming responses, closes every connection and returns.
    public func stop() {
        running.withLock { running in
            guard let current = running else { return }
            context.isStopping.store(true, ordering: .releasing)
            // The listen socket is ours after quiescing, but libmicrohttpd's
            // polling thread removes it from its epoll set asynchronously:
            // closing it before MHD_stop_daemon raced that removal (EBADF,
            // and libmicrohttpd aborts the process). Shut down now (new
            // connections are refused), closed after stopping.
            let listenSocket = MicroHTTPD.functions.quiesce_daemon!(current.daemon)
            if listenSocket >= 0 { shutdown(listenSocket, Int32(SHUT_RDWR)) }
            // Background handlers hold suspended connections: let them finish and resume.
            var waitedMilliseconds = 0
            while context.backgroundRequests.load(ordering: .acquiring) > 0 {
                usleep(1_000)
                waitedMilliseconds += 1
                if waitedMilliseconds % 5_000 == 0 {
                    Logger(label: "unjucksd.http").warning(
                        "stop is waiting for background handlers",
                        metadata: ["running": "\(context.backgroundRequests.load(ordering: .acquiring))"])
                }
            }
            // libmicrohttpd must not be stopped with suspended connections:
            // abort the streams (resuming them) and wait for their readers to notice.
            // Streams stalled on a full socket are not suspended; stopping closes them.
            context.liveStreams.abortAll()
            let deadline = monotonicNanoseconds() + 3_000_000_000
            while context.liveStreams.suspendedCount > 0, monotonicNanoseconds() < deadline {
                usleep(1_000)
                context.liveStreams.abortAll()
            }
            MicroHTTPD.functions.stop_daemon!(current.daemon)
            if listenSocket >= 0 { close(listenSocket) }
            current.contextPointer.release()
            running = nil
        }
    }

    /// The bound port while running (the real one when 0 was requested), else the requested port.
    public var port: Int {
        running.withLock { $0?.port ?? requestedPort }
    }

    /// `true` between `start()` and `stop()`.
    public var isRunning: Bool {
        running.withLock { $0 != nil }
    }

    /// Connections open right now (0 when stopped).
    public var openConnections: Int {
        running.withLock { running in
            running.map { Int(unjucksd_mhd_current_connections(MicroHTTPD.api, $0.daemon)) } ?? 0
        }
    }

    /// Streaming responses (SSE clients) held right now.
    public var liveStreamCount: Int { context.liveStreams.count }
}
