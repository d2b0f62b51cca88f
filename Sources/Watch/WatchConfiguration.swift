/// A caller-supplied sink for the watcher's log lines (overflows, fallbacks).
public typealias WatchLogger = @Sendable (String) -> Void

/// What to watch and how.
public struct WatchConfiguration: Sendable {
    /// How changes are detected.
    public enum Mode: Sendable, Equatable {
        /// Kernel notifications (inotify); subtrees that cannot be watched are polled.
        case inotify
        /// Periodic scans comparing size/mtime/inode (network or VM mounts).
        case poll(interval: Duration)
    }

    /// Directories to watch recursively.
    public var roots: [String]
    /// Paths (directories or files) never watched or reported: the output
    /// directory, caches, anything the user lists. Matched as path prefixes
    /// on component boundaries; relative entries are taken relative to the
    /// current directory.
    public var excludedPaths: [String]
    /// Names of directories skipped wherever they occur (besides dot-directories).
    public var excludedDirectoryNames: Set<String>
    /// Skip every directory whose name starts with "." (`.git`, `.unjucksd`, ...).
    public var skipsDotDirectories: Bool
    public var mode: Mode
    /// Quiet time after the last event before a batch is delivered.
    public var settleWindow: Duration
    /// Upper bound between the first event of a batch and its delivery.
    public var maxBatchDelay: Duration
    /// Interval of the polling fallback for subtrees inotify cannot serve.
    public var fallbackPollInterval: Duration
    /// The most inotify watches this watcher may hold (nil: as many as the
    /// kernel allows). Directories beyond the budget are polled instead.
    public var watchBudget: Int?
    public var logger: WatchLogger

    public init(
        roots: [String],
        excludedPaths: [String] = [],
        excludedDirectoryNames: Set<String> = [".unjucksd", "node_modules"],
        skipsDotDirectories: Bool = true,
        mode: Mode = .inotify,
        settleWindow: Duration = .milliseconds(20),
        maxBatchDelay: Duration = .milliseconds(500),
        fallbackPollInterval: Duration = .seconds(1),
        watchBudget: Int? = nil,
        logger: @escaping WatchLogger = { _ in }
    ) {
        self.roots = roots
        self.excludedPaths = excludedPaths
        self.excludedDirectoryNames = excludedDirectoryNames
        self.skipsDotDirectories = skipsDotDirectories
        self.mode = mode
        self.settleWindow = settleWindow
        self.maxBatchDelay = maxBatchDelay
        self.fallbackPollInterval = fallbackPollInterval
        self.watchBudget = watchBudget
        self.logger = logger
    }
}
