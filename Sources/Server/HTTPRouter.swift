/// A route handler: gets the request, returns the response. Called on a server thread.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// Maps method + path to handlers. Exact routes win over prefix routes; among
/// prefix routes the longest prefix wins. A `GET` route also answers `HEAD`.
public struct HTTPRouter: Sendable {
    /// A registered route.
    public struct Route: Sendable {
        /// The method, upper case.
        public let method: String
        /// The exact path, or the prefix for a prefix route.
        public let path: String
        public let isPrefix: Bool
        /// The name used for metrics (`handler` label).
        public let name: String
        /// Runs on a background queue while the connection waits, so slow work
        /// (rendering, searching) does not hold one of libmicrohttpd's few threads.
        public let runsInBackground: Bool
        public let handler: HTTPHandler
    }

    /// The outcome of a lookup.
    public enum Match: Sendable {
        case found(Route)
        /// The path exists for other methods; `allowed` lists them for the `Allow` header.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private var exactRoutes: [String: [Route]] = [:]
    private var prefixRoutes: [Route] = []

    public init() {}

    /// Adds a route for `method` on exactly `path`.
    public mutating func add(_ method: String, _ path: String, name: String? = nil, runsInBackground: Bool = false,
                             handler: @escaping HTTPHandler) {
        let route = Route(method: method.uppercased(), path: path, isPrefix: false, name: name ?? path,
                          runsInBackground: runsInBackground, handler: handler)
        exactRoutes[path, default: []].removeAll { $0.method == route.method }
        exactRoutes[path, default: []].append(route)
    }

    /// Adds a route for `method` on every path starting with `prefix`.
    public mutating func addPrefix(_ method: String, _ prefix: String, name: String? = nil, runsInBackground: Bool = false,
                                   handler: @escaping HTTPHandler) {
        let route = Route(method: method.uppercased(), path: prefix, isPrefix: true, name: name ?? prefix,
                          runsInBackground: runsInBackground, handler: handler)
        prefixRoutes.removeAll { $0.path == prefix && $0.method == route.method }
        prefixRoutes.append(route)
        prefixRoutes.sort { $0.path.utf8.count > $1.path.utf8.count }
    }

    /// `GET` on an exact path.
    public mutating func get(_ path: String, name: String? = nil, runsInBackground: Bool = false,
                             handler: @escaping HTTPHandler) {
        add("GET", path, name: name, runsInBackground: runsInBackground, handler: handler)
    }

    /// `POST` on an exact path.
    public mutating func post(_ path: String, name: String? = nil, runsInBackground: Bool = false,
                              handler: @escaping HTTPHandler) {
        add("POST", path, name: name, runsInBackground: runsInBackground, handler: handler)
    }

    /// Finds the handler for `method` and decoded `path`.
    public func match(method: String, path: String) -> Match {
        if let candidates = exactRoutes[path] {
            return pick(method: method, from: candidates)
        }
        var samePrefix: [Route] = []
        for route in prefixRoutes where path.hasPrefix(route.path) {
            if let first = samePrefix.first, first.path != route.path { break }
            samePrefix.append(route)
        }
        return samePrefix.isEmpty ? .notFound : pick(method: method, from: samePrefix)
    }

    private func pick(method: String, from candidates: [Route]) -> Match {
        if let route = candidates.first(where: { $0.method == method }) { return .found(route) }
        if method == "HEAD", let route = candidates.first(where: { $0.method == "GET" }) { return .found(route) }
        var allowed = candidates.map(\.method)
        if allowed.contains("GET") { allowed.append("HEAD") }
        return .methodNotAllowed(allowed: allowed)
    }
}
