/// One HTTP request as handed to a route handler.
public struct HTTPRequest: Sendable {
    /// One `name=value` pair of the query string (already percent-decoded).
    public struct QueryItem: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The request method as sent (`GET`, `POST`, ...).
    public let method: String
    /// The percent-decoded path, without the query string.
    public let path: String
    /// The path exactly as sent, without the query string.
    public let rawPath: String
    /// Query parameters in order, decoded.
    public let queryItems: [QueryItem]
    /// Request header fields.
    public let headers: HTTPHeaders
    /// The request body (empty for GET and HEAD).
    public let body: [UInt8]
    /// The client's IP address as text (`127.0.0.1`, `::1`), or empty when unknown.
    public let peerAddress: String
    /// The HTTP version string, e.g. `HTTP/1.1`.
    public let version: String

    public init(method: String, path: String, rawPath: String, queryItems: [QueryItem] = [],
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], peerAddress: String = "",
                version: String = "HTTP/1.1") {
        self.method = method
        self.path = path
        self.rawPath = rawPath
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
        self.peerAddress = peerAddress
        self.version = version
    }

    /// The first value of query parameter `name`.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The query string rebuilt from the raw items, with a leading `?`, or empty.
    var rawQuerySuffix: String {
        guard !queryItems.isEmpty else { return "" }
        return "?" + queryItems.map { item in
            item.value.isEmpty ? Self.encodeQuery(item.name)
                : Self.encodeQuery(item.name) + "=" + Self.encodeQuery(item.value)
        }.joined(separator: "&")
    }

    private static func encodeQuery(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
