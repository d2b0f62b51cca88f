import Foundation
import Glibc

/// Reads the real figures: `/proc/self/statm`, the cgroup's memory files
/// (v2 `memory.max`/`memory.current`, else v1 `memory.limit_in_bytes`/
/// `memory.usage_in_bytes`) and PSI `/proc/pressure/memory`.
///
/// The cgroup directory is found once, at init, from `/proc/self/cgroup`;
/// when that path does not exist under the mount (a container whose cgroup
/// namespace hides it) the mount's root files are used.
public struct ProcMemorySource: MemorySource {
    /// Files of the cgroup memory controller in use.
    struct CgroupFiles: Sendable, Equatable {
        let limit: String
        let usage: String
    }

    private let procRoot: String
    private let pageSize: UInt64
    let cgroup: CgroupFiles?

    /// `procRoot` and `cgroupRoot` are parameters so the parsing can be tested
    /// against file trees in the kernel's formats.
    public init(procRoot: String = "/proc", cgroupRoot: String = "/sys/fs/cgroup", pageSize: UInt64? = nil) {
        self.procRoot = procRoot
        self.pageSize = pageSize ?? UInt64(max(4096, sysconf(Int32(_SC_PAGESIZE))))
        self.cgroup = Self.findCgroup(procRoot: procRoot, cgroupRoot: cgroupRoot)
    }

    /// The cgroup's memory limit alone (what a one-shot build needs to
    /// size itself), without the other files `read()` goes through.
    public var cgroupLimitBytes: UInt64? { cgroup.flatMap { Self.readLimit($0.limit) } }

    public func read() -> MemoryReading {
        MemoryReading(
            residentBytes: residentBytes() ?? 0,
            cgroupLimitBytes: cgroupLimitBytes,
            cgroupUsageBytes: cgroup.flatMap { Self.readNumber($0.usage) },
            pressureSomeAvg10: Self.parsePressure(Self.readText(procRoot + "/pressure/memory")))
    }

    private func residentBytes() -> UInt64? {
        // statm: size resident shared text lib data dt, in pages.
        guard let text = Self.readText(procRoot + "/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = UInt64(fields[1]) else { return nil }
        return pages * pageSize
    }

    static func findCgroup(procRoot: String, cgroupRoot: String) -> CgroupFiles? {
        let membership = readText(procRoot + "/self/cgroup") ?? ""
        var v2Path: String?
        var v1Path: String?
        for line in membership.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0" && parts[1].isEmpty { v2Path = String(parts[2]) }
            if parts[1].split(separator: ",").contains("memory") { v1Path = String(parts[2]) }
        }
        // access(2), not FileManager: its URL machinery cost a quarter of a
        // millisecond on first use, in every `unjucksd build`.
        let exists = { (path: String) in access(path, F_OK) == 0 }
        if let v2Path {
            for directory in [cgroupRoot + v2Path, cgroupRoot] where exists(directory + "/memory.max") {
                return CgroupFiles(limit: directory + "/memory.max", usage: directory + "/memory.current")
            }
        }
        let v1Root = cgroupRoot + "/memory"
        for directory in [v1Path.map { v1Root + $0 }, v1Root].compactMap({ $0 })
        where exists(directory + "/memory.limit_in_bytes") {
            return CgroupFiles(limit: directory + "/memory.limit_in_bytes", usage: directory + "/memory.usage_in_bytes")
        }
        return nil
    }

    /// A limit file: "max" (v2) or a near-2^63 figure (v1) mean no limit.
    static func readLimit(_ path: String) -> UInt64? {
        guard let value = readNumber(path), value < (1 << 60) else { return nil }
        return value
    }

    static func readNumber(_ path: String) -> UInt64? {
        readText(path).flatMap { UInt64($0.trimmingWhitespace()) }
    }

    /// `some avg10=1.23 avg60=... total=...` -> 1.23.
    static func parsePressure(_ text: String?) -> Double? {
        guard let text else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("some ") {
            for field in line.split(separator: " ") where field.hasPrefix("avg10=") {
                return Double(field.dropFirst("avg10=".count))
            }
        }
        return nil
    }

    /// Reads a small pseudo-file (/proc, cgroupfs: at most a few hundred
    /// bytes) with one open/read, cheaper than Foundation's file reading.
    static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            var filled = 0
            while filled < buffer.count {
                let count = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                filled += count
            }
            return String(decoding: buffer[..<filled], as: UTF8.self)
        }
    }
}
