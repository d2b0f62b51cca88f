import Cache
import Foundation
import Testing
@testable import CLI

/// `unjucksd cache clear` forgets the build state with the blobs: every
/// state table is empty afterwards, so the next build is a full one.
@Suite struct CacheClearTests {
    @Test func clearEmptiesEveryBuildStateTable() throws {
        let directory = NSTemporaryDirectory() + "unjucksd-clear-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let site = directory + "/sites/blog"
        try FileManager.default.createDirectory(atPath: site + "/posts", withIntermediateDirectories: true)
        try "---\ntitle: A\n---\nHello\n".write(toFile: site + "/posts/a.md", atomically: true, encoding: .utf8)
        try "---\ntitle: B\n---\nWorld\n".write(toFile: site + "/posts/b.md", atomically: true, encoding: .utf8)
        let cache = "sqlite:" + directory + "/cache.db"
        #expect(CLI.run(["build", directory + "/sites", "--out", directory + "/out", "--cache", cache, "--quiet"]) == ExitCode.success)
        let tables = ["build_fingerprints", "build_files", "build_pages", "build_outputs", "build_page_sources"]
        func rows(_ table: String) throws -> Int64 {
            let database = try SQLiteDatabase(path: directory + "/cache.db")
            return try database.read { try $0.queryFirst("SELECT COUNT(*) FROM \(table)") }?[0].integer ?? -1
        }
        for table in tables { #expect(try rows(table) > 0, "\(table) empty after a build") }
        #expect(CLI.run(["cache", "clear", "--cache", cache]) == ExitCode.success)
        for table in tables { #expect(try rows(table) == 0, "\(table) kept rows") }
    }
}
