import CHiredis
import Glibc

/// One blocking hiredis connection with connect and command timeouts.
///
/// Not thread-safe: owners use it under a lock. After any error other than
/// an error *reply* the connection is dead and must be replaced.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>

    /// hiredis writes with write(2): a server that died mid-command would
    /// raise SIGPIPE and kill the process. Ignoring it turns that into EPIPE,
    /// which is handled like any other connection error. (Every daemon with
    /// sockets wants this anyway; libmicrohttpd recommends it too.)
    private static let ignoreBrokenPipe: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    /// Connects, authenticates and selects the database of `endpoint`.
    init(endpoint: RedisEndpoint, connectTimeout: Duration, commandTimeout: Duration) throws(RedisError) {
        Self.ignoreBrokenPipe
        guard let context = redisConnectWithTimeout(endpoint.host, Int32(endpoint.port), Self.timeval(connectTimeout)) else {
            throw RedisError(kind: .connection, message: "cannot allocate a hiredis context")
        }
        // From here on a throw runs deinit, which frees the context.
        self.context = context
        if context.pointee.err != 0 {
            let error = Self.error(of: context, connecting: true)
            throw RedisError(kind: error.kind, message: "\(endpoint.host):\(endpoint.port): \(error.message)")
        }
        guard redisSetTimeout(context, Self.timeval(commandTimeout)) == REDIS_OK else {
            throw Self.error(of: context, connecting: true)
        }
        if let password = endpoint.password {
            let arguments = endpoint.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            try expectOK(arguments.map { Array($0.utf8) }, what: "AUTH")
        }
        if endpoint.database != 0 {
            try expectOK([Array("SELECT".utf8), Array(String(endpoint.database).utf8)], what: "SELECT \(endpoint.database)")
        }
    }

    deinit { redisFree(context) }

    /// Sends one command (binary-safe arguments) and waits for its reply.
    func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        try pipeline([arguments])[0]
    }

    /// Sends several commands in one write and reads all their replies.
    func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw Self.error(of: context, connecting: false) }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw Self.error(of: context, connecting: false)
            }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.convert(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    private func expectOK(_ arguments: [[UInt8]], what: String) throws(RedisError) {
        let reply = try command(arguments)
        if case .error(let message) = reply {
            throw RedisError(kind: .reply, message: "\(what) refused: \(message)")
        }
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING:
            guard let str = r.str, r.len > 0 else { return .string([]) }
            return .string(Array(UnsafeRawBufferPointer(start: str, count: Int(r.len))))
        case REDIS_REPLY_STATUS:
            return .status(r.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_ERROR:
            return .error(r.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_INTEGER:
            return .integer(r.integer)
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            for index in 0..<Int(r.elements) {
                if let element = r.element[index] { elements.append(convert(element)) } else { elements.append(.null) }
            }
            return .array(elements)
        default:
            return .null
        }
    }

    /// Classifies the context's error; read/write timeouts surface as I/O
    /// errors with EAGAIN (hiredis 0.14 has no dedicated timeout code).
    private static func error(of context: UnsafeMutablePointer<redisContext>, connecting: Bool) -> RedisError {
        let code = context.pointee.err
        let message = withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let lowered = message.lowercased()
        let timedOut = code == REDIS_ERR_IO
            && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT || errno == EINPROGRESS
                || lowered.contains("timed out") || lowered.contains("temporarily unavailable"))
        if timedOut { return RedisError(kind: .timeout, message: message.isEmpty ? "timed out" : message) }
        if code == REDIS_ERR_PROTOCOL { return RedisError(kind: .protocolError, message: message) }
        return RedisError(kind: .connection, message: message.isEmpty ? "connection failed (\(code))" : message)
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return unjucksd_timeval(Int(seconds), Int(attoseconds / 1_000_000_000_000))
    }

    /// Lays the arguments out in one buffer and passes C pointers into it.
    private static func withArgv<T>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        var joined = [UInt8]()
        joined.reserveCapacity(arguments.reduce(0) { $0 + $1.count } + 1)
        for argument in arguments { joined.append(contentsOf: argument) }
        joined.append(0)
        let lengths = arguments.map(\.count)
        return joined.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = []
            var offset = 0
            for length in lengths {
                pointers.append(base + offset)
                offset += length
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { body(Int32(arguments.count), argv.baseAddress!, $0.baseAddress!) }
            }
        }
    }
}
