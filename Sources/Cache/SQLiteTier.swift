import Foundation
import Synchronization

/// The persistent tier: encoded values in SQLite tables.
///
/// `cache_blobs` holds output blobs and `cache_actions` holds actions (a key
/// mapped to the list of blob hashes it references). `gc` reads the
/// references from the actions themselves: a table indexing them (as there
/// was) cost two more b-tree inserts at random places per rendered page,
/// 5% of a cold build, for the benefit of a rare command.
/// Reads record "last used" times in memory and write them in batches, so a
/// hit does not cost a write transaction.
final class SQLiteTier: Sendable {
    let database: SQLiteDatabase
    private let pendingTouches = Mutex<Set<ContentHash>>([])
    private static let touchBatch = 512

    init(database: SQLiteDatabase) throws {
        self.database = database
        try database.write { connection in
            try connection.executeScript("""
                CREATE TABLE IF NOT EXISTS cache_blobs(
                    hash BLOB PRIMARY KEY, bytes BLOB NOT NULL,
                    size INTEGER NOT NULL, last_used INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS cache_blobs_last_used ON cache_blobs(last_used);
                CREATE TABLE IF NOT EXISTS cache_actions(
                    key BLOB PRIMARY KEY, value BLOB NOT NULL, last_used INTEGER NOT NULL);
                DROP TABLE IF EXISTS cache_action_outputs;
                """)
        }
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: Blobs

    /// The encoded value stored under `key`, if any.
    func load(_ key: ContentHash) throws -> [UInt8]? {
        let row = try database.read { try $0.queryFirst("SELECT bytes FROM cache_blobs WHERE hash = ?", [.hash(key)]) }
        guard let bytes = row?[0].blob else { return nil }
        touch(key)
        return bytes
    }

    /// Stores encoded values, all in one transaction.
    func store(_ entries: [(key: ContentHash, encoded: [UInt8])]) throws {
        guard !entries.isEmpty else { return }
        let now = Self.now
        try database.transaction { connection in
            for entry in entries {
                try connection.execute(
                    "INSERT OR REPLACE INTO cache_blobs(hash, bytes, size, last_used) VALUES (?, ?, ?, ?)",
                    [.hash(entry.key), .blob(entry.encoded), .int(entry.encoded.count), .integer(now)])
            }
        }
    }

    func remove(_ key: ContentHash) throws {
        try database.write { try $0.execute("DELETE FROM cache_blobs WHERE hash = ?", [.hash(key)]) }
    }

    // MARK: Actions

    func loadAction(_ key: ContentHash) throws -> [UInt8]? {
        try database.read { try $0.queryFirst("SELECT value FROM cache_actions WHERE key = ?", [.hash(key)]) }?[0].blob
    }

    /// Stores an encoded action (its value lists the blobs it references).
    func storeAction(_ key: ContentHash, encoded: [UInt8]) throws {
        try storeActions([(key, encoded)])
    }

    /// Stores encoded actions in one transaction.
    func storeActions(_ actions: [(key: ContentHash, encoded: [UInt8])]) throws {
        guard !actions.isEmpty else { return }
        let now = Self.now
        try database.transaction { connection in
            for action in actions {
                try connection.execute("INSERT OR REPLACE INTO cache_actions(key, value, last_used) VALUES (?, ?, ?)",
                                       [.hash(action.key), .blob(action.encoded), .integer(now)])
            }
        }
    }

    func removeAction(_ key: ContentHash) throws {
        try database.write { try $0.execute("DELETE FROM cache_actions WHERE key = ?", [.hash(key)]) }
    }

    // MARK: Recency

    /// Notes that `key` was read; written with the next batch.
    func touch(_ key: ContentHash) {
        let due = pendingTouches.withLock { pending in
            pending.insert(key)
            return pending.count >= Self.touchBatch
        }
        if due { try? flushTouches() }
    }

    /// Writes pending "last used" times.
    func flushTouches() throws {
        let keys = pendingTouches.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        guard !keys.isEmpty else { return }
        let now = Self.now
        try database.transaction { connection in
            for key in keys {
                try connection.execute("UPDATE cache_blobs SET last_used = ? WHERE hash = ?", [.integer(now), .hash(key)])
            }
        }
    }

    // MARK: Maintenance

    /// Number of blobs and their total stored size.
    func usage() throws -> (entries: Int, bytes: Int) {
        let row = try database.read { try $0.queryFirst("SELECT count(*), total(size) FROM cache_blobs") }
        return (Int(row?[0].integer ?? 0), Int(row?[1].real ?? 0))
    }

    /// Deletes unreferenced blobs, then least recently used blobs until the
    /// rest fit in `maxSize` bytes, then actions that lost a blob; finally
    /// compacts the file. `references` reads an action's stored value (nil:
    /// unreadable, and the action is deleted).
    func gc(maxSize: Int, references: (ContentHash, [UInt8]) -> [ContentHash]?) throws -> GarbageCollectionReport {
        try flushTouches()
        let fileBefore = database.fileSize
        var report = try database.transaction { connection -> GarbageCollectionReport in
            var report = GarbageCollectionReport()
            var actions: [(key: [UInt8], blobs: [ContentHash])] = []
            var unreadable: [[UInt8]] = []
            try connection.forEachRow("SELECT key, value FROM cache_actions") { row in
                guard let keyBytes = row[0].blob, let key = ContentHash(bytes: keyBytes) else { return }
                if let value = row[1].blob, let blobs = references(key, value) {
                    actions.append((keyBytes, blobs))
                } else {
                    unreadable.append(keyBytes)
                }
            }
            for key in unreadable { try connection.execute("DELETE FROM cache_actions WHERE key = ?", [.blob(key)]) }
            // The referenced hashes, in a temporary table to delete the rest in
            // one statement (created and dropped within this transaction).
            try connection.executeScript("CREATE TEMP TABLE gc_referenced(hash BLOB PRIMARY KEY) WITHOUT ROWID")
            for hash in Set(actions.flatMap(\.blobs)) {
                try connection.execute("INSERT INTO temp.gc_referenced(hash) VALUES (?)", [.hash(hash)])
            }
            try connection.execute("DELETE FROM cache_blobs WHERE hash NOT IN (SELECT hash FROM temp.gc_referenced)")
            report.unreferencedBlobsRemoved = connection.changes
            try connection.execute("DROP TABLE temp.gc_referenced")
            let total = Int(try connection.queryFirst("SELECT total(size) FROM cache_blobs")?[0].real ?? 0)
            var excess = total - maxSize
            if excess > 0 {
                var victims: [[UInt8]] = []
                try connection.forEachRow("SELECT hash, size FROM cache_blobs ORDER BY last_used ASC, size DESC") { row in
                    guard excess > 0, let hash = row[0].blob else { return }
                    victims.append(hash)
                    excess -= Int(row[1].integer ?? 0)
                }
                for hash in victims {
                    try connection.execute("DELETE FROM cache_blobs WHERE hash = ?", [.blob(hash)])
                }
                report.leastRecentlyUsedBlobsRemoved = victims.count
            }
            // Actions missing a blob can no longer be replayed.
            var present = Set<ContentHash>()
            try connection.forEachRow("SELECT hash FROM cache_blobs") { row in
                if let bytes = row[0].blob, let hash = ContentHash(bytes: bytes) { present.insert(hash) }
            }
            for action in actions where !action.blobs.allSatisfy(present.contains) {
                try connection.execute("DELETE FROM cache_actions WHERE key = ?", [.blob(action.key)])
                report.actionsRemoved += 1
            }
            return report
        }
        try database.compact()
        report.fileBytesBefore = fileBefore
        report.fileBytesAfter = database.fileSize
        let usage = try usage()
        report.remainingBlobs = usage.entries
        report.remainingBytes = usage.bytes
        return report
    }

    /// Deletes every blob and action, then compacts the file.
    func clear() throws {
        pendingTouches.withLock { $0.removeAll() }
        try database.transaction { connection in
            try connection.executeScript("DELETE FROM cache_blobs; DELETE FROM cache_actions;")
        }
        try database.compact()
    }
}

/// What `Cache.gc(maxSize:)` did.
public struct GarbageCollectionReport: Sendable, Equatable {
    /// Blobs deleted because no action referenced them.
    public var unreferencedBlobsRemoved = 0
    /// Blobs deleted, least recently used first, to get under the max size.
    public var leastRecentlyUsedBlobsRemoved = 0
    /// Actions deleted because one of their blobs was deleted.
    public var actionsRemoved = 0
    /// Blobs and stored bytes left.
    public var remainingBlobs = 0
    public var remainingBytes = 0
    /// Database file (+ WAL) size before and after, in bytes.
    public var fileBytesBefore = 0
    public var fileBytesAfter = 0

    public init() {}
}

extension SQLiteTier {
    /// Which of `keys` have a stored blob (checked in batches of 500).
    func existing(_ keys: [ContentHash]) throws -> Set<ContentHash> {
        var found = Set<ContentHash>()
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + 500, keys.count)]
            start += batch.count
            let placeholders = Array(repeating: "?", count: batch.count).joined(separator: ",")
            let rows = try database.read {
                try $0.query("SELECT hash FROM cache_blobs WHERE hash IN (\(placeholders))", batch.map { .hash($0) })
            }
            for row in rows {
                if let bytes = row[0].blob, let hash = ContentHash(bytes: bytes) { found.insert(hash) }
            }
        }
        return found
    }
}
