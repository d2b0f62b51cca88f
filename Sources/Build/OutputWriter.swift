import Cache
import Foundation
import Site
import Synchronization

/// Writes one site's outputs from any worker thread: hashes the bytes,
/// stores them in the cache, and writes the file atomically unless the
/// manifest of the last build and the file on disk show it already holds
/// those bytes.
final class OutputWriter: @unchecked Sendable {
    let outputDirectory: String
    let previous: RecordMap<BuildState.OutputRecord>
    let blobs: BlobStore?
    /// Blobs and page actions waiting to be stored together: one SQLite
    /// transaction per `batchSize` entries or `batchBytes` bytes instead of
    /// one per output or page (every commit rewrites the touched b-tree
    /// pages into the WAL). At most two batches wait for the store queue
    /// and one fills: the bytes held are bounded by about 3 x `batchBytes`.
    private let pending = Mutex<PendingStores>(PendingStores())
    let batchSize = 1024
    let batchBytes: Int

    struct PendingStores {
        var blobs: [(key: ContentHash, bytes: [UInt8])] = []
        var actions: [(key: ContentHash, encoded: [UInt8], outputs: [ContentHash])] = []
        var pages: [(path: String, key: ContentHash, encodedAction: [UInt8])] = []
        var outputs: [(path: String, record: BuildState.OutputRecord)] = []
        var bytes = 0
        var count: Int { blobs.count + actions.count }
    }

    /// Where rendered pages' state rows go ahead of the commit (see
    /// `BuildState.writeEarly`), and which of them were written.
    let state: (database: SQLiteDatabase, site: String)?
    private let early = Mutex(BuildState.EarlyRows())
    /// Cache stores run here, one batch after another, so that neither the
    /// workers nor the build thread wait on the SQLite writer (or on zlib).
    private let storeQueue = DispatchQueue(label: "unjucksd.cache-store")
    /// Batches handed to `storeQueue` and not yet stored. Bounded, so that
    /// when SQLite falls behind the renderers wait instead of piling up
    /// rendered pages in memory.
    private let batchesInFlight = DispatchSemaphore(value: 2)

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

    init(outputDirectory: String, previous: RecordMap<BuildState.OutputRecord>, blobs: BlobStore?, trustManifest: Bool = false,
         batchBytes: Int = 4 << 20, state: (database: SQLiteDatabase, site: String)? = nil) {
        self.trustManifest = trustManifest
        self.state = state
        self.batchBytes = batchBytes
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
        if cache, blobs != nil {
            enqueue {
                $0.blobs.append((hash, bytes))
                $0.bytes += bytes.count
            }
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
            // A path the last build wrote still has its directory, nearly
            // always: no `mkdir` (and `stat` on EEXIST) per rewritten output.
            info = try AtomicFileWriter.write(bytes, to: absolute, directories: previous[path] == nil ? .first : .whenMissing)
        } catch {
            return Stored(path: path, record: nil, hash: hash, written: false, error: error)
        }
        let written = FileStat(info)
        let record = BuildState.OutputRecord(source: source, hash: hash, size: written.size, mtimeNanoseconds: written.mtimeNanoseconds)
        return Stored(path: path, record: record, hash: hash, written: true, error: nil)
    }

    /// Queues what a rendered page leaves: its action under its key
    /// (naming the output blobs) and its state rows — all written with the
    /// next batch of blobs. The page's outputs are already on disk.
    func storeRendered(page: (path: String, record: BuildState.PageRecord), outputs: [(path: String, record: BuildState.OutputRecord)]) {
        guard blobs != nil else { return }
        let encoded = page.record.action.encoded()
        enqueue {
            $0.actions.append((page.record.key, encoded, page.record.action.outputs.map(\.hash)))
            $0.bytes += encoded.count
            if state != nil {
                $0.pages.append((page.path, page.record.key, encoded))
                $0.outputs += outputs
            }
        }
    }

    /// Queues the state rows of a page whose outputs were just restored from
    /// the cache (now on disk): written with the next batch, on the store
    /// thread, while the build restores the following pages.
    func storeRestored(page: (path: String, record: BuildState.PageRecord), outputs: [(path: String, record: BuildState.OutputRecord)]) {
        guard blobs != nil, state != nil else { return }
        let encoded = page.record.action.encoded()
        enqueue {
            $0.pages.append((page.path, page.record.key, encoded))
            $0.outputs += outputs
            $0.bytes += encoded.count
        }
    }

    /// Records, in this machine's tiers only, actions fetched from Redis (so
    /// `cache gc` keeps what they name); on the store thread, off the build's path.
    func storeReferences(_ actions: [(key: ContentHash, outputs: [ContentHash])]) {
        guard let blobs, !actions.isEmpty else { return }
        storeQueue.async { blobs.setActions(actions, shared: false) }
    }

    /// The state rows written so far (complete after `flush()`).
    var earlyRows: BuildState.EarlyRows { early.withLock { $0 } }

    /// Stores the entries still waiting and waits until every queued store is done.
    func flush() {
        let rest = pending.withLock { queue in
            defer { queue = PendingStores() }
            return queue
        }
        if rest.count > 0 || !rest.pages.isEmpty { dispatch(rest) }
        storeQueue.sync {}
    }

    private func enqueue(_ add: (inout PendingStores) -> Void) {
        let full: PendingStores? = pending.withLock { queue in
            add(&queue)
            guard queue.count >= batchSize || queue.pages.count >= batchSize || queue.bytes >= batchBytes else { return nil }
            defer { queue = PendingStores() }
            return queue
        }
        if let full { dispatch(full) }
    }

    private func dispatch(_ stores: PendingStores) {
        batchesInFlight.wait()
        storeQueue.async {
            self.commit(stores)
            self.batchesInFlight.signal()
        }
    }

    /// One transaction: the blobs, then each action with the blobs it names
    /// (the page's key names both its action record and, for garbage
    /// collection, the blobs it needs: the record itself and the outputs).
    private func commit(_ stores: PendingStores) {
        guard let blobs else { return }
        blobs.batch {
            blobs.put(stores.blobs + stores.actions.map { ($0.key, $0.encoded) })
            blobs.setActions(stores.actions.map { ($0.key, [$0.key] + $0.outputs) })
            if let state, !stores.pages.isEmpty || !stores.outputs.isEmpty {
                do {
                    try state.database.write { try BuildState.writeEarly(site: state.site, pages: stores.pages, outputs: stores.outputs, $0) }
                    early.withLock { early in
                        for page in stores.pages { early.pages.insert(page.path) }
                        for output in stores.outputs { early.outputs.insert(output.path) }
                    }
                } catch {
                    // Not written now: the commit writes them.
                }
            }
        }
    }
}
