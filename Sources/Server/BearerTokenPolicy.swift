/// Decides whether a request may mutate state: when the server listens beyond
/// loopback, `POST`/`PUT`/`PATCH`/`DELETE` need `Authorization: Bearer TOKEN`.
public struct BearerTokenPolicy: Sendable {
    /// The expected token; with none configured, mutating requests are refused when a token is required.
    public let token: String?
    /// Whether mutating requests must carry the token.
    public let isRequired: Bool

    public init(token: String?, isRequired: Bool) {
        self.token = token
        self.isRequired = isRequired
    }

    /// Requires the token exactly when `host` is not a loopback address.
    public init(token: String?, boundHost host: String) {
        self.init(token: token, isRequired: !Self.isLoopback(host: host))
    }

    /// Methods that change state.
    public static let mutatingMethods: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]

    /// `true` for `localhost`, `127.0.0.0/8` and `::1`.
    public static func isLoopback(host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// `nil` when the request may proceed, else the 401 response to send.
    public func check(_ request: HTTPRequest) -> HTTPResponse? {
        guard isRequired, Self.mutatingMethods.contains(request.method) else { return nil }
        if let token, let presented = Self.bearerToken(in: request.headers["Authorization"]),
           Self.constantTimeEqual(presented, token) {
            return nil
        }
        var response = HTTPResponse.error(401, "this endpoint needs Authorization: Bearer TOKEN")
        response.headers.set("WWW-Authenticate", "Bearer")
        return response
    }

    /// The token of an `Authorization: Bearer ...` header (scheme matched case-insensitively).
    static func bearerToken(in header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, HTTPHeaders.namesEqual(String(parts[0]), "Bearer") else { return nil }
        return String(parts[1]).trimmingSpaces()
    }

    /// Compares without an early exit, so timing does not reveal how much of a guess matched.
    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

extension String {
    func trimmingSpaces() -> String {
        var slice = self[...]
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
