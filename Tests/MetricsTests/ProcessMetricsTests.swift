import Foundation
import Testing
@testable import Metrics

@Suite struct ProcessMetricsTests {
    @Test func readsPlausibleFiguresFromProc() throws {
        let figures = try #require(ProcessMetrics.current())
        #expect(figures.residentMemoryBytes > 1_000_000)
        #expect(figures.cpuSeconds > 0)
        let now = Date().timeIntervalSince1970
        #expect(figures.startTimeSeconds > now - 86_400 * 7)
        #expect(figures.startTimeSeconds <= now + 1)
    }

    @Test func openFileDescriptorCountFollowsOpens() throws {
        let before = ProcessMetrics.countOpenFileDescriptors()
        let fds = (0..<5).map { _ in open("/dev/null", O_RDONLY) }
        defer { fds.forEach { close($0) } }
        #expect(ProcessMetrics.countOpenFileDescriptors() == before + 5)
    }

    @Test func statFieldsSurviveSpacesInTheCommandName() throws {
        let fields = try #require(ProcessMetrics.statFields("123 (a b) c) S 1 2 3"))
        #expect(fields.first == "S")
        #expect(fields.count == 4)
    }
}
