import Synchronization

/// Small files' bytes and ETags in memory, keyed by resolved path and
/// validated against the file's identity (inode, size, mtime) on every use.
public final class StaticFileCache: Sendable {
    struct Entry: Sendable {
        let identity: FileIdentity
        let bytes: [UInt8]
        let etag: String
    }

    /// Files larger than this are read per request and not kept.
    public let maxFileBytes: Int
    /// When the cached bytes exceed this, the cache starts over.
    public let maxTotalBytes: Int
    private let state = Mutex<(entries: [String: Entry], totalBytes: Int)>(([:], 0))
    private let resolvedRoots = Mutex<[String: String]>([:])

    public init(maxFileBytes: Int = 1 << 20, maxTotalBytes: Int = 64 << 20) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
    }

    func lookup(path: String, identity: FileIdentity) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[path], entry.identity == identity else { return nil }
            return entry
        }
    }

    func store(path: String, entry: Entry) {
        guard entry.bytes.count <= maxFileBytes else { return }
        state.withLock { state in
            if state.totalBytes + entry.bytes.count > maxTotalBytes {
                state.entries.removeAll(keepingCapacity: true)
                state.totalBytes = 0
            }
            if let old = state.entries.updateValue(entry, forKey: path) { state.totalBytes -= old.bytes.count }
            state.totalBytes += entry.bytes.count
        }
    }

    /// The real path of a served root, resolved once (it is not expected to move while serving).
    func resolvedRoot(_ root: String) -> String? {
        if let known = resolvedRoots.withLock({ $0[root] }) { return known }
        guard let resolved = FileSystem.realPath(root) else { return nil }
        resolvedRoots.withLock { $0[root] = resolved }
        return resolved
    }

    /// Number of cached files.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Forgets everything (after a rebuild, to free memory).
    public func removeAll() {
        state.withLock { $0 = ([:], 0) }
        resolvedRoots.withLock { $0.removeAll() }
    }
}

/// What identifies a version of a file on disk.
struct FileIdentity: Sendable, Equatable {
    let inode: UInt64
    let size: Int
    let modifiedNanoseconds: Int64
    let isDirectory: Bool
    let isRegularFile: Bool
}
