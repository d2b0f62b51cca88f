import Glibc

/// What the polling watcher remembers of one file: enough to notice a
/// rewrite (size, mtime, inode) but not a chmod (ctime and mode are ignored).
struct FileStamp: Equatable, Sendable {
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        size = Int64(info.st_size)
        modifiedSeconds = info.st_mtim.tv_sec
        modifiedNanoseconds = info.st_mtim.tv_nsec
        inode = UInt64(info.st_ino)
    }
}

/// Every file under a directory tree with its stamp; two snapshots diff into a batch.
struct DirectorySnapshot: Sendable {
    private(set) var files: [String: FileStamp] = [:]

    /// Scans `root` recursively, honouring `filter`. A missing root gives an empty snapshot.
    static func scan(_ root: String, filter: PathFilter) -> DirectorySnapshot {
        var snapshot = DirectorySnapshot()
        var pending = [root]
        while let directory = pending.popLast() {
            guard let entries = DirectoryListing.entries(of: directory) else { continue }
            for entry in entries {
                let path = directory + "/" + entry.name
                if entry.isDirectory {
                    if !filter.skipsDirectory(named: Substring(entry.name), at: path) { pending.append(path) }
                } else if !filter.excludes(path), let stamp = FileStamp(path: path) {
                    snapshot.files[path] = stamp
                }
            }
        }
        return snapshot
    }

    /// Records into `batch` what differs from `older` to `self`; returns the number of differences.
    @discardableResult
    func differences(from older: DirectorySnapshot, into batch: inout PendingBatch) -> Int {
        var count = 0
        for (path, stamp) in files where older.files[path] != stamp {
            batch.markChanged(path)
            count += 1
        }
        for path in older.files.keys where files[path] == nil {
            batch.markRemoved(path)
            count += 1
        }
        return count
    }
}
