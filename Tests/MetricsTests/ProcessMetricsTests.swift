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

    /// Other tests open and close descriptors concurrently in this process,
    /// so the count is checked against a large step, not to the unit.
    @Test func openFileDescriptorCountFollowsOpens() throws {
        let before = ProcessMetrics.countOpenFileDescriptors()
        let fds = (0..<400).map { _ in open("/dev/null", O_RDONLY) }
        #expect(fds.allSatisfy { $0 >= 0 })
        let during = ProcessMetrics.countOpenFileDescriptors()
        fds.forEach { close($0) }
        let after = ProcessMetrics.countOpenFileDescriptors()
        #expect(during - before >= 300)
        #expect(during - after >= 300)
    }

    @Test func statFieldsSurviveSpacesInTheCommandName() throws {
        let fields = try #require(ProcessMetrics.statFields("123 (a b) c) S 1 2 3"))
        #expect(fields.first == "S")
        #expect(fields.count == 4)
    }
}
