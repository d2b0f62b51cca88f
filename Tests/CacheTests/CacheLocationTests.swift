import Testing
@testable import Cache

@Suite struct CacheLocationTests {
    @Test func parsesSQLiteAndMemory() throws {
        #expect(try CacheLocation(parsing: "sqlite:.unjucksd/cache.db") == .default)
        #expect(try CacheLocation(parsing: "sqlite:/tmp/x.db") == .sqlite(path: "/tmp/x.db"))
        #expect(try CacheLocation(parsing: "memory:") == .memory)
        #expect(CacheLocation.memory.sqlitePath == nil)
    }

    @Test func parsesRedisURLs() throws {
        let full = try CacheLocation(parsing: "redis://:p%40ss@cache.local:6380/3")
        #expect(full == .redis(RedisEndpoint(host: "cache.local", port: 6380, password: "p@ss", database: 3),
                               sqlitePath: ".unjucksd/cache.db"))
        #expect(full.sqlitePath == ".unjucksd/cache.db")
        #expect(try RedisEndpoint(url: "redis://127.0.0.1") == RedisEndpoint(host: "127.0.0.1"))
        #expect(try RedisEndpoint(url: "redis://alice:pw@h:1/") == RedisEndpoint(host: "h", port: 1, username: "alice", password: "pw"))
        #expect(try RedisEndpoint(url: "redis://[::1]:7000/2") == RedisEndpoint(host: "::1", port: 7000, database: 2))
        #expect(!full.description.contains("p@ss"))
    }

    @Test(arguments: ["redis://host:notaport", "redis://host:70000", "redis://:pw@/1", "redis://h/x",
                      "sqlite:", "postgres://x", "", "rediss://h"])
    func rejectsBadLocations(_ text: String) {
        #expect(throws: CacheLocationError.self) { try CacheLocation(parsing: text) }
    }

    @Test func errorsQuoteTheInput() {
        do {
            _ = try CacheLocation(parsing: "redis://h:99999")
        } catch {
            #expect(error.description.contains("redis://h:99999"))
            #expect(error.description.contains("port"))
        }
    }
}
