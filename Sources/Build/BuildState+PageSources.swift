import Cache
import Site

/// Parsed pages (front matter, without bodies) in their stored form (see
/// `PageSource.storedForm()`), each under the content hash of the file it
/// was parsed from: a build that has to render unchanged pages again (a
/// layout or data file edited) decodes them instead of parsing their YAML.
/// A row is only used for a file with that hash, parsed by the same engine
/// version; any other row is ignored, so one missing or stale is harmless.
extension BuildState {
    static let pageSourcesSchema = """
        CREATE TABLE IF NOT EXISTS build_page_sources(
            site TEXT NOT NULL, path TEXT NOT NULL, hash BLOB NOT NULL, engine TEXT NOT NULL, source BLOB NOT NULL,
            PRIMARY KEY(site, path)) WITHOUT ROWID;
        """

    /// The stored forms kept for `site` by `engine`, by path.
    public func loadPageSources(site: String, engine: String) -> [String: (hash: ContentHash, source: [UInt8])] {
        var sources: [String: (hash: ContentHash, source: [UInt8])] = [:]
        _ = try? database.read { connection in
            try connection.forEachRow("SELECT path, hash, source FROM build_page_sources WHERE site = ? AND engine = ?",
                                      [.text(site), .text(engine)]) { (row: SQLiteCursor) in
                guard let hash = row.hash(1) else { return }
                sources[row.text(0)] = (hash, row.withBlob(2) { [UInt8]($0) })
            }
        }
        return sources
    }

    /// Stored forms to write and paths whose forms go, for one site.
    public struct PageSourceRows: Sendable {
        public var engine: String
        public var sources: [(path: String, hash: ContentHash, source: [UInt8])] = []
        public var removed: [String] = []
        public var isEmpty: Bool { sources.isEmpty && removed.isEmpty }
    }

    /// Stores the given forms and deletes the rows of removed paths, in
    /// one transaction.
    public func storePageSources(site: String, _ rows: PageSourceRows) throws {
        guard !rows.isEmpty else { return }
        try database.transaction { try BuildState.write(rows, site: site, $0) }
    }

    static func write(_ rows: PageSourceRows, site: String, _ connection: SQLiteConnection) throws {
        for path in rows.removed {
            try connection.execute("DELETE FROM build_page_sources WHERE site = ? AND path = ?", [.text(site), .text(path)])
        }
        for entry in rows.sources {
            try connection.execute(
                "INSERT OR REPLACE INTO build_page_sources(site, path, hash, engine, source) VALUES (?, ?, ?, ?, ?)",
                [.text(site), .text(entry.path), .blob(entry.hash.bytes), .text(rows.engine), .blob(entry.source)])
        }
    }
}
