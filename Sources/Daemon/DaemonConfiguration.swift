import Foundation
import Watch

/// How a watch daemon runs: what it watches, where it listens, and how it
/// reacts. The build side (sites, output directory, cache, jobs) comes with
/// the `Builder` handed to ``Daemon/init(configuration:builder:)``.
public struct DaemonConfiguration: Sendable {
    /// The PATH arguments: site directories or directories of sites. They are
    /// watched recursively, and new sites appearing under a directory of
    /// sites are picked up.
    public var sitePaths: [String]
    /// Address to listen on (`--host`), loopback by default.
    public var host: String
    /// Port (`--port`); 0 picks a free one (tests).
    public var port: Int
    /// Quiet time after the last file event before a rebuild (`--settle`).
    public var settleWindow: Duration
    /// Poll instead of inotify (`--poll INTERVAL`), for network and VM mounts.
    public var pollInterval: Duration?
    /// Inject the live-reload script into previewed HTML (off with `--no-live-reload`).
    public var liveReload: Bool
    /// Bearer token for `POST` requests (`--token` / `UNJUCKSD_TOKEN`).
    public var token: String?
    /// Forces the token requirement; nil requires it exactly when bound beyond loopback.
    public var requireToken: Bool?
    /// `--memory-limit` in bytes; nil: 80% of the cgroup limit where one exists.
    public var memoryLimit: UInt64?
    /// Extra paths the watcher ignores (the output directory and the cache
    /// directory are always ignored).
    public var excludedPaths: [String]
    /// The version `/status` reports.
    public var version: String
    /// HTTP worker threads (nil: the core count).
    public var httpThreads: Int?
    /// Where log lines go (one line per call, no trailing newline).
    public var log: @Sendable (String) -> Void

    public init(
        sitePaths: [String],
        host: String = "127.0.0.1",
        port: Int = 8383,
        settleWindow: Duration = .milliseconds(20),
        pollInterval: Duration? = nil,
        liveReload: Bool = true,
        token: String? = nil,
        requireToken: Bool? = nil,
        memoryLimit: UInt64? = nil,
        excludedPaths: [String] = [],
        version: String = "0.0.0",
        httpThreads: Int? = nil,
        log: @escaping @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    ) {
        self.sitePaths = sitePaths
        self.host = host
        self.port = port
        self.settleWindow = settleWindow
        self.pollInterval = pollInterval
        self.liveReload = liveReload
        self.token = token
        self.requireToken = requireToken
        self.memoryLimit = memoryLimit
        self.excludedPaths = excludedPaths
        self.version = version
        self.httpThreads = httpThreads
        self.log = log
    }
}
