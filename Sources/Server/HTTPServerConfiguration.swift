#if canImport(Glibc)
import Glibc
#endif

/// Tuning and policy for an ``HTTPServer``.
public struct HTTPServerConfiguration: Sendable {
    /// libmicrohttpd worker threads (each with its own epoll loop); default: the core count.
    public var threadPoolSize: Int
    /// Threads for routes marked `runsInBackground` (created on first use).
    public var backgroundThreads: Int
    /// Most simultaneous connections; default: the descriptor limit minus a reserve.
    public var connectionLimit: Int
    /// Idle keep-alive connections are closed after this many seconds.
    public var connectionTimeoutSeconds: Int
    /// A streaming response (SSE) whose client stops reading is closed after this many seconds without progress.
    public var streamStallTimeoutSeconds: Int
    /// Per-connection memory for the request line and headers; bigger requests get a 4xx from libmicrohttpd.
    /// Kept small: libmicrohttpd clears the whole pool between keep-alive requests.
    public var connectionMemoryLimit: Int
    /// Largest accepted request body; bigger ones get 413.
    public var maxBodyBytes: Int
    /// The listen(2) backlog.
    public var listenBacklog: Int
    /// Token for mutating requests (`--token` / `UNJUCKSD_TOKEN`).
    public var bearerToken: String?
    /// Forces the token requirement on or off; `nil` requires it exactly when bound beyond loopback.
    public var requireTokenForMutations: Bool?
    /// Called after every answered request (feeds the request metrics).
    public var onRequestCompleted: (@Sendable (HTTPRequestRecord) -> Void)?

    public init(threadPoolSize: Int? = nil, backgroundThreads: Int = 8, connectionLimit: Int? = nil, connectionTimeoutSeconds: Int = 60,
                streamStallTimeoutSeconds: Int = 30,
                connectionMemoryLimit: Int = 16 * 1024, maxBodyBytes: Int = 8 * 1024 * 1024,
                listenBacklog: Int = 4096, bearerToken: String? = nil, requireTokenForMutations: Bool? = nil,
                onRequestCompleted: (@Sendable (HTTPRequestRecord) -> Void)? = nil) {
        self.threadPoolSize = threadPoolSize ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        self.backgroundThreads = backgroundThreads
        self.connectionLimit = connectionLimit ?? Self.defaultConnectionLimit()
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.streamStallTimeoutSeconds = streamStallTimeoutSeconds
        self.connectionMemoryLimit = connectionMemoryLimit
        self.maxBodyBytes = maxBodyBytes
        self.listenBacklog = listenBacklog
        self.bearerToken = bearerToken
        self.requireTokenForMutations = requireTokenForMutations
        self.onRequestCompleted = onRequestCompleted
    }

    /// The soft descriptor limit minus 64 kept for files, the cache and the watcher.
    static func defaultConnectionLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1000 }
        let soft = limit.rlim_cur == UInt.max ? 65_536 : Int(clamping: limit.rlim_cur)
        return max(16, min(soft - 64, 65_536))
    }
}

/// What the request-completed hook learns about one request.
public struct HTTPRequestRecord: Sendable {
    /// The route name (or `not_found`, `method_not_allowed`, `bad_request`, `unauthorized`, `too_large`).
    public let handler: String
    public let method: String
    public let status: Int
    /// Seconds from the first byte of the request being processed to the response being queued.
    public let seconds: Double
}
