import Cache
import Foundation
import Site
import Synchronization

/// The state one build leaves for the next, per site, in the cache database
/// (one SQLite file, committed in one transaction per site build):
/// - `build_files`: stat and content hash of every input, so unchanged files
///   are not hashed again;
/// - `build_pages`: each page's key and its action (see `PageAction`);
/// - `build_outputs`: the manifest of files this build wrote, so stale ones
///   are removed and files it did not write are never touched.
public final class BuildState: Sendable {
    public let database: SQLiteDatabase
    /// The last committed snapshot of each site, kept so that a long-lived
    /// process (the watch daemon) does not read and decode every row again
    /// for each rebuild. Always equal to what the tables hold.
    private let committed = Mutex<[String: SiteSnapshot]>([:])

    public struct FileRecord: Sendable, Equatable {
        public var stat: FileStat
        public var hash: ContentHash
        /// For pages: what collections depend on (front matter, and the mtime
        /// of undated pages); nil for other files.
        public var collectionKey: ContentHash?
    }

    public struct PageRecord: Sendable, Equatable {
        public var key: ContentHash
        public var action: PageAction
    }

    public struct OutputRecord: Sendable, Equatable {
        public var source: String
        public var hash: ContentHash
        public var size: Int64
        public var mtimeNanoseconds: Int64
    }

    /// Everything recorded for one site.
    public struct SiteSnapshot: Sendable {
        public var files = RecordMap<FileRecord>()
        public var pages = RecordMap<PageRecord>()
        public var outputs = RecordMap<OutputRecord>()
        /// The site's files in path order and by path, as the build that
        /// committed this snapshot saw them; kept in memory only (empty when
        /// loaded from the database), so a watcher-hinted rebuild updates
        /// them instead of rebuilding them from every record.
        public var fileList: [SiteFile] = []
        public var fileIndex: [String: SiteFile] = [:]
        public init() {}
    }

    public init(database: SQLiteDatabase) throws {
        self.database = database
        try database.write { connection in
            try connection.executeScript("""
            CREATE TABLE IF NOT EXISTS build_files(
                site TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                inode INTEGER NOT NULL, hash BLOB NOT NULL, collection_key BLOB,
                PRIMARY KEY(site, path)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS build_pages(
                site TEXT NOT NULL, path TEXT NOT NULL, key BLOB NOT NULL, action BLOB NOT NULL,
                PRIMARY KEY(site, path)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS build_runs(
                id INTEGER PRIMARY KEY, finished REAL NOT NULL, summary TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS build_outputs(
                site TEXT NOT NULL, output TEXT NOT NULL, source TEXT NOT NULL, hash BLOB NOT NULL,
                size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                PRIMARY KEY(site, output)) WITHOUT ROWID;
            """ + BuildState.fingerprintSchema + BuildState.pageSourcesSchema)
        }
    }

    /// Every record of `site`.
    public func load(site: String) throws -> SiteSnapshot {
        if let snapshot = committedSnapshot(site: site) { return snapshot }
        var snapshot = try loadFilesAndOutputs(site: site)
        snapshot.pages = try loadPages(site: site) ?? RecordMap()
        return snapshot
    }

    /// The snapshot the last commit of `site` kept in memory, its changes
    /// merged into its records once (so lookups stay single and changes do
    /// not pile up over a daemon's rebuilds).
    private func committedSnapshot(site: String) -> SiteSnapshot? {
        committed.withLock { snapshots in
            guard var snapshot = snapshots[site] else { return nil }
            snapshot.files = snapshot.files.compacted()
            snapshot.pages = snapshot.pages.compacted()
            snapshot.outputs = snapshot.outputs.compacted()
            snapshots[site] = snapshot
            return snapshot
        }
    }

