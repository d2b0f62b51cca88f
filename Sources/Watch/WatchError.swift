import Glibc

/// Why a watcher could not start.
public enum WatchError: Error, Equatable, CustomStringConvertible {
    /// A system call failed; `errno` is kept for the message.
    case systemCall(String, errno: Int32)
    /// A configured root is missing or not a directory.
    case notADirectory(String)
    /// `start` was called on a watcher that is already running or stopped.
    case alreadyStarted

    public var description: String {
        switch self {
        case .systemCall(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .notADirectory(let path): "\(path): not a directory"
        case .alreadyStarted: "watcher already started"
        }
    }
}
