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
    private let resolutions = Mutex<[String: Resolution]>([:])

    /// How long a URL-to-file resolution is trusted without walking the path again.
    /// Within it a file is still checked with `lstat` (gone, or replaced by a symlink,
    /// means a fresh resolution); only a directory swapped for a symlink goes unseen that long.
    public let resolutionLifetimeNanoseconds: UInt64

    /// Where a request path led: the real file, its display name, a `.gz` sibling.
    struct Resolution: Sendable {
        let path: String
        let fileName: String
        let gzipSibling: String?
        let resolvedAt: UInt64
    }

    public init(maxFileBytes: Int = 1 << 20, maxTotalBytes: Int = 64 << 20, resolutionLifetime: Duration = .seconds(1)) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        let parts = resolutionLifetime.components
        resolutionLifetimeNanoseconds = UInt64(max(0, parts.seconds)) * 1_000_000_000
            + UInt64(max(0, parts.attoseconds / 1_000_000_000))
    }

    func resolution(for key: String) -> Resolution? {
        guard resolutionLifetimeNanoseconds > 0,
              let found = resolutions.withLock({ $0[key] }) else { return nil }
        guard monotonicNanoseconds() &- found.resolvedAt < resolutionLifetimeNanoseconds else { return nil }
        return found
    }

    func store(_ resolution: Resolution, for key: String) {
        guard resolutionLifetimeNanoseconds > 0 else { return }
        resolutions.withLock { map in
            // Bounded: drop everything rather than track ages (entries are cheap to rebuild).
            if map.count >= 10_000 { map.removeAll(keepingCapacity: true) }
            map[key] = resolution
        }
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
        resolutions.withLock { $0.removeAll() }
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