    /// The records of `site` but its pages (see `loadPages`): the two
    /// halves can load on two threads.
    public func loadFilesAndOutputs(site: String) throws -> SiteSnapshot {
        if let snapshot = committedSnapshot(site: site) { return snapshot }
        return try database.read { connection in
            // Sized up front: growing dictionaries of thousands of rows
            // rehashes each several times.
            let rows = try connection.queryFirst("SELECT (SELECT COUNT(*) FROM build_files WHERE site = ?1), (SELECT COUNT(*) FROM build_outputs WHERE site = ?1)", [.text(site)])
            var files: [String: FileRecord] = [:]
            var outputs: [String: OutputRecord] = [:]
            files.reserveCapacity(Int(rows?[0].integer ?? 0))
            outputs.reserveCapacity(Int(rows?[1].integer ?? 0))
            try connection.forEachRow("SELECT path, size, mtime, inode, hash, collection_key FROM build_files WHERE site = ?", [.text(site)]) { (row: SQLiteCursor) in
                guard let hash = row.hash(4) else { return }
                let stat = FileStat(size: row.integer(1), mtimeNanoseconds: row.integer(2), inode: UInt64(bitPattern: row.integer(3)))
                files[row.text(0)] = FileRecord(stat: stat, hash: hash, collectionKey: row.hash(5))
            }
            try connection.forEachRow("SELECT output, source, hash, size, mtime FROM build_outputs WHERE site = ?", [.text(site)]) { (row: SQLiteCursor) in
                guard let hash = row.hash(2) else { return }
                outputs[row.text(0)] = OutputRecord(source: row.text(1), hash: hash, size: row.integer(3), mtimeNanoseconds: row.integer(4))
            }
            var snapshot = SiteSnapshot()
            snapshot.files = RecordMap(files)
            snapshot.outputs = RecordMap(outputs)
            return snapshot
        }
    }

    /// The page records of `site`; nil when `cancelled` was set before
    /// they were all read (a load started on the chance that it is needed).
    func loadPages(site: String, cancelled: CancellationFlag? = nil) throws -> RecordMap<PageRecord>? {
        if let snapshot = committedSnapshot(site: site) { return snapshot.pages }
        struct Cancelled: Error {}
        do {
            return try database.read { connection in
                // Checked before the first query too: it reads the whole table.
                if cancelled?.isRaised == true { throw Cancelled() }
                var pages: [String: PageRecord] = [:]
                let count = try connection.queryFirst("SELECT COUNT(*) FROM build_pages WHERE site = ?", [.text(site)])
                pages.reserveCapacity(Int(count?[0].integer ?? 0))
                let decoder = PageActionDecoder()
                try connection.forEachRow("SELECT path, key, action FROM build_pages WHERE site = ?", [.text(site)]) { (row: SQLiteCursor) in
                    if cancelled?.isRaised == true { throw Cancelled() }
                    guard let key = row.hash(1), let action = row.withBlob(2, { decoder.decode($0) }) else { return }
                    pages[row.text(0)] = PageRecord(key: key, action: action)
                }
                return RecordMap(pages)
            }
        } catch is Cancelled {
            return nil
        }
    }

    /// Keeps a one-line JSON summary of a finished build (the last 100), so
    /// `unjucksd cache stats` can show the hit ratios of the last build.
    public func recordRun(summary: String) {
        _ = try? database.transaction { connection in
            try connection.execute("INSERT INTO build_runs(finished, summary) VALUES (?, ?)", [.real(Date().timeIntervalSince1970), .text(summary)])
            try connection.execute("DELETE FROM build_runs WHERE id <= (SELECT MAX(id) FROM build_runs) - 100")
        }
    }

    /// The summary of the most recent build, if any.
    public func lastRun() -> String? {
        (try? database.read { try $0.queryFirst("SELECT summary FROM build_runs ORDER BY id DESC LIMIT 1") })??[0].text
    }

    /// A 32-byte blob column as a hash (nil for NULL or another length).
    static func hash(_ value: SQLiteValue) -> ContentHash? {
        guard case .blob(let bytes) = value, bytes.count == ContentHash.byteCount else { return nil }
        return bytes.withUnsafeBytes { ContentHash($0, at: 0) }
    }

    /// Page and output rows written ahead of the commit by `writeEarly`.
    public struct EarlyRows: Sendable {
        public var pages: Set<String> = []
        public var outputs: Set<String> = []
        public init() {}
    }

