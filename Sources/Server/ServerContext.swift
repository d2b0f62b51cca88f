import CMicroHTTPD
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

    init(router: HTTPRouter, configuration: HTTPServerConfiguration, tokenPolicy: BearerTokenPolicy) {
        self.router = Mutex(router)
        self.configuration = configuration
        self.tokenPolicy = tokenPolicy
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
            if let declared = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length"),
               let length = Int(String(cString: declared).trimmingSpaces()), length > configuration.maxBodyBytes {
                state.bodyTooLarge = true
                state.responded = true
                return answer(.error(413, "the body exceeds \(configuration.maxBodyBytes) bytes"),
                              handler: "too_large", method: String(cString: method), state: state, connection: connection)
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
        if state.responded { return .YES }
        state.responded = true
        let methodName = String(cString: method)
        if state.bodyTooLarge {
            return answer(.error(413, "the body exceeds \(configuration.maxBodyBytes) bytes"),
                          handler: "too_large", method: methodName, state: state, connection: connection)
        }
        let rawURL = String(cString: url)
        guard let path = PercentDecoding.decode(rawURL), !path.utf8.contains(0), rawURL.hasPrefix("/") || rawURL == "*" else {
            return answer(.error(400, "malformed path"), handler: "bad_request", method: methodName,
                          state: state, connection: connection)
        }
        guard Self.knownMethods.contains(methodName) else {
            var response = HTTPResponse.error(405, "unknown method")
            response.headers.set("Allow", "GET, HEAD, POST")
            return answer(response, handler: "method_not_allowed", method: methodName, state: state, connection: connection)
        }
        let request = HTTPRequest(
            method: methodName, path: path, rawPath: rawURL,
            queryItems: Self.queryItems(of: connection), headers: Self.headers(of: connection),
            body: state.body, peerAddress: Self.peerAddress(of: connection),
            version: version.map { String(cString: $0) } ?? "HTTP/1.1")
        state.body = []
        let (response, handlerName) = dispatch(request)
        return answer(response, handler: handlerName, method: methodName, state: state, connection: connection)
    }

    /// Routes the request, applying the token policy; returns the response and the route name.
    func dispatch(_ request: HTTPRequest) -> (HTTPResponse, String) {
        let match = router.withLock { $0.match(method: request.method, path: request.path) }
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

    private func answer(_ response: HTTPResponse, handler: String, method: String, state: RequestState,
                        connection: OpaquePointer?) -> MHD_Result {
        let result = queue(response, on: connection)
        if let hook = configuration.onRequestCompleted {
            let seconds = Double(monotonicNanoseconds() &- state.startNanoseconds) / 1e9
            hook(HTTPRequestRecord(handler: handler, method: method, status: response.status, seconds: seconds))
        }
        return result
    }

    /// Hands the response to libmicrohttpd (bytes are copied; streams get a content reader).
    private func queue(_ response: HTTPResponse, on connection: OpaquePointer?) -> MHD_Result {
        let mhdResponse: OpaquePointer?
        switch response.body {
        case .bytes(let bytes):
            mhdResponse = bytes.withUnsafeBytes { raw in
                MHD_create_response_from_buffer(raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress),
                                                .RESPMEM_MUST_COPY)
            }
        case .stream(let stream):
            if isStopping.load(ordering: .acquiring) { stream.finish() }
            liveStreams.insert(stream)
            // Parked (suspended) streams never time out; this only ends ones stalled on a full socket.
            unjucksd_mhd_set_connection_timeout(connection, UInt32(configuration.streamStallTimeoutSeconds))
            let callbackContext = StreamCallbackContext(stream: stream, connection: connection, registry: liveStreams)
            mhdResponse = MHD_create_response_from_callback(
                UInt64.max, 4096, streamReaderCallback,
                Unmanaged.passRetained(callbackContext).toOpaque(), streamFreeCallback)
        }
        guard let mhdResponse else { return .NO }
        for field in response.headers {
            MHD_add_response_header(mhdResponse, field.name, field.value)
        }
        let result = MHD_queue_response(connection, UInt32(response.status), mhdResponse)
        MHD_destroy_response(mhdResponse)
        return result
    }

    static func headers(of connection: OpaquePointer?) -> HTTPHeaders {
        var pairs: [(String, String)] = []
        withUnsafeMutablePointer(to: &pairs) { pointer in
            _ = MHD_get_connection_values(connection, .HEADER_KIND, headerIteratorCallback, pointer)
        }
        return HTTPHeaders(pairs)
    }

    /// Query arguments arrive raw (see the identity unescape in shim.h, `+` already made a space).
    static func queryItems(of connection: OpaquePointer?) -> [HTTPRequest.QueryItem] {
        var pairs: [(String, String)] = []
        withUnsafeMutablePointer(to: &pairs) { pointer in
            _ = MHD_get_connection_values(connection, .GET_ARGUMENT_KIND, headerIteratorCallback, pointer)
        }
        return pairs.map { name, value in
            HTTPRequest.QueryItem(name: PercentDecoding.decode(name) ?? name,
                                  value: PercentDecoding.decode(value) ?? value)
        }
    }

    static func peerAddress(of connection: OpaquePointer?) -> String {
        guard let address = unjucksd_mhd_client_address(connection) else { return "" }
        return SocketAddress.text(of: address)
    }
}
