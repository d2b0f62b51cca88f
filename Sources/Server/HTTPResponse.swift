/// What a handler answers: a status, headers and either bytes or a stream.
public struct HTTPResponse: Sendable {
    /// The response body.
    public enum Body: Sendable {
        /// A complete body, copied to libmicrohttpd when queued.
        case bytes([UInt8])
        /// A body produced over time (Server-Sent Events); ends when the stream finishes.
        case stream(HTTPStreamBody)
        /// An open file sent by the kernel (sendfile) without loading it into memory.
        case file(OpenFile)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a byte body and a content type.
    public init(status: Int = 200, contentType: String, bytes: [UInt8], headers: HTTPHeaders = HTTPHeaders()) {
        var headers = headers
        headers.set("Content-Type", contentType)
        self.init(status: status, headers: headers, body: .bytes(bytes))
    }

    /// `text/plain` in UTF-8.
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", bytes: Array(text.utf8))
    }

    /// `text/html` in UTF-8.
    public static func html(_ html: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", bytes: Array(html.utf8))
    }

    /// `application/json` from already-encoded JSON text.
    public static func json(_ json: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", bytes: Array(json.utf8))
    }

    /// A redirect (301 by default) to `location`.
    public static func redirect(to location: String, status: Int = 301) -> HTTPResponse {
        var response = HTTPResponse.text("Moved to \(location)\n", status: status)
        response.headers.set("Location", location)
        return response
    }

    /// A short plain-text error page: `404 Not Found` and an optional detail.
    public static func error(_ status: Int, _ detail: String = "") -> HTTPResponse {
        let reason = HTTPStatusReason.phrase(for: status)
        return .text(detail.isEmpty ? "\(status) \(reason)\n" : "\(status) \(reason): \(detail)\n", status: status)
    }

    /// The body bytes, or empty for a stream.
    public var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}

/// Reason phrases for the status codes this server produces.
public enum HTTPStatusReason {
    public static func phrase(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}
