import Cache
import Foundation
import Site
import Synchronization

/// Writes one site's outputs from any worker thread: hashes the bytes,
/// stores them in the cache, and writes the file atomically unless the
/// manifest of the last build and the file on disk show it already holds
/// those bytes. Creates each output directory once per build.
final class OutputWriter: @unchecked Sendable {
    let outputDirectory: String
    let previous: [String: BuildState.OutputRecord]
    let blobs: BlobStore?
    private let createdDirectories = Mutex<Set<String>>([])
    /// Blobs waiting to be stored together: one SQLite transaction per
    /// `batchSize` outputs instead of one per output.
    private let pending = Mutex<[(key: ContentHash, bytes: [UInt8])]>([])
    let batchSize = 64
    /// Cache stores run here, one batch after another, so that neither the
    /// workers nor the build thread wait on the SQLite writer (or on zlib).
    private let storeQueue = DispatchQueue(label: "unjucksd.cache-store")

    struct Stored: Sendable {
        /// Relative to the site's output directory.
        var path: String
        var record: BuildState.OutputRecord?
        var hash: ContentHash
        var written: Bool
        var error: OutputError?
    }

    /// Take the manifest's word that an output holds what it recorded
    /// (incremental rebuilds in the daemon, which owns the output directory).
    let trustManifest: Bool

    init(outputDirectory: String, previous: [String: BuildState.OutputRecord], blobs: BlobStore?, trustManifest: Bool = false) {
        self.trustManifest = trustManifest
        self.outputDirectory = outputDirectory
        self.previous = previous
        self.blobs = blobs
    }

    /// Whether `path` holds exactly what the manifest says with `hash`.
    func isCurrent(_ path: String, hash: ContentHash) -> BuildState.OutputRecord? {
        guard let record = previous[path], record.hash == hash else { return nil }
        if trustManifest { return record }
        guard let stat = OutputFiles.fileStat(outputDirectory + "/" + path),
              stat.size == record.size, stat.mtimeNanoseconds == record.mtimeNanoseconds else { return nil }
        return record
    }

    /// Stores rendered bytes: cache blob, then the file if it changed.
    func store(_ bytes: [UInt8], at path: String, source: String, cache: Bool = true) -> Stored {
        let hash = ContentHash.of(bytes)
        if cache, let blobs {
            let full: [(key: ContentHash, bytes: [UInt8])]? = pending.withLock { queue in
                queue.append((hash, bytes))
                guard queue.count >= batchSize else { return nil }
                defer { queue.removeAll(keepingCapacity: true) }
                return queue
            }
            if let full { storeQueue.async { blobs.put(full) } }
        }
        return write(bytes, at: path, source: source, hash: hash)
    }

    func write(_ bytes: [UInt8], at path: String, source: String, hash: ContentHash) -> Stored {
        if var current = isCurrent(path, hash: hash) {
            current = BuildState.OutputRecord(source: source, hash: hash, size: current.size, mtimeNanoseconds: current.mtimeNanoseconds)
            return Stored(path: path, record: current, hash: hash, written: false, error: nil)
        }
        let absolute = outputDirectory + "/" + path
        let info: stat
        do {
            try ensureDirectory(of: absolute)
            info = try AtomicFileWriter.write(bytes, to: absolute, createDirectories: false)
        } catch {
            return Stored(path: path, record: nil, hash: hash, written: false, error: error)
        }
        let record = BuildState.OutputRecord(source: source, hash: hash, size: Int64(info.st_size),
                                             mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
        return Stored(path: path, record: record, hash: hash, written: true, error: nil)
    }

    /// Queues a page's action record: stored with the blobs it names.
    func storeAction(_ key: ContentHash, encoded: [UInt8], outputs: [ContentHash]) {
        guard let blobs else { return }
        storeQueue.async {
            blobs.batch {
                blobs.put(key, encoded)
                // The page's key names both its action record and, for garbage
                // collection, the blobs it needs: the record itself and the outputs.
                blobs.setAction(key, outputs: [key] + outputs)
            }
        }
    }

    /// Stores the blobs still waiting and waits until every queued store is done.
    func flush() {
        let rest = pending.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
        if let blobs, !rest.isEmpty { storeQueue.async { blobs.put(rest) } }
        storeQueue.sync {}
    }

    private func ensureDirectory(of file: String) throws(OutputError) {
        let directory = (file as NSString).deletingLastPathComponent
        if createdDirectories.withLock({ $0.contains(directory) }) { return }
        try AtomicFileWriter.makeDirectories(directory)
        createdDirectories.withLock { _ = $0.insert(directory) }
    }
}
