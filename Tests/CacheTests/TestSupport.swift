import Foundation
import TestSupport
import Glibc
import Synchronization
@testable import Cache

extension RedisServer {
    /// A separate raw connection, for poking at the server from "outside".
    func client(commandTimeout: Duration = .seconds(2)) throws -> RedisConnection {
        try RedisConnection(endpoint: endpoint, connectTimeout: .seconds(1), commandTimeout: commandTimeout)
    }

    func run(_ words: String...) throws -> RedisReply {
        try client().command(words.map { Array($0.utf8) })
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
