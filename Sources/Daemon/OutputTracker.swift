import Foundation
import Glibc

/// Remembers the files of each site's output directory (inode, size, mtime)
/// so that after a build the daemon knows which outputs changed: those feed
/// the live-reload `changed` event and the search index. Outputs are written
/// by rename, so a rewritten file always has a new inode.
final class OutputTracker: @unchecked Sendable {
    struct Stamp: Equatable {
        let inode: UInt64
        let size: Int64
        let modified: Int64
    }

    /// What differs between the last look and now, as paths relative to the
    /// site's output directory.
    struct Difference: Sendable {
        var changed: [String] = []
        var removed: [String] = []
        var isEmpty: Bool { changed.isEmpty && removed.isEmpty }
    }

    private var stamps: [String: [String: Stamp]] = [:]
    private let lock = NSLock()

    /// Scans `directory` and returns what changed since the last scan of `site`
    /// (everything, the first time).
    func refresh(site: String, directory: String) -> Difference {
        var current: [String: Stamp] = [:]
        Self.scan(directory, prefix: "", into: &current)
        let previous = lock.withLock { stamps.updateValue(current, forKey: site) } ?? [:]
        var difference = Difference()
        for (path, stamp) in current where previous[path] != stamp { difference.changed.append(path) }
        for path in previous.keys where current[path] == nil { difference.removed.append(path) }
        difference.changed.sort()
        difference.removed.sort()
        return difference
    }

    /// Updates the stamps of the files a build reports having written and
    /// removed (stat'ing only those) and returns them as the difference.
    func apply(site: String, directory: String, written: [String], removed: [String]) -> Difference {
        var difference = Difference()
        var fresh: [String: Stamp] = [:]
        for path in written {
            var info = stat()
            guard lstat(directory + "/" + path, &info) == 0 else { continue }
            fresh[path] = Stamp(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                                modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
        }
        lock.withLock {
            var current = stamps[site] ?? [:]
            for (path, stamp) in fresh { current[path] = stamp }
            for path in removed { current[path] = nil }
            stamps[site] = current
        }
        difference.changed = fresh.keys.sorted()
        difference.removed = removed.sorted()
        return difference
    }

    /// Forgets a site that is no longer built.
    func forget(site: String) {
        _ = lock.withLock { stamps.removeValue(forKey: site) }
    }

    /// Every file of `site` from the last scan.
    func files(of site: String) -> [String] {
        lock.withLock { stamps[site].map { Array($0.keys) } ?? [] }
    }

    private static func scan(_ directory: String, prefix: String, into result: inout [String: Stamp]) {
        guard let handle = opendir(directory) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                scan(path, prefix: relative, into: &result)
            case S_IFREG:
                if name.hasSuffix(".unjucksd-tmp") { continue }
                result[relative] = Stamp(
                    inode: UInt64(info.st_ino), size: Int64(info.st_size),
                    modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
            default:
                continue
            }
        }
    }

    /// The URL a browser uses for an output file: `a/b/index.html` -> `/a/b/`.
    static func url(forOutput path: String) -> String {
        if path == "index.html" { return "/" }
        if path.hasSuffix("/index.html") { return "/" + path.dropLast("index.html".count) }
        return "/" + path
    }
}
