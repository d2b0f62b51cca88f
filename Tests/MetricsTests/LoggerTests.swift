import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Metrics

/// Collects lines written by a logger.
final class LineCollector: Sendable {
    let lines = Mutex<[String]>([])
    var sink: Logger.Sink { { line in self.lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite struct LoggerTests {
    @Test func writesLevelLabelMessageAndSortedMetadata() throws {
        let collector = LineCollector()
        var logger = Logger(label: "unjucksd.test", level: .info, sink: collector.sink)
        logger[metadataKey: "site"] = "blog"
        logger.info("built", metadata: ["pages": 12, "path": "a b/c.md", "ok": true])
        let line = try #require(collector.all.first)
        let parts = line.split(separator: " ", maxSplits: 1)
        #expect(parts[0].count == 24 && parts[0].hasSuffix("Z"))
        #expect(parts[1] == "info unjucksd.test: built ok=true pages=12 path=\"a b/c.md\" site=blog")
    }

    @Test func levelsBelowTheThresholdAreDroppedWithoutEvaluation() {
        let collector = LineCollector()
        let logger = Logger(label: "t", level: .warning, sink: collector.sink)
        let evaluated = Mutex(false)
        logger.debug({ evaluated.withLock { $0 = true }; return "x" }())
        logger.error("boom", metadata: ["quote": "say \"no\"\n"])
        #expect(evaluated.withLock { $0 } == false)
        #expect(collector.all.count == 1)
        #expect(collector.all[0].hasSuffix("error t: boom quote=\"say \\\"no\\\"\\n\""))
    }

    @Test func levelNamesParse() {
        #expect(Logger.Level(name: "WARN") == .warning)
        #expect(Logger.Level(name: "trace") == .trace)
        #expect(Logger.Level(name: "loud") == nil)
        #expect(Logger.Level.allCases.sorted() == Logger.Level.allCases)
    }
}

@Suite struct LoggerEnvironmentTests {
    @Test func levelComesFromTheEnvironment() {
        let previous = getenv("UNJUCKSD_LOG_LEVEL").map { String(cString: $0) }
        defer {
            if let previous { setenv("UNJUCKSD_LOG_LEVEL", previous, 1) } else { unsetenv("UNJUCKSD_LOG_LEVEL") }
        }
        setenv("UNJUCKSD_LOG_LEVEL", "Error", 1)
        #expect(Logger.Level.fromEnvironment == .error)
        #expect(Logger(label: "env").logLevel == .error)
        setenv("UNJUCKSD_LOG_LEVEL", "nonsense", 1)
        #expect(Logger.Level.fromEnvironment == .info)
    }
}
