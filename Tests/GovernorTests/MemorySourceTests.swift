import Foundation
import Testing
@testable import Governor

@Suite("Sizes and memory sources")
struct MemorySourceTests {
    @Test(arguments: [
        ("512M", UInt64(512) << 20), ("2G", UInt64(2) << 30), ("96M", UInt64(96) << 20),
        ("1.5G", UInt64(3) << 29), ("1048576", UInt64(1_048_576)), ("64k", UInt64(65_536)),
        ("512MiB", UInt64(512) << 20), ("2 GB", UInt64(2) << 30), (" 1T ", UInt64(1) << 40),
    ])
    func parsesSizes(text: String, bytes: UInt64) throws {
        #expect(try ByteSize.parse(text) == bytes)
    }

    @Test(arguments: ["", "M", "12Q", "-5M", "1.5", "1..5G", "five", "١٢M"])
    func rejectsBadSizes(text: String) {
        #expect(throws: ByteSize.ParseError(text: text)) { try ByteSize.parse(text) }
    }

    @Test func formatsSizes() {
        #expect(ByteSize.format(900) == "900 B")
        #expect(ByteSize.format(512 << 20) == "512.0 MiB")
        #expect(ByteSize.format(3 << 29) == "1.5 GiB")
    }

    @Test func readsCgroupV2FilesAndPressure() throws {
        let tree = try FakeSystem()
        tree.write("proc/self/statm", "5000 2560 300 10 0 900 0\n")
        tree.write("proc/self/cgroup", "0::/ci/job7\n")
        tree.write("proc/pressure/memory",
                   "some avg10=12.34 avg60=3.00 avg300=1.00 total=1234\nfull avg10=1.00 avg60=0.00 avg300=0.00 total=1\n")
        tree.write("cgroup/ci/job7/memory.max", "2147483648\n")
        tree.write("cgroup/ci/job7/memory.current", "1073741824\n")
        let source = ProcMemorySource(procRoot: tree.path("proc"), cgroupRoot: tree.path("cgroup"), pageSize: 4096)
        #expect(source.read() == MemoryReading(residentBytes: 2560 * 4096, cgroupLimitBytes: 2 << 30,
                                               cgroupUsageBytes: 1 << 30, pressureSomeAvg10: 12.34))
    }

    @Test func cgroupV2MaxMeansNoLimit() throws {
        let tree = try FakeSystem()
        tree.write("proc/self/statm", "1 1 1 1 0 1 0\n")
        tree.write("proc/self/cgroup", "0::/hidden-by-namespace\n")
        tree.write("cgroup/memory.max", "max\n")
        tree.write("cgroup/memory.current", "4096\n")
        let reading = ProcMemorySource(procRoot: tree.path("proc"), cgroupRoot: tree.path("cgroup")).read()
        #expect(reading.cgroupLimitBytes == nil)
        #expect(reading.cgroupUsageBytes == 4096)
        #expect(reading.pressureSomeAvg10 == nil)
    }

    @Test func fallsBackToCgroupV1() throws {
        let tree = try FakeSystem()
        tree.write("proc/self/statm", "1 10 1 1 0 1 0\n")
        tree.write("proc/self/cgroup", "5:cpu,cpuacct:/\n4:memory:/runner\n0::/\n")
        tree.write("cgroup/memory/runner/memory.limit_in_bytes", "536870912\n")
        tree.write("cgroup/memory/runner/memory.usage_in_bytes", "1000\n")
        let reading = ProcMemorySource(procRoot: tree.path("proc"), cgroupRoot: tree.path("cgroup"), pageSize: 4096).read()
        #expect(reading == MemoryReading(residentBytes: 40960, cgroupLimitBytes: 512 << 20, cgroupUsageBytes: 1000))

        tree.write("cgroup/memory/runner/memory.limit_in_bytes", "9223372036854771712\n")
        let unlimited = ProcMemorySource(procRoot: tree.path("proc"), cgroupRoot: tree.path("cgroup")).read()
        #expect(unlimited.cgroupLimitBytes == nil)
    }

    @Test func realProcFiguresAreSane() {
        let source = ProcMemorySource()
        let before = source.read()
        #expect(before.residentBytes > 1 << 20)  // a Swift test process is well above 1 MiB
        #expect(before.residentBytes < 64 << 30)
        // Touching 64 MiB must show up in the resident size.
        let size = 64 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { block.deallocate() }
        memset(block, 1, size)
        let after = source.read()
        #expect(after.residentBytes >= before.residentBytes + UInt64(size) / 2)
        if let limit = after.cgroupLimitBytes { #expect(limit > 0) }
        if let pressure = after.pressureSomeAvg10 { #expect(pressure >= 0 && pressure <= 100) }
    }

    @Test func mallocTrimIsReachable() {
        #expect(MallocTrim.isAvailable)
        MallocTrim.trim()
    }
}

/// A scratch tree in the formats of /proc and /sys/fs/cgroup.
final class FakeSystem {
    let root: String

    init() throws {
        root = NSTemporaryDirectory() + "/unjucksd-governor-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { root + "/" + relative }

    func write(_ relative: String, _ text: String) {
        let url = URL(fileURLWithPath: path(relative))
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! text.write(to: url, atomically: false, encoding: .utf8)
    }
}
