import Foundation
import Glibc
import Synchronization
@testable import Cache

/// A directory under the system temp dir, removed when released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "unjucksd-cache-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A real `redis-server` on a free loopback port, in its own temp dir.
final class RedisServer: @unchecked Sendable {
    let port: Int
    let directory = TemporaryDirectory()
    private let extraArguments: [String]
    private var process: Process?

    init(_ extraArguments: [String] = []) throws {
        self.port = Self.freePort()
        self.extraArguments = extraArguments
        try start()
    }

    deinit { stop() }

    var endpoint: RedisEndpoint { RedisEndpoint(host: "127.0.0.1", port: port) }

    /// (Re)starts the server on the same port and waits until it answers PING.
    func start() throws {
        let process = Process()
        let configured = ProcessInfo.processInfo.environment["UNJUCKSD_TEST_REDIS_SERVER"]
        process.executableURL = URL(fileURLWithPath: configured ?? "/usr/bin/redis-server")
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", directory.path, "--enable-debug-command", "local"] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            // Any answer will do: with --requirepass, PING answers NOAUTH.
            if let client = try? client(), (try? client.command([Array("PING".utf8)])) != nil { return }
            usleep(20_000)
        }
        throw RedisError(kind: .connection, message: "redis-server on port \(port) did not start")
    }

    /// SIGKILLs the server (no shutdown, no goodbye to clients).
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the server. SIGKILL, because a child spawned from a test
    /// thread inherits a signal mask that blocks SIGTERM.
    func stop() { kill() }

    /// A separate raw connection, for poking at the server from "outside".
    func client(commandTimeout: Duration = .seconds(2)) throws -> RedisConnection {
        try RedisConnection(endpoint: endpoint, connectTimeout: .seconds(1), commandTimeout: commandTimeout)
    }

    func run(_ words: String...) throws -> RedisReply {
        try client().command(words.map { Array($0.utf8) })
    }

    private static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Collects log lines from a cache.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var sink: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }
}


func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBytes { buffer in
        for offset in stride(from: 0, to: count, by: 8) {
            var word = generator.next()
            withUnsafeBytes(of: &word) { word in
                for index in 0..<min(8, count - offset) { buffer[offset + index] = word[index] }
            }
        }
    }
    return bytes
}

func key(_ text: String) -> ContentHash { ContentHash.of(text) }

extension RedisSettings {
    /// Short cooldown so breaker tests finish quickly.
    static func fast(threshold: Int = 3, cooldown: Duration = .milliseconds(300)) -> RedisSettings {
        var settings = RedisSettings()
        settings.failureThreshold = threshold
        settings.cooldown = cooldown
        return settings
    }
}

func redisCache(_ server: RedisServer, sqlite path: String, namespace: String = CacheConfiguration.defaultNamespace,
                secret: String? = nil, settings: RedisSettings = RedisSettings(),
                log: @escaping @Sendable (String) -> Void = { _ in }) throws -> Cache {
    try Cache(CacheConfiguration(location: .redis(server.endpoint, sqlitePath: path), namespace: namespace,
                                 secret: secret, redis: settings, log: log))
}
