/// Where a Redis server is and how to log in: parsed from
/// `redis://[[user]:password@]host[:port][/db]`.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int

    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` URL. Percent-escapes in the user and password are decoded.
    public init(url: String) throws(CacheLocationError) {
        guard url.hasPrefix("redis://") else {
            throw CacheLocationError(input: url, reason: "a Redis URL starts with redis://")
        }
        var rest = Substring(url.dropFirst("redis://".count))
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else {
                    throw CacheLocationError(input: url, reason: "database '\(path)' is not a non-negative number")
                }
                database = number
            }
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = Self.percentDecoded(credentials[..<colon])
                username = user.isEmpty ? nil : user
                password = Self.percentDecoded(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                // `redis://secret@host` is the common shorthand for a password.
                password = Self.percentDecoded(credentials)
            }
        }
        var host = String(rest)
        var port = 6379
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw CacheLocationError(input: url, reason: "unclosed [ in IPv6 host")
            }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { port = try Self.port(after.dropFirst(), url: url) }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            port = try Self.port(rest[rest.index(after: colon)...], url: url)
        }
        guard !host.isEmpty else { throw CacheLocationError(input: url, reason: "missing host") }
        self.init(host: host, port: port, username: username, password: password, database: database)
    }

    /// The URL without the password.
    public var description: String {
        let credentials = password == nil ? "" : "\(username ?? ""):***@"
        return "redis://\(credentials)\(host):\(port)/\(database)"
    }

    private static func port(_ text: Substring, url: String) throws(CacheLocationError) -> Int {
        guard let port = Int(text), (1...65535).contains(port) else {
            throw CacheLocationError(input: url, reason: "port '\(text)' is not a number from 1 to 65535")
        }
        return port
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "%"), bytes.count >= 2,
               let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A `--cache` argument: which tiers persist values and where.
public enum CacheLocation: Sendable, Hashable, CustomStringConvertible {
    /// Memory in front of an SQLite file.
    case sqlite(path: String)
    /// Memory, then the local SQLite file, then a shared Redis.
    case redis(RedisEndpoint, sqlitePath: String)
    /// Memory only; nothing persists.
    case memory

    /// The SQLite file used when none is named.
    public static let defaultSQLitePath = ".unjucksd/cache.db"
    /// `sqlite:.unjucksd/cache.db`
    public static let `default` = CacheLocation.sqlite(path: defaultSQLitePath)

    /// Parses `sqlite:PATH`, `redis://...` or `memory:`.
    public init(parsing text: String) throws(CacheLocationError) {
        if text == "memory:" || text == "memory" {
            self = .memory
        } else if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw CacheLocationError(input: text, reason: "sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("redis://") {
            self = .redis(try RedisEndpoint(url: text), sqlitePath: Self.defaultSQLitePath)
        } else {
            throw CacheLocationError(input: text, reason: "expected sqlite:PATH, redis://[:password@]host:port[/db] or memory:")
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .redis(let endpoint, let path): "\(endpoint) (local sqlite:\(path))"
        case .memory: "memory:"
        }
    }

    /// The local SQLite file, if this location persists to one.
    public var sqlitePath: String? {
        switch self {
        case .sqlite(let path), .redis(_, let path): path
        case .memory: nil
        }
    }

    /// The Redis server, if any.
    public var redis: RedisEndpoint? {
        if case .redis(let endpoint, _) = self { endpoint } else { nil }
    }
}

/// A `--cache` value that cannot be used.
public struct CacheLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var input: String
    public var reason: String

    public var description: String { "invalid cache location '\(input)': \(reason)" }
}
