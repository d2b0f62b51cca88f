import Cache
import Foundation
import Glibc

/// Test helpers shared by test targets: temporary directories and real
/// redis-server processes (tests never mock Redis).

/// A directory under the system temp dir, removed when released.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "unjucksd-cache-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }
}

/// A real `redis-server` on a free loopback port, in its own temp dir.
public final class RedisServer: @unchecked Sendable {
    public let port: Int
    public let directory = TemporaryDirectory()
    private let extraArguments: [String]
    private var process: Process?

    public init(_ extraArguments: [String] = []) throws {
        self.port = Self.freePort()
        self.extraArguments = extraArguments
        try start()
    }

    deinit { stop() }

    public var endpoint: RedisEndpoint { RedisEndpoint(host: "127.0.0.1", port: port) }

    /// (Re)starts the server on the same port and waits until it answers PING.
    public func start() throws {
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
            if answers() { return }
            usleep(20_000)
        }
        throw RedisServerError(message: "redis-server on port \(port) did not start")
    }

    /// SIGKILLs the server (no shutdown, no goodbye to clients).
    public func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the server. SIGKILL, because a child spawned from a test
    /// thread inherits a signal mask that blocks SIGTERM.
    public func stop() { kill() }

    /// Whether something on the port answers a RESP PING (any reply: with
    /// --requirepass the answer is NOAUTH).
    func answers() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let ping = Array("PING\r\n".utf8)
        guard send(fd, ping, ping.count, 0) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 64)
        return recv(fd, &reply, reply.count, 0) > 0
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


public struct RedisServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
