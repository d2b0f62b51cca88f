import CSQLite
import Foundation
import Synchronization

/// An SQLite database shared by threads: one writer connection and a small
/// pool of reader connections, each handed to one caller at a time.
///
/// Files are opened in WAL mode with `synchronous=NORMAL`, so readers never
/// wait for the writer and commits do not fsync. The Cache keeps its blob and
/// action tables here; Build keeps its own state tables in the same file.
public final class SQLiteDatabase: Sendable {
    /// Where the database lives: a file path, or `nil` for process memory.
    public let path: String?

    private let writer: ConnectionSlot
    private let readers: [ConnectionSlot]
    private let nextReader = Atomic<Int>(0)

    /// Opens (creating if needed, with parent directories) the database at
    /// `path`, or a private in-memory database when `path` is `nil`.
    /// Failures name the file (e.g. "file is not a database: PATH").
    public init(path: String?, readerCount: Int = 3, busyTimeout: Duration = .seconds(5)) throws {
        do {
            (writer, readers) = try Self.open(path: path, readerCount: readerCount, busyTimeout: busyTimeout)
        } catch var error as SQLiteError {
            if let path, !error.message.hasSuffix(path) { error.message += ": \(path)" }
            throw error
        }
        self.path = path
    }

    private static func open(path: String?, readerCount: Int, busyTimeout: Duration) throws
        -> (writer: ConnectionSlot, readers: [ConnectionSlot]) {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        if let path {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            let writer = try SQLiteConnection(path: path, flags: flags, busyTimeout: busyTimeout)
            // A larger auto-checkpoint (4,096 pages: 64 MiB) keeps a cold build
            // from checkpointing (and syncing) as it goes; the WAL is truncated
            // back on close.
            // 16 KiB pages (for a new file; an existing one keeps its size):
            // most values are rendered pages of a few KiB, which on 4 KiB
            // pages each spill into overflow pages, so a cold build wrote
            // four times the WAL frames (21,000 pwrite calls for 4,000 pages,
            // 5,000 with 16 KiB) and re-read as many pages.
            try writer.executeScript("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=4096; PRAGMA journal_size_limit=67108864;")
            let readers = (0..<max(0, readerCount)).map { _ in
                ConnectionSlot(opening: {
                    let reader = try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY, busyTimeout: busyTimeout)
                    // Readers answer point lookups and one-pass loads: a small page
                    // cache each (SQLite's default is 2 MiB per connection).
                    try reader.executeScript("PRAGMA cache_size=-256")
                    return reader
                })
            }
            return (ConnectionSlot(writer), readers)
        } else {
            // A private :memory: database is visible to one connection only,
            // so reads share the writer.
            return (ConnectionSlot(try SQLiteConnection(path: ":memory:", flags: flags, busyTimeout: busyTimeout)), [])
        }
    }

    /// Runs `body` on the writer connection (exclusive; re-entrant on the
    /// same thread).
    public func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.use(body)
    }

    /// Runs `body` in one transaction on the writer: all of it commits, or
    /// none of it (when `body` throws). Nested calls become savepoints.
    public func transaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.use { try $0.transaction(body) }
    }

    /// Runs `body` on a reader connection (the writer for in-memory
    /// databases). Sees the last committed state.
    public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        guard !readers.isEmpty else { return try writer.use(body) }
        for slot in readers {
            if let result = try slot.useIfAvailable(body) { return result }
        }
        let index = nextReader.add(1, ordering: .relaxed).newValue % readers.count
        return try readers[index].use(body)
    }

    /// Bounds the writer's page cache (SQLite's default is 2 MiB); set
    /// under a memory limit.
    public func setWriterCacheSize(kibibytes: Int) {
        _ = try? writer.use { try $0.executeScript("PRAGMA cache_size=-\(max(64, kibibytes))") }
    }

    /// Frees the page caches of the connections not in use right now (the
    /// memory governor asks, when memory is critical).
    public func releaseMemory() {
        for slot in [writer] + readers { slot.useIfOpenAndAvailable { $0.releaseMemory() } }
    }

    /// Copies the WAL into the database file and truncates it. Done when a
    /// process is finished with the cache: the next process to open the
    /// file would otherwise read the whole WAL to rebuild its index.
    public func checkpoint() throws {
        guard path != nil else { return }
        try writer.use { try $0.executeScript("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// Size of the database file plus its WAL, in bytes (0 in memory).
    public var fileSize: Int {
        guard let path else { return 0 }
        return [path, path + "-wal"].reduce(0) { total, file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            return total + ((attributes?[.size] as? Int) ?? 0)
        }
    }

    /// Rewrites the file to its minimal size and truncates the WAL.
    public func compact() throws {
        try writer.use { connection in
            try connection.executeScript("VACUUM")
            if path != nil { try connection.executeScript("PRAGMA wal_checkpoint(TRUNCATE)") }
        }
    }
}

/// A connection and the lock that gives it to one caller at a time.
/// Recursive, so code already inside `transaction { }` on this thread may
/// call APIs that write (e.g. `Cache.put`); their work joins the transaction
/// as a savepoint instead of deadlocking.
final class ConnectionSlot: @unchecked Sendable {
    private let lock = NSRecursiveLock()
    /// Opened on first use, under `lock` (a reader: a no-op build uses one
    /// of three, and opening each took ~0.2 ms of its start).
    private var connection: SQLiteConnection?
    private let open: @Sendable () throws -> SQLiteConnection

    init(_ connection: SQLiteConnection) {
        self.connection = connection
        open = { connection }
    }

    init(opening open: @escaping @Sendable () throws -> SQLiteConnection) {
        self.open = open
    }

    private func opened() throws -> SQLiteConnection {
        if let connection { return connection }
        let made = try open()
        connection = made
        return made
    }

    func use<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(try opened())
    }

    /// Runs `body` only if nobody holds the connection; `nil` otherwise.
    func useIfAvailable<T>(_ body: (SQLiteConnection) throws -> T) throws -> T? {
        guard lock.try() else { return nil }
        defer { lock.unlock() }
        return try body(try opened())
    }

    /// Runs `body` if the connection was opened and nobody holds it.
    func useIfOpenAndAvailable<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T? {
        guard lock.try() else { return nil }
        defer { lock.unlock() }
        guard let connection else { return nil }
        return try body(connection)
    }
}
