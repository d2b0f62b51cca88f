/// Everything a `Cache` needs to open its tiers.
public struct CacheConfiguration: Sendable {
    /// Environment variable the CLI reads the signing secret from.
    public static let secretEnvironmentVariable = "UNJUCKSD_CACHE_SECRET"
    /// Key prefix used unless another is configured.
    public static let defaultNamespace = "unjucksd:v1:"

    /// Which tiers persist values, and where.
    public var location: CacheLocation
    /// Byte budget of the in-process LRU tier.
    public var memoryCapacity: Int
    /// Prefix of every Redis key, so projects sharing one Redis never collide.
    public var namespace: String
    /// When set, values are HMAC-SHA256 signed and unsigned or mis-signed
    /// values are refused.
    public var secret: [UInt8]?
    /// Values longer than this many bytes are zlib-compressed when they
    /// are bound for Redis (and for SQLite too with `compressLocal`).
    public var compressionThreshold: Int
    /// Deflate values kept only in the local SQLite file as well. Off by
    /// default: on a cold build, deflating every page was 13% of the CPU
    /// time, to save a few megabytes of local disk. Values shared through
    /// Redis travel and sit in Redis memory, so they are always deflated
    /// (and stored locally in the same form).
    public var compressLocal: Bool
    /// Redis timeouts, TTL, breaker and batching.
    public var redis: RedisSettings
    /// Reader connections in the SQLite pool.
    public var sqliteReaders: Int
    /// Receives one line per notable event (circuit changes, first storage errors).
    public var log: @Sendable (String) -> Void

    public init(
        location: CacheLocation = .default,
        memoryCapacity: Int = 256 << 20,
        namespace: String = CacheConfiguration.defaultNamespace,
        secret: String? = nil,
        compressionThreshold: Int = 1024,
        compressLocal: Bool = false,
        redis: RedisSettings = RedisSettings(),
        sqliteReaders: Int = 3,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.location = location
        self.memoryCapacity = memoryCapacity
        self.namespace = namespace
        self.secret = secret.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.compressionThreshold = compressionThreshold
        self.compressLocal = compressLocal
        self.redis = redis
        self.sqliteReaders = sqliteReaders
        self.log = log
    }
}

/// Failures of cache maintenance commands (lookups and stores never throw).
public enum CacheError: Error, Sendable, CustomStringConvertible {
    /// Redis could not be reached for an explicit Redis operation.
    case redisUnavailable(RedisEndpoint)
    /// The local database failed.
    case storage(String)

    public var description: String {
        switch self {
        case .redisUnavailable(let endpoint): "cannot reach \(endpoint)"
        case .storage(let message): "cache storage error: \(message)"
        }
    }
}