    /// Writes the records of pages just rendered, ahead of the commit, in
    /// the caller's transaction (the cache writer's, with the pages' blobs).
    /// Each row describes a page whose outputs are already on disk, so it is
    /// true whether or not the build gets to its commit; the commit then
    /// skips them (`early`).
    /// (`encodedAction`: the page's action as `PageAction.encoded()` made
    /// it for the cache, not encoded a second time.)
    public static func writeEarly(site: String, pages: [(path: String, key: ContentHash, encodedAction: [UInt8])],
                                  outputs: [(path: String, record: OutputRecord)], _ connection: SQLiteConnection) throws {
        for page in pages { try insert(page: page.key, encodedAction: page.encodedAction, at: page.path, site: site, connection) }
        for output in outputs { try insert(output: output.record, at: output.path, site: site, connection) }
    }

    static func insert(page key: ContentHash, encodedAction: [UInt8], at path: String, site: String, _ connection: SQLiteConnection) throws {
        try connection.execute("INSERT OR REPLACE INTO build_pages(site, path, key, action) VALUES (?, ?, ?, ?)",
                               [.text(site), .text(path), .blob(key.bytes), .blob(encodedAction)])
    }

    static func insert(output record: OutputRecord, at path: String, site: String, _ connection: SQLiteConnection) throws {
        try connection.execute(
            "INSERT OR REPLACE INTO build_outputs(site, output, source, hash, size, mtime) VALUES (?, ?, ?, ?, ?, ?)",
            [.text(site), .text(path), .text(record.source), .blob(record.hash.bytes), .integer(record.size), .integer(record.mtimeNanoseconds)])
    }

    /// Writes the difference between `old` and `new` in one transaction,
    /// with the fingerprint a later no-op build checks (if given). Rows in
    /// `early` were written already and still hold what `new` has.
    public func commit(site: String, old: SiteSnapshot, new: SiteSnapshot, fingerprint: Fingerprint? = nil,
                       early: EarlyRows? = nil, pageSources: PageSourceRows? = nil) throws {
        committed.withLock { $0[site] = nil }
        try database.transaction { connection in
            if let fingerprint { try BuildState.store(fingerprint, site: site, connection) }
            if let pageSources { try BuildState.write(pageSources, site: site, connection) }
            try BuildState.write(site: site, table: "build_files", old: old.files, new: new.files, connection) { path, record in
                try connection.execute(
                    "INSERT OR REPLACE INTO build_files(site, path, size, mtime, inode, hash, collection_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [.text(site), .text(path), .integer(record.stat.size), .integer(record.stat.mtimeNanoseconds),
                     .integer(Int64(bitPattern: record.stat.inode)), .blob(record.hash.bytes), record.collectionKey.map { .blob($0.bytes) } ?? .null])
            }
            try BuildState.write(site: site, table: "build_pages", old: old.pages, new: new.pages,
                                 skipping: early?.pages ?? [], connection) { path, record in
                try BuildState.insert(page: record.key, encodedAction: record.action.encoded(), at: path, site: site, connection)
            }
            try BuildState.write(site: site, table: "build_outputs", old: old.outputs, new: new.outputs,
                                 skipping: early?.outputs ?? [], connection) { output, record in
                try BuildState.insert(output: record, at: output, site: site, connection)
            }
        }
        committed.withLock { $0[site] = new }
    }

    /// Deletes the rows that are gone and writes those that changed, over
    /// the keys changed since `old` when `new` was made from it (a build
    /// that carried the last one's records over), else every key.
    private static func write<Record: Equatable>(site: String, table: String, old: RecordMap<Record>, new: RecordMap<Record>,
                                                 skipping early: Set<String> = [], _ connection: SQLiteConnection,
                                                 insert: (String, Record) throws -> Void) throws {
        let keyColumn = table == "build_outputs" ? "output" : "path"
        func sync(_ key: String) throws {
            let current = new[key]
            if current == nil {
                if old[key] != nil {
                    try connection.execute("DELETE FROM \(table) WHERE site = ? AND \(keyColumn) = ?", [.text(site), .text(key)])
                }
            } else if !early.contains(key), old[key] != current {
                try insert(key, current!)
            }
        }
        if let changed = new.changedKeys(since: old) {
            for key in changed { try sync(key) }
            return
        }
        for key in old.keys where new[key] == nil { try sync(key) }
        // By key: most were written early, and copying their records to
        // skip them cost more than the check.
        for key in new.keys where !early.contains(key) {
            if let record = new[key], old[key] != record { try insert(key, record) }
        }
    }
}
