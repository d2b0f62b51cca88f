import CMicroHTTPD
import Synchronization

/// A response body written over time (Server-Sent Events).
///
/// Writers never block: bytes go to a bounded buffer; a writer that would
/// overflow it closes the stream instead (the slow client is dropped). When the
/// buffer is empty the server suspends the connection, and the next write resumes it.
public final class HTTPStreamBody: Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var readOffset = 0
        var finished = false
        var failed = false
        var detached = false
        /// The address of the connection while libmicrohttpd has it suspended waiting
        /// for bytes (kept as an integer: raw pointers are not `Sendable`).
        var suspendedConnection: Int?
        /// A resume was requested and the reader has not run since: libmicrohttpd still counts it as suspended.
        var resumePending = false
        var closeHandlers: [@Sendable () -> Void] = []
    }

    /// Most bytes buffered for a client before it is considered too slow and dropped.
    public let maxBufferedBytes: Int
    private let state = Mutex(State())

    public init(maxBufferedBytes: Int = 256 * 1024) {
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// Queues bytes for the client. Returns `false` (and writes nothing) once the
    /// stream is closed; a write that would overflow the buffer drops the client.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Int?) in
            guard !state.finished, !state.failed, !state.detached else { return (false, nil) }
            if state.buffer.count - state.readOffset + bytes.count > maxBufferedBytes {
                state.failed = true
                state.buffer = []
                state.readOffset = 0
            } else {
                state.buffer.append(contentsOf: bytes)
            }
            let wake = state.suspendedConnection
            if wake != nil { state.resumePending = true }
            state.suspendedConnection = nil
            return (!state.failed, wake)
        }
        if let wake { MicroHTTPD.functions.resume_connection!(OpaquePointer(bitPattern: wake)) }
        return accepted
    }

    /// Queues UTF-8 text.
    @discardableResult
    public func write(_ text: String) -> Bool {
        write(Array(text.utf8))
    }

    /// Ends the response once the buffered bytes are sent.
    public func finish() {
        close(failing: false)
    }

    /// Drops the client now, discarding buffered bytes.
    public func abort() {
        close(failing: true)
    }

    private func close(failing: Bool) {
        let wake = state.withLock { state -> Int? in
            if failing { state.failed = true } else { state.finished = true }
            let wake = state.suspendedConnection
            if wake != nil { state.resumePending = true }
            state.suspendedConnection = nil
            return wake
        }
        if let wake { MicroHTTPD.functions.resume_connection!(OpaquePointer(bitPattern: wake)) }
    }

    /// `true` once finished, aborted or the client went away.
    public var isClosed: Bool {
        state.withLock { $0.finished || $0.failed || $0.detached }
    }

    /// `true` while libmicrohttpd holds the connection suspended or has not yet processed its resume;
    /// the daemon must not be stopped then.
    var isSuspendedOrResuming: Bool {
        state.withLock { !$0.detached && ($0.suspendedConnection != nil || $0.resumePending) }
    }

    /// Runs `handler` once when the server lets go of the stream (client gone,
    /// stream ended, server stopped); at once if that already happened.
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.detached { return true }
            state.closeHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    /// Called by libmicrohttpd's content reader on a server thread: copies
    /// buffered bytes, or suspends `connection` until the next write.
    func read(into destination: UnsafeMutablePointer<CChar>, capacity: Int, connection: OpaquePointer?) -> Int {
        state.withLock { state -> Int in
            state.resumePending = false
            // An aborted stream ends like a finished one (the SSE response says
            // `Connection: close`); an error code would only add a log line per client.
            if state.failed { return StreamReaderResult.endOfStream }
            let available = state.buffer.count - state.readOffset
            if available > 0 {
                let count = min(available, capacity)
                state.buffer.withUnsafeBytes { raw in
                    UnsafeMutableRawPointer(destination).copyMemory(
                        from: raw.baseAddress! + state.readOffset, byteCount: count)
                }
                state.readOffset += count
                if state.readOffset == state.buffer.count {
                    state.buffer.removeAll(keepingCapacity: true)
                    state.readOffset = 0
                }
                return count
            }
            if state.finished { return StreamReaderResult.endOfStream }
            guard let connection else { return 0 }
            let address = Int(bitPattern: connection)
            // Suspend under the lock so a concurrent write either sees the
            // suspension (and resumes it) or ran before (and we saw its bytes).
            state.suspendedConnection = address
            MicroHTTPD.functions.suspend_connection!(OpaquePointer(bitPattern: address))
            return 0
        }
    }

    /// Called when libmicrohttpd frees the response: the client is gone or the response ended.
    func detach() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            state.detached = true
            state.suspendedConnection = nil
            state.resumePending = false
            state.buffer = []
            let handlers = state.closeHandlers
            state.closeHandlers = []
            return handlers
        }
        for handler in handlers { handler() }
    }
}

/// libmicrohttpd's content-reader return codes (`MHD_CONTENT_READER_END_*`, macros with casts that do not import).
enum StreamReaderResult {
    static let endOfStream = -1
    static let endWithError = -2
}
