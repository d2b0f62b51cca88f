import CMicroHTTPD
import Metrics
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Everything the C callbacks need, passed to libmicrohttpd as its userdata pointer.
final class ServerContext: Sendable {
    let router: Mutex<HTTPRouter>
    let configuration: HTTPServerConfiguration
    let tokenPolicy: BearerTokenPolicy
    let liveStreams = LiveStreamRegistry()
    let isStopping = Atomic<Bool>(false)
    /// Requests whose handler runs on ``backgroundWorkers`` (their connections are suspended).
    let backgroundRequests = Atomic<Int>(0)
    let backgroundWorkers: BackgroundWorkers
    /// One line per answered request at debug level (`UNJUCKSD_LOG_LEVEL=debug`).
    let accessLog = Logger(label: "unjucksd.http")

    init(router: HTTPRouter, configuration: HTTPServerConfiguration, tokenPolicy: BearerTokenPolicy) {
        self.router = Mutex(router)
        self.configuration = configuration
        self.tokenPolicy = tokenPolicy
        self.backgroundWorkers = BackgroundWorkers(threadCount: configuration.backgroundThreads)
    }

    /// Methods this server knows; anything else is answered 405.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// One call of libmicrohttpd's access handler. See the interop notes: the
    /// first call only records state; body chunks accumulate; the last call answers.
    func handleAccess(connection: OpaquePointer?, url: UnsafePointer<CChar>, method: UnsafePointer<CChar>,
                      version: UnsafePointer<CChar>?, uploadData: UnsafePointer<CChar>?,
                      uploadDataSize: UnsafeMutablePointer<Int>,
                      requestSlot: UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> MHD_Result {
        guard let slot = requestSlot.pointee else {
            let state = RequestState(startNanoseconds: monotonicNanoseconds())
            requestSlot.pointee = Unmanaged.passRetained(state).toOpaque()
            if let declared = MicroHTTPD.functions.lookup_connection_value!(connection, .HEADER_KIND, "Content-Length"),
               let length = Int(String(cString: declared).trimmingSpaces()), length > configuration.maxBodyBytes {
                state.bodyTooLarge = true
                state.responded = true
                return answer(.error(413, "the body exceeds \(configuration.maxBodyBytes) bytes"),
                              handler: "too_large", method: String(cString: method), url: url, state: state, connection: connection)
            }
            return .YES
        }
        let state = Unmanaged<RequestState>.fromOpaque(slot).takeUnretainedValue()
        let chunkSize = uploadDataSize.pointee
        if chunkSize > 0 {
            if !state.bodyTooLarge, let uploadData {
                if state.body.count + chunkSize > configuration.maxBodyBytes {
                    // libmicrohttpd only accepts a response once the body is read: drop the rest, answer 413 then.
                    state.bodyTooLarge = true
                    state.body = []
                } else {
                    uploadData.withMemoryRebound(to: UInt8.self, capacity: chunkSize) { bytes in
                        state.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: chunkSize))
                    }
                }
            }
            uploadDataSize.pointee = 0
            return .YES
        }
        let methodName = String(cString: method)
        if state.dispatchedToBackground {
            // Called again after the background handler resumed the connection.
            releaseBackgroundSlot(of: state)
            guard let result = state.backgroundResult.withLock({ $0.take() }) else { return .YES }
            return answer(result.response, handler: result.handler, method: methodName, url: url, state: state, connection: connection)
        }
        if state.responded { return .YES }
        state.responded = true
        if state.bodyTooLarge {
            return answer(.error(413, "the body exceeds \(configuration.maxBodyBytes) bytes"),
                          handler: "too_large", method: methodName, url: url, state: state, connection: connection)
        }
        let rawURL = String(cString: url)
        guard let path = PercentDecoding.decode(rawURL), !path.utf8.contains(0), rawURL.hasPrefix("/") || rawURL == "*" else {
            return answer(.error(400, "malformed path"), handler: "bad_request", method: methodName,
                          url: url, state: state, connection: connection)
        }
        guard Self.knownMethods.contains(methodName) else {
            var response = HTTPResponse.error(405, "unknown method")
            response.headers.set("Allow", "GET, HEAD, POST")
            return answer(response, handler: "method_not_allowed", method: methodName, url: url, state: state, connection: connection)
        }
        let request = HTTPRequest(
            method: methodName, path: path, rawPath: rawURL,
            queryItems: Self.queryItems(of: connection), headers: Self.headers(of: connection),
            body: state.body, peerAddress: Self.peerAddress(of: connection),
            version: version.map { String(cString: $0) } ?? "HTTP/1.1")
        state.body = []
        let match = router.withLock { $0.match(method: request.method, path: request.path) }
        if case .found(let route) = match, route.runsInBackground, tokenPolicy.check(request) == nil,
           !isStopping.load(ordering: .acquiring) {
            runInBackground(route, request: request, state: state, connection: connection)
            return .YES
        }
        let (response, handlerName) = respond(to: request, match: match)
        return answer(response, handler: handlerName, method: methodName, url: url, state: state, connection: connection)
    }

    /// Suspends the connection, runs the handler on a background worker, then
    /// resumes it; libmicrohttpd then calls the access handler again, which queues the answer.
    private func runInBackground(_ route: HTTPRouter.Route, request: HTTPRequest, state: RequestState,
                                 connection: OpaquePointer?) {
        state.dispatchedToBackground = true
        state.holdsBackgroundSlot = true
        backgroundRequests.add(1, ordering: .acquiringAndReleasing)
        MicroHTTPD.functions.suspend_connection!(connection)
        let address = Int(bitPattern: connection)
        backgroundWorkers.run {
            let response = route.handler(request)
            state.backgroundResult.withLock { $0 = (response, route.name) }
            MicroHTTPD.functions.resume_connection!(OpaquePointer(bitPattern: address))
        }
    }

    /// Counts a background request as finished once libmicrohttpd runs its connection again
    /// (or ends it): only then is the connection no longer suspended.
    func releaseBackgroundSlot(of state: RequestState) {
        guard state.holdsBackgroundSlot else { return }
        state.holdsBackgroundSlot = false
        backgroundRequests.subtract(1, ordering: .acquiringAndReleasing)
    }

    /// Runs the matched route (after the token policy); returns the response and the route name.
    private func respond(to request: HTTPRequest, match: HTTPRouter.Match) -> (HTTPResponse, String) {
        switch match {
        case .found(let route):
            if let refusal = tokenPolicy.check(request) { return (refusal, "unauthorized") }
            return (route.handler(request), route.name)
        case .methodNotAllowed(let allowed):
            var response = HTTPResponse.error(405)
            response.headers.set("Allow", allowed.joined(separator: ", "))
            return (response, "method_not_allowed")
        case .notFound:
            return (.error(404), "not_found")
        }
    }

    private func answer(_ response: HTTPResponse, handler: String, method: String, url: UnsafePointer<CChar>,
                        state: RequestState, connection: OpaquePointer?) -> MHD_Result {
        let result = queue(response, on: connection)
        let hook = configuration.onRequestCompleted
        let logs = accessLog.logLevel <= .debug
        if hook != nil || logs {
            let seconds = Double(monotonicNanoseconds() &- state.startNanoseconds) / 1e9
            hook?(HTTPRequestRecord(handler: handler, method: method, status: response.status, seconds: seconds))
            if logs {
                accessLog.debug("\(method) \(String(cString: url)) \(response.status)", metadata: [
                    "handler": "\(handler)", "ms": "\((seconds * 1e5).rounded() / 100)",
                    "peer": "\(Self.peerAddress(of: connection))",
                ])
            }
        }
        return result
    }

    /// Hands the response to libmicrohttpd (bytes are copied; streams get a content reader).
    private func queue(_ response: HTTPResponse, on connection: OpaquePointer?) -> MHD_Result {
        let mhdResponse: OpaquePointer?
        switch response.body {
        case .bytes(let bytes):
            mhdResponse = bytes.withUnsafeBytes { raw in
                MicroHTTPD.functions.create_response_from_buffer!(raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress),
                                                .RESPMEM_MUST_COPY)
            }
        case .file(let file):
            guard let fd = file.take() else { return .NO }
            // libmicrohttpd owns the descriptor from here and closes it with the response.
            mhdResponse = MicroHTTPD.functions.create_response_from_fd_at_offset64!(UInt64(file.size), Int32(fd), UInt64(file.offset))
            if mhdResponse == nil { close(fd) }
        case .stream(let stream):
            if isStopping.load(ordering: .acquiring) { stream.finish() }
            liveStreams.insert(stream)
            // Parked (suspended) streams never time out; this only ends ones stalled on a full socket.
            unjucksd_mhd_set_connection_timeout(MicroHTTPD.api, connection, UInt32(configuration.streamStallTimeoutSeconds))
            let callbackContext = StreamCallbackContext(stream: stream, connection: connection, server: self)
            mhdResponse = MicroHTTPD.functions.create_response_from_callback!(
                UInt64.max, 4096, streamReaderCallback,
                Unmanaged.passRetained(callbackContext).toOpaque(), streamFreeCallback)
        }
        guard let mhdResponse else { return .NO }
        for field in response.headers {
            _ = MicroHTTPD.functions.add_response_header!(mhdResponse, field.name, field.value)
        }
        let result = MicroHTTPD.functions.queue_response!(connection, UInt32(response.status), mhdResponse)
        MicroHTTPD.functions.destroy_response!(mhdResponse)
        return result
    }

    static func headers(of connection: OpaquePointer?) -> HTTPHeaders {
        var pairs: [(String, String)] = []
        withUnsafeMutablePointer(to: &pairs) { pointer in
            _ = MicroHTTPD.functions.get_connection_values!(connection, .HEADER_KIND, headerIteratorCallback, pointer)
        }
        return HTTPHeaders(pairs)
    }

    /// Query arguments arrive raw (see the identity unescape in shim.h, `+` already made a space).
    static func queryItems(of connection: OpaquePointer?) -> [HTTPRequest.QueryItem] {
        var pairs: [(String, String)] = []
        withUnsafeMutablePointer(to: &pairs) { pointer in
            _ = MicroHTTPD.functions.get_connection_values!(connection, .GET_ARGUMENT_KIND, headerIteratorCallback, pointer)
        }
        return pairs.map { name, value in
            HTTPRequest.QueryItem(name: PercentDecoding.decode(name) ?? name,
                                  value: PercentDecoding.decode(value) ?? value)
        }
    }

    static func peerAddress(of connection: OpaquePointer?) -> String {
        guard let address = unjucksd_mhd_client_address(MicroHTTPD.api, connection) else { return "" }
        return SocketAddress.text(of: address)
    }
}
