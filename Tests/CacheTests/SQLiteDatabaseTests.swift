import TestSupport
import Foundation
import Testing
@testable import Cache

@Suite struct SQLiteDatabaseTests {
    struct Abort: Error {}

    @Test func roundTripsEveryValueType() throws {
        let dir = TemporaryDirectory()
        let db = try SQLiteDatabase(path: dir.file("a.db"))
        try db.write { try $0.executeScript("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n)") }
        try db.write {
            try $0.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.integer(-7), .real(2.5), .text("héllo"), .blob([0, 1, 255]), .null])
            try $0.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [1, .real(0), "", .blob([]), nil])
        }
        let rows = try db.read { try $0.query("SELECT i, r, s, b, n FROM t ORDER BY i") }
        #expect(rows.count == 2)
        #expect(rows[0].values == [.integer(-7), .real(2.5), .text("héllo"), .blob([0, 1, 255]), .null])
        #expect(rows[1][3] == .blob([]))
        #expect(try db.read { try $0.queryFirst("SELECT count(*) FROM t")?[0].integer } == 2)
        let mode = try db.read { try $0.queryFirst("PRAGMA journal_mode")?[0].text }
        #expect(mode == "wal")
    }

    @Test func transactionsCommitAtomicallyOrNotAtAll() throws {
        let scratch = TemporaryDirectory()
        let db = try SQLiteDatabase(path: scratch.file("t.db"))
        try db.write { try $0.executeScript("CREATE TABLE t(v INTEGER)") }
        try db.transaction { connection in
            for value in 0..<100 { try connection.execute("INSERT INTO t VALUES (?)", [.int(value)]) }
        }
        #expect(throws: Abort.self) {
            try db.transaction { connection in
                try connection.execute("INSERT INTO t VALUES (1000)")
                throw Abort()
            }
        }
        try db.transaction { connection in
            try connection.execute("INSERT INTO t VALUES (2000)")
            // A failing nested transaction rolls back only its savepoint.
            _ = try? connection.transaction { inner in
                try inner.execute("INSERT INTO t VALUES (3000)")
                throw Abort()
            }
        }
        let values = try db.read { try $0.query("SELECT v FROM t WHERE v >= 100 ORDER BY v") }.map { $0[0] }
        #expect(values == [.integer(2000)])
        #expect(try db.read { try $0.queryFirst("SELECT count(*) FROM t")?[0].integer } == 101)
    }

    @Test func dataSurvivesReopening() throws {
        let dir = TemporaryDirectory()
        do {
            let db = try SQLiteDatabase(path: dir.file("nested/dir/p.db"))
            try db.write {
                try $0.executeScript("CREATE TABLE kv(k TEXT PRIMARY KEY, v BLOB)")
                try $0.execute("INSERT INTO kv VALUES ('a', ?)", [.blob([1, 2, 3])])
            }
        }
        let reopened = try SQLiteDatabase(path: dir.file("nested/dir/p.db"))
        #expect(try reopened.read { try $0.queryFirst("SELECT v FROM kv WHERE k = 'a'")?[0] } == .blob([1, 2, 3]))
    }

    @Test func errorsNameTheStatementAndCause() throws {
        let db = try SQLiteDatabase(path: nil)
        do {
            try db.write { try $0.execute("SELECT * FROM missing_table") }
            Issue.record("expected an error")
        } catch let error as SQLiteError {
            #expect(error.message.contains("no such table"))
            #expect(error.sql == "SELECT * FROM missing_table")
        }
        #expect(throws: SQLiteError.self) { try db.write { try $0.execute("SELECT ?", []) } }
    }

    @Test func readersSeeCommittedWritesFromManyThreads() async throws {
        let scratch = TemporaryDirectory()
        let db = try SQLiteDatabase(path: scratch.file("c.db"), readerCount: 2)
        try db.write { try $0.executeScript("CREATE TABLE t(v INTEGER)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for value in 0..<200 { try db.write { try $0.execute("INSERT INTO t VALUES (?)", [.int(value)]) } }
            }
            for _ in 0..<3 {
                group.addTask {
                    for _ in 0..<100 { _ = try db.read { try $0.queryFirst("SELECT count(*) FROM t") } }
                }
            }
            try await group.waitForAll()
        }
        #expect(try db.read { try $0.queryFirst("SELECT count(*) FROM t")?[0].integer } == 200)
    }
}

extension SQLiteDatabaseTests {
    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("garbage.db")
        try Data(randomBytes(8192)).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Cache(CacheConfiguration(location: .sqlite(path: path)))
            Issue.record("opened a garbage file")
        } catch let error as SQLiteError {
            #expect(error.description.contains("not a database"))
            #expect(error.description.contains(path))
        }
    }
}

extension SQLiteDatabaseTests {
    @Test func theSameQueryCanRunInsideItsOwnRowLoop() throws {
        let db = try SQLiteDatabase(path: nil)
        try db.write { connection in
            try connection.executeScript("CREATE TABLE edge(a INTEGER, b INTEGER); INSERT INTO edge VALUES (1, 2), (2, 3), (3, 4);")
        }
        var pairs: [[Int64]] = []
        try db.read { connection in
            try connection.forEachRow("SELECT b FROM edge WHERE a = ?", [1]) { row in
                let next = try connection.query("SELECT b FROM edge WHERE a = ?", [row[0]])
                pairs.append([row[0].integer!, next[0][0].integer!])
            }
        }
        #expect(pairs == [[2, 3]])
        // The cached statement still works afterwards.
        #expect(try db.read { try $0.query("SELECT b FROM edge WHERE a = ?", [3]) }.first?[0] == .integer(4))
    }
}
