import CSQLite
import Synchronization

/// One SQLite connection with a cache of prepared statements.
///
/// Not thread-safe by itself: `SQLiteDatabase` hands a connection to exactly
/// one caller at a time (under its lock), which is why it can be marked
/// `@unchecked Sendable`.
public final class SQLiteConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    /// Nesting depth of `transaction` on this connection (savepoints inside).
    var transactionDepth = 0

    init(path: String, flags: Int32, busyTimeout: Duration) throws(SQLiteError) {
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let handle { sqlite3_close_v2(handle) }
            throw SQLiteError(code: status, message: "\(message): \(path)")
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
        // Statement journals (INSERT OR REPLACE inside a transaction) and
        // sorters go to process memory, not to files under /var/tmp: they
        // are small, and on a slow disk each one cost thousands of writes.
        sqlite3_exec(handle, "PRAGMA temp_store=MEMORY", nil, nil, nil)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one statement (cached and reused) and discards any rows.
    public func execute(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) {
        try run(sql, bindings) { _ in }
    }

    /// Runs SQL text that may hold several statements and no parameters
    /// (schema scripts, pragmas). Not cached.
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: status, message: message, sql: sql)
        }
    }

    /// Runs a query and returns every row.
    public func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        try run(sql, bindings) { rows.append($0) }
        return rows
    }

    /// Runs a query and returns its first row, if any (the rest are not stepped).
    public func queryFirst(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteRow? {
        var first: SQLiteRow?
        try stepRows(sql, bindings) { statement in
            first = readRow(statement)
            return false
        }
        return first
    }

    /// Runs a query, calling `body` for each row as it is stepped; stops at
    /// the first error `body` throws.
    public func forEachRow(_ sql: String, _ bindings: [SQLiteValue] = [], _ body: (SQLiteRow) throws -> Void) throws {
        try forEachRow(sql, bindings, cursor: { try body(readRow($0.statement)) })
    }

    /// Runs a query, calling `body` with a cursor on each row: columns are
    /// read in place, without building a row of values (for loops over
    /// thousands of rows, where those allocations dominate).
    public func forEachRow(_ sql: String, _ bindings: [SQLiteValue] = [], cursor body: (SQLiteCursor) throws -> Void) throws {
        var thrown: (any Error)?
        try stepRows(sql, bindings) { statement in
            do {
                try body(SQLiteCursor(statement: statement))
                return true
            } catch {
                thrown = error
                return false
            }
        }
        if let thrown { throw thrown }
    }

    /// Frees what this connection's page cache holds and does not need.
    public func releaseMemory() { sqlite3_db_release_memory(handle) }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Rowid of the last successful INSERT.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` atomically: BEGIN IMMEDIATE .. COMMIT, or ROLLBACK if it
    /// throws. Nested calls become savepoints.
    public func transaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let savepoint = "unjucksd_sp\(transactionDepth)"
        try executeScript(transactionDepth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        do {
            let result = try body(self)
            transactionDepth -= 1
            try executeScript(transactionDepth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
            return result
        } catch {
            transactionDepth -= 1
            if transactionDepth == 0 {
                try? executeScript("ROLLBACK")
            } else {
                try? executeScript("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
            }
            throw error
        }
    }

    private var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// The cached statement for `sql`, or a one-off one (`cached == false`)
    /// when the cached one is still stepping, e.g. the same query run again
    /// from inside a `forEachRow` body.
    private func prepared(_ sql: String) throws(SQLiteError) -> (statement: OpaquePointer, cached: Bool) {
        if let cached = statements[sql] {
            if sqlite3_stmt_busy(cached) == 0 { return (cached, true) }
        }
        var statement: OpaquePointer?
        let reuse = statements[sql] == nil
        let status = sqlite3_prepare_v3(handle, sql, -1, reuse ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw SQLiteError(code: status, message: lastMessage, sql: sql)
        }
        if reuse { statements[sql] = statement }
        return (statement, reuse)
    }

    private func run(_ sql: String, _ bindings: [SQLiteValue], row: (SQLiteRow) -> Void) throws(SQLiteError) {
        try stepRows(sql, bindings) { statement in
            row(readRow(statement))
            return true
        }
    }

    /// Prepares (or reuses) `sql`, binds, and steps it, calling `each` on
    /// every row until it returns false; resets or finalises afterwards.
    private func stepRows(_ sql: String, _ bindings: [SQLiteValue], _ each: (OpaquePointer) -> Bool) throws(SQLiteError) {
        let (statement, cached) = try prepared(sql)
        defer {
            if cached {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            } else {
                sqlite3_finalize(statement)
            }
        }
        try bindAll(bindings, to: statement, sql: sql)
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw SQLiteError(code: status, message: lastMessage, sql: sql) }
            if !each(statement) { return }
        }
    }

    private func bindAll(_ bindings: [SQLiteValue], to statement: OpaquePointer, sql: String) throws(SQLiteError) {
        guard Int(sqlite3_bind_parameter_count(statement)) == bindings.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "expected \(sqlite3_bind_parameter_count(statement)) parameters, got \(bindings.count)", sql: sql)
        }
        for (offset, value) in bindings.enumerated() {
            let status = bind(value, to: statement, at: Int32(offset + 1))
            guard status == SQLITE_OK else { throw SQLiteError(code: status, message: lastMessage, sql: sql) }
        }
    }

    private func bind(_ value: SQLiteValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(statement, index)
        case .integer(let v): return sqlite3_bind_int64(statement, index, v)
        case .real(let v): return sqlite3_bind_double(statement, index, v)
        case .text(let v):
            // The string's own UTF-8 (no NUL-terminated copy per binding:
            // a commit binds tens of thousands of paths).
            var text = v
            return text.withUTF8 { utf8 in
                utf8.withMemoryRebound(to: CChar.self) { chars in
                    guard let start = chars.baseAddress else { return unjucksd_sqlite_bind_text(statement, index, "", 0) }
                    return unjucksd_sqlite_bind_text(statement, index, start, sqlite3_uint64(chars.count))
                }
            }
        case .blob(let v):
            return v.withUnsafeBytes { unjucksd_sqlite_bind_blob(statement, index, $0.baseAddress, sqlite3_uint64($0.count)) }
        }
    }

    private func readRow(_ statement: OpaquePointer) -> SQLiteRow {
        let columns = sqlite3_column_count(statement)
        var values: [SQLiteValue] = []
        values.reserveCapacity(Int(columns))
        for column in 0..<columns {
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, column)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(statement, column)))
            case SQLITE_TEXT:
                let count = Int(sqlite3_column_bytes(statement, column))
                if let text = sqlite3_column_text(statement, column) {
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(statement, column))
                if count > 0, let bytes = sqlite3_column_blob(statement, column) {
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: bytes, count: count))))
                } else {
                    values.append(.blob([]))
                }
            default: values.append(.null)
            }
        }
        return SQLiteRow(values: values)
    }
}

/// The current row of a statement being stepped, read column by column in
/// place. Valid only inside the `forEachRow(_:_:cursor:)` body it is given to.
public struct SQLiteCursor {
    let statement: OpaquePointer

    public func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    public func text(_ column: Int32) -> String {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// A 32-byte blob as a hash; nil for NULL or another length.
    public func hash(_ column: Int32) -> ContentHash? {
        guard sqlite3_column_type(statement, column) == SQLITE_BLOB,
              sqlite3_column_bytes(statement, column) == Int32(ContentHash.byteCount),
              let bytes = sqlite3_column_blob(statement, column) else { return nil }
        return ContentHash(UnsafeRawBufferPointer(start: bytes, count: ContentHash.byteCount), at: 0)
    }

    /// Calls `body` with the column's bytes (empty for NULL), without copying.
    public func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}
