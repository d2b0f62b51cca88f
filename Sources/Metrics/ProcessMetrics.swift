#if canImport(Glibc)
import Glibc
#endif

/// Figures about the running process, read from `/proc` at the moment of the call.
public struct ProcessMetrics: Sendable, Equatable {
    /// Resident set size in bytes.
    public var residentMemoryBytes: Double
    /// User plus system CPU time in seconds.
    public var cpuSeconds: Double
    /// Number of open file descriptors.
    public var openFileDescriptors: Double
    /// Start time of the process since the Unix epoch, in seconds.
    public var startTimeSeconds: Double

    /// Reads the current process' figures; `nil` where /proc is unreadable.
    public static func current() -> ProcessMetrics? {
        guard let stat = readFile("/proc/self/stat"),
              let fields = statFields(stat), fields.count > 21 else { return nil }
        // Field numbers below are 1-based in proc(5); `fields` starts at field 3 (state).
        func field(_ number: Int) -> Double { Double(fields[number - 3]) ?? 0 }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let bootTime = readBootTime() ?? 0
        return ProcessMetrics(
            residentMemoryBytes: field(24) * pageSize,
            cpuSeconds: (field(14) + field(15)) / ticks,
            openFileDescriptors: Double(countOpenFileDescriptors()),
            startTimeSeconds: bootTime + field(22) / ticks)
    }

    /// Splits /proc/self/stat after the parenthesised command name, which may contain spaces.
    static func statFields(_ stat: String) -> [Substring]? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
    }

    static func readBootTime() -> Double? {
        guard let text = readFile("/proc/stat") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefixSpaces())
        }
        return nil
    }

    static func countOpenFileDescriptors() -> Int {
        guard let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { raw in raw.first == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        // The directory stream itself holds one descriptor while counting.
        return max(0, count - 1)
    }

    /// Reads a small /proc file (their stat size is 0, so read until EOF).
    static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate func trimmingPrefixSpaces() -> Substring {
        drop(while: { $0 == " " })
    }
}

extension MetricsRegistry {
    /// Registers `process_resident_memory_bytes`, `process_cpu_seconds_total`,
    /// `process_open_fds` and `process_start_time_seconds`, computed at scrape.
    public func registerProcessMetrics() {
        computed("process_resident_memory_bytes", help: "Resident memory size in bytes.", type: .gauge) {
            ProcessMetrics.current().map { [(.empty, $0.residentMemoryBytes)] } ?? []
        }
        computed("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.", type: .counter) {
            ProcessMetrics.current().map { [(.empty, $0.cpuSeconds)] } ?? []
        }
        computed("process_open_fds", help: "Number of open file descriptors.", type: .gauge) {
            [(.empty, Double(ProcessMetrics.countOpenFileDescriptors()))]
        }
        computed("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.", type: .gauge) {
            ProcessMetrics.current().map { [(.empty, $0.startTimeSeconds)] } ?? []
        }
    }
}
