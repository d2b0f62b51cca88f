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

    struct Stored: Sendable {
        var record: BuildState.OutputRecord?
        var hash: ContentHash
        var written: Bool
        var error: OutputError?
    }

    init(outputDirectory: String, previous: [String: BuildState.OutputRecord], blobs: BlobStore?) {
        self.outputDirectory = outputDirectory
        self.previous = previous
        self.blobs = blobs
    }

    /// Whether `path` holds exactly what the manifest says with `hash`.
    func isCurrent(_ path: String, hash: ContentHash) -> BuildState.OutputRecord? {
        guard let record = previous[path], record.hash == hash,
              let stat = OutputFiles.fileStat(outputDirectory + "/" + path),
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
            if let full { blobs.put(full) }
        }
        return write(bytes, at: path, source: source, hash: hash)
    }

    func write(_ bytes: [UInt8], at path: String, source: String, hash: ContentHash) -> Stored {
        if var current = isCurrent(path, hash: hash) {
            current = BuildState.OutputRecord(source: source, hash: hash, size: current.size, mtimeNanoseconds: current.mtimeNanoseconds)
            return Stored(record: current, hash: hash, written: false, error: nil)
        }
        let absolute = outputDirectory + "/" + path
        do {
            try ensureDirectory(of: absolute)
            try AtomicFileWriter.write(bytes, to: absolute, createDirectories: false)
        } catch {
            return Stored(record: nil, hash: hash, written: false, error: error)
        }
        guard let stat = OutputFiles.fileStat(absolute) else {
            return Stored(record: nil, hash: hash, written: true, error: OutputError(path: absolute, reason: "vanished after writing"))
        }
        let record = BuildState.OutputRecord(source: source, hash: hash, size: stat.size, mtimeNanoseconds: stat.mtimeNanoseconds)
        return Stored(record: record, hash: hash, written: true, error: nil)
    }

    /// Stores the blobs still waiting.
    func flush() {
        let rest = pending.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
        if !rest.isEmpty { blobs?.put(rest) }
    }

    private func ensureDirectory(of file: String) throws(OutputError) {
        let directory = (file as NSString).deletingLastPathComponent
        if createdDirectories.withLock({ $0.contains(directory) }) { return }
        try AtomicFileWriter.makeDirectories(directory)
        createdDirectories.withLock { _ = $0.insert(directory) }
    }
}
