import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor handed to the server as a response body. The server takes
/// ownership when it queues the response; a body never sent closes it on deinit.
public final class OpenFile: Sendable {
    private let descriptor: Atomic<Int32>
    /// Bytes to send, starting at ``offset``.
    public let size: Int
    /// Where in the file the body starts.
    public let offset: Int

    /// Opens `path` for reading; `nil` if it cannot be opened.
    public init?(path: String, size: Int, offset: Int = 0) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        descriptor = Atomic(fd)
        self.size = size
        self.offset = offset
    }

    /// Hands the descriptor over (once); later calls return `nil`.
    func take() -> Int32? {
        let fd = descriptor.exchange(-1, ordering: .acquiringAndReleasing)
        return fd >= 0 ? fd : nil
    }

    deinit {
        let fd = descriptor.load(ordering: .acquiring)
        if fd >= 0 { close(fd) }
    }
}
