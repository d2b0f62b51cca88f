#if canImport(Glibc)
import Glibc
#endif
import CMicroHTTPD
import Synchronization

/// Per-request bookkeeping kept in libmicrohttpd's `req_cls` between calls of the access handler.
///
/// `@unchecked Sendable`: libmicrohttpd calls back for one connection on one thread
/// at a time, so the mutable fields are never touched concurrently.
final class RequestState: @unchecked Sendable {
    let startNanoseconds: UInt64
    var body: [UInt8] = []
    /// Set once a response was queued early (413), or the body overflowed.
    var bodyTooLarge = false
    var responded = false
    /// Set when the handler was sent to the background queue and the connection suspended.
    var dispatchedToBackground = false
    /// Counted in ``ServerContext/backgroundRequests`` until the connection runs again.
    var holdsBackgroundSlot = false
    /// The background handler's answer, handed over across threads before the connection is resumed.
    let backgroundResult = Mutex<(response: HTTPResponse, handler: String)?>(nil)

    init(startNanoseconds: UInt64) {
        self.startNanoseconds = startNanoseconds
    }
}

/// What the content reader callback needs: the stream, its connection and the registry to leave.
final class StreamCallbackContext: @unchecked Sendable {
    let stream: HTTPStreamBody
    /// The libmicrohttpd connection; only used on that connection's thread or
    /// by `MHD_resume_connection`, which is thread-safe.
    let connection: OpaquePointer?
    let server: ServerContext

    init(stream: HTTPStreamBody, connection: OpaquePointer?, server: ServerContext) {
        self.stream = stream
        self.connection = connection
        self.server = server
    }
}

/// A monotonic clock reading in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}
