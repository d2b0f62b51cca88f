import Synchronization

/// The streaming responses libmicrohttpd currently holds, so `stop()` can end
/// them (a suspended connection must be resumed before the daemon stops).
final class LiveStreamRegistry: Sendable {
    private let streams = Mutex<[ObjectIdentifier: HTTPStreamBody]>([:])

    func insert(_ stream: HTTPStreamBody) {
        streams.withLock { $0[ObjectIdentifier(stream)] = stream }
    }

    func remove(_ stream: HTTPStreamBody) {
        _ = streams.withLock { $0.removeValue(forKey: ObjectIdentifier(stream)) }
    }

    var count: Int { streams.withLock { $0.count } }

    /// Streams whose connection libmicrohttpd still has suspended (or not yet resumed).
    var suspendedCount: Int {
        let all = streams.withLock { Array($0.values) }
        return all.filter(\.isSuspendedOrResuming).count
    }

    /// Aborts every live stream, which resumes any suspended connection.
    func abortAll() {
        let all = streams.withLock { Array($0.values) }
        for stream in all { stream.abort() }
    }
}
