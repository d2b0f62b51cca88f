import Foundation
import Synchronization

/// The persistent tier: encoded values in SQLite tables.
///
/// `cache_blobs` holds output blobs, `cache_actions` holds actions (a key
/// mapped to a list of blob hashes) and `cache_action_outputs` indexes which
/// blobs each action references, so `gc` can find unreferenced blobs.
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
                CREATE TABLE IF NOT EXISTS cache_action_outputs(
                    action BLOB NOT NULL, blob BLOB NOT NULL, PRIMARY KEY(action, blob)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS cache_action_outputs_blob ON cache_action_outputs(blob);
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

    /// Stores an encoded action and the blob references it carries.
    func storeAction(_ key: ContentHash, encoded: [UInt8], outputs: [ContentHash]) throws {
        try storeActions([(key, encoded, outputs)])
    }

    /// Stores encoded actions and their blob references, in one
    /// transaction. References are only added: an action's key is the hash
    /// of its inputs, so its outputs do not change (and when a page does
    /// render differently from the same inputs, an extra reference only
    /// keeps a blob until the action itself is collected).
    func storeActions(_ actions: [(key: ContentHash, encoded: [UInt8], outputs: [ContentHash])]) throws {
        guard !actions.isEmpty else { return }
        let now = Self.now
        try database.transaction { connection in
            for action in actions {
                try connection.execute("INSERT OR REPLACE INTO cache_actions(key, value, last_used) VALUES (?, ?, ?)",
                                       [.hash(action.key), .blob(action.encoded), .integer(now)])
                for output in Set(action.outputs) {
                    try connection.execute("INSERT OR IGNORE INTO cache_action_outputs(action, blob) VALUES (?, ?)",
                                           [.hash(action.key), .hash(output)])
                }
            }
        }
    }

    func removeAction(_ key: ContentHash) throws {
        try database.transaction { connection in
            try connection.execute("DELETE FROM cache_actions WHERE key = ?", [.hash(key)])
            try connection.execute("DELETE FROM cache_action_outputs WHERE action = ?", [.hash(key)])
        }
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
    /// compacts the file.
    func gc(maxSize: Int) throws -> GarbageCollectionReport {
        try flushTouches()
        let fileBefore = database.fileSize
        var report = try database.transaction { connection -> GarbageCollectionReport in
            var report = GarbageCollectionReport()
            try connection.execute("""
                DELETE FROM cache_blobs WHERE NOT EXISTS
                    (SELECT 1 FROM cache_action_outputs WHERE blob = cache_blobs.hash)
                """)
            report.unreferencedBlobsRemoved = connection.changes
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
            try connection.execute("""
                DELETE FROM cache_actions WHERE key IN (SELECT action FROM cache_action_outputs AS o
                    WHERE NOT EXISTS (SELECT 1 FROM cache_blobs WHERE hash = o.blob))
                """)
            report.actionsRemoved = connection.changes
            try connection.execute("""
                DELETE FROM cache_action_outputs WHERE NOT EXISTS
                    (SELECT 1 FROM cache_actions WHERE key = cache_action_outputs.action)
                """)
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
            try connection.executeScript("DELETE FROM cache_blobs; DELETE FROM cache_actions; DELETE FROM cache_action_outputs;")
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
