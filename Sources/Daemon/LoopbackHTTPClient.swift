import Foundation
import Glibc

/// A small blocking HTTP/1.1 client over one keep-alive TCP connection, for
/// talking to a daemon on this machine (`unjucksd status`, `loadtest`,
/// tests). It refuses any address outside the loopback range.
public final class LoopbackHTTPClient {
    /// One answer.
    public struct Response: Sendable {
        public var status: Int
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public enum ClientError: Error, CustomStringConvertible, Equatable {
        case notLoopback(String)
        case badAddress(String)
        case connect(String)
        case io(String)
        case malformed(String)

        public var description: String {
            switch self {
            case .notLoopback(let host): "\(host) is not a loopback address; only 127.0.0.0/8, ::1 and localhost are allowed"
            case .badAddress(let text): "bad address '\(text)' (expected HOST:PORT)"
            case .connect(let reason): "cannot connect: \(reason)"
            case .io(let reason): "connection failed: \(reason)"
            case .malformed(let reason): "malformed response: \(reason)"
            }
        }
    }

    public let host: String
    public let port: Int
    public let timeoutSeconds: Double
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var bufferStart = 0

    /// A client for `host:port`; connects lazily.
    public init(host: String, port: Int, timeoutSeconds: Double = 10) throws {
        guard Self.isLoopback(host) else { throw ClientError.notLoopback(host) }
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    /// A client for `HOST:PORT` text (`127.0.0.1:8383`, `localhost:8383`, `[::1]:8383`).
    public convenience init(address: String, timeoutSeconds: Double = 10) throws {
        let (host, port) = try Self.split(address)
        try self.init(host: host, port: port, timeoutSeconds: timeoutSeconds)
    }

    deinit { close() }

    public static func split(_ address: String) throws -> (String, Int) {
        var text = address
        if text.hasPrefix("http://") { text.removeFirst("http://".count) }
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<end])
            let rest = text[text.index(after: end)...]
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { throw ClientError.badAddress(address) }
            return (host, port)
        }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
              colon != text.startIndex else { throw ClientError.badAddress(address) }
        return (String(text[..<colon]), port)
    }

    /// True for 127.0.0.0/8, ::1 and localhost.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return false }
        return UInt32(bigEndian: address.s_addr) >> 24 == 127
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        buffer = []
        bufferStart = 0
    }

    /// Sends one request and reads the whole answer. Retries once on a
    /// fresh connection when a kept-alive one turns out to be closed.
    public func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Response {
        let reused = fd >= 0
        do {
            return try attempt(method, path, headers: headers, body: body)
        } catch let error as ClientError where reused {
            if case .connect = error { throw error }
            close()
            return try attempt(method, path, headers: headers, body: body)
        }
    }

    public func get(_ path: String, headers: [(String, String)] = []) throws -> Response {
        try request("GET", path, headers: headers)
    }

    public func post(_ path: String, json: String, headers: [(String, String)] = []) throws -> Response {
        try request("POST", path, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    private func attempt(_ method: String, _ path: String, headers: [(String, String)], body: [UInt8]) throws -> Response {
        if fd < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + body)
        return try readResponse(method: method)
    }

    private func connect() throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw ClientError.connect("cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        var lastError = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            let socketFD = socket(current.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if socketFD >= 0 {
                var timeout = timeval(tv_sec: Int(timeoutSeconds), tv_usec: Int((timeoutSeconds - Double(Int(timeoutSeconds))) * 1e6))
                setsockopt(socketFD, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(socketFD, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var one: Int32 = 1
                setsockopt(socketFD, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                if Glibc.connect(socketFD, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 {
                    fd = socketFD
                    return
                }
                lastError = errno
                Glibc.close(socketFD)
            }
            entry = current.pointee.ai_next
        }
        throw ClientError.connect("\(host):\(port): \(String(cString: strerror(lastError)))")
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw ClientError.io(String(cString: strerror(errno))) }
            offset += sent
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        if bufferStart > 65536 {
            buffer.removeFirst(bufferStart)
            bufferStart = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                throw ClientError.io(errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : String(cString: strerror(errno)))
            }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private func readLine() throws -> String {
        while true {
            if let newline = buffer[bufferStart...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > bufferStart && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[bufferStart..<end], as: UTF8.self)
                bufferStart = newline + 1
                return line
            }
            guard try fill() else { throw ClientError.io("connection closed") }
        }
    }

    private func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count - bufferStart < count {
            guard try fill() else { throw ClientError.malformed("body ended early") }
        }
        let bytes = Array(buffer[bufferStart..<bufferStart + count])
        bufferStart += count
        return bytes
    }

    private func readResponse(method: String) throws -> Response {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw ClientError.malformed("status line '\(statusLine)'")
        }
        var headers: [String: String] = [:]
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if method == "HEAD" || status == 204 || status == 304 {
            // no body
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "", radix: 16) else {
                    throw ClientError.malformed("chunk size '\(sizeLine)'")
                }
                if size == 0 {
                    while try !readLine().isEmpty {}
                    break
                }
                body += try readBytes(size)
                _ = try readLine()
            }
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            body = try readBytes(length)
        } else {
            while try fill() {}
            body = Array(buffer[bufferStart...])
            bufferStart = buffer.count
            close()
        }
        if headers["connection"]?.lowercased() == "close" { close() }
        return Response(status: status, headers: headers, body: body)
    }
}
