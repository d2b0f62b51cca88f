/// A decoded Redis reply.
enum RedisReply: Sendable, Equatable {
    case string([UInt8])
    case status(String)
    case integer(Int64)
    case null
    case array([RedisReply])
    /// An error reply (`-ERR ...`, `-OOM ...`): the server answered, the
    /// command failed.
    case error(String)

    var bytes: [UInt8]? { if case .string(let v) = self { v } else { nil } }
}

/// A failed Redis exchange. `timeout` and `connection` mean the connection
/// is unusable and must be reopened.
struct RedisError: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable { case connection, timeout, protocolError, reply }
    var kind: Kind
    var message: String

    var description: String { "redis \(kind): \(message)" }
}
