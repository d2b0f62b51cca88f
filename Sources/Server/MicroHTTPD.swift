import CMicroHTTPD

/// libmicrohttpd's entry points, looked up when the first server starts
/// (see `unjucksd_mhd_load` in the shim for why it is not linked). Every
/// other use follows a successful `HTTPServer.start()`.
enum MicroHTTPD {
    /// The loaded table, or why loading failed; looked up once.
    nonisolated(unsafe) private static let loaded: Result<UnsafePointer<unjucksd_mhd_api>, HTTPServerError> = {
        let table = UnsafeMutablePointer<unjucksd_mhd_api>.allocate(capacity: 1)
        table.initialize(to: unjucksd_mhd_api())
        if let reason = unjucksd_mhd_load(table) {
            return .failure(.libraryUnavailable(String(cString: reason)))
        }
        return .success(UnsafePointer(table))
    }()

    /// Loads the library if that has not been done; throws when it cannot be.
    static func load() throws(HTTPServerError) -> UnsafePointer<unjucksd_mhd_api> {
        try loaded.get()
    }

    /// The table, for calls made once a server runs.
    static var api: UnsafePointer<unjucksd_mhd_api> {
        guard case .success(let table) = loaded else { preconditionFailure("libmicrohttpd used before a server started") }
        return table
    }

    /// The entry points themselves (`MicroHTTPD.functions.queue_response!(...)`).
    static var functions: unjucksd_mhd_api { api.pointee }
}
