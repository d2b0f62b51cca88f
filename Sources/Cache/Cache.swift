import Dispatch
import Synchronization

/// A content-addressed store of bytes in three tiers: process memory, a
/// local SQLite file and an optional shared Redis.
///
/// Reads try memory, then SQLite, then Redis, and fill the faster tiers on a
/// lower hit. Writes go to memory and SQLite at once and to Redis in the
/// background. Lookups and stores never throw: a broken or slow tier costs
/// time and shows in `stats()`, it never fails a build.
public final class Cache: Sendable {
    public let configuration: CacheConfiguration
    /// The in-process LRU tier (the memory governor shrinks it).
    public let memory: MemoryTier
    /// The SQLite database: a file for `sqlite:`/`redis://` locations, process
    /// memory for `memory:`. Callers may keep their own tables here.
    public let database: SQLiteDatabase

    let sqlite: SQLiteTier?
    let redis: RedisTier?
    let codec: ValueCodec
    let memoryCounters = TierCounters()
    let sqliteCounters = TierCounters()
    let redisCounters: TierCounters
    private let storageErrorsLogged = Atomic<Int>(0)
    /// Values fetched from Redis are written to SQLite here, in the
    /// background: the caller goes on with them from the memory tier while
    /// they are stored (`flush()` waits for it).
    let fillQueue = DispatchQueue(label: "unjucksd.cache-fill")

    /// Opens the tiers named by `configuration.location`. Throws only when
    /// the SQLite file cannot be opened; Redis is connected lazily.
    public init(_ configuration: CacheConfiguration) throws {
        self.configuration = configuration
        memory = MemoryTier(capacity: configuration.memoryCapacity)
        codec = ValueCodec(compressionThreshold: configuration.compressionThreshold, secret: configuration.secret)
        database = try SQLiteDatabase(path: configuration.location.sqlitePath, readerCount: configuration.sqliteReaders)
        sqlite = configuration.location.sqlitePath == nil ? nil : try SQLiteTier(database: database)
        let redisCounters = TierCounters()
        self.redisCounters = redisCounters
        redis = configuration.location.redis.map {
            RedisTier(endpoint: $0, settings: configuration.redis, counters: redisCounters, log: configuration.log)
        }
    }

    deinit { close() }

    /// Whether stored values are deflated: always when they go to Redis,
    /// for SQLite alone only if configured (see `compressLocal`).
    var deflates: Bool { redis != nil || configuration.compressLocal }

    // MARK: Blobs

    /// The bytes stored under `key`, from the fastest tier that has them.
    public func get(_ key: ContentHash) -> [UInt8]? {
        if let bytes = memory.get(key) {
            memoryCounters.bump(.hits)
            return bytes
        }
        memoryCounters.bump(.misses)
        if let bytes = lowerTierGet(key, kind: .blob) {
            memory.set(key, bytes)
            return bytes
        }
        return nil
    }

    /// Stores `bytes` under `key` in every tier (Redis asynchronously).
    public func put(_ key: ContentHash, _ bytes: [UInt8]) {
        put([(key, bytes)])
    }

    /// Stores several values; the SQLite part is one transaction. (Calls
    /// made inside `database.transaction { }` join that transaction, which
    /// is how a caller batches puts with its own table writes.)
    public func put(_ entries: [(key: ContentHash, bytes: [UInt8])]) {
        guard !entries.isEmpty else { return }
        var encoded: [(key: ContentHash, encoded: [UInt8])] = []
        encoded.reserveCapacity(entries.count)
        for entry in entries {
            memory.set(entry.key, entry.bytes)
            if sqlite != nil || redis != nil {
                encoded.append((entry.key, codec.encode(entry.bytes, key: entry.key, kind: .blob, deflate: deflates)))
            }
        }
        if let sqlite {
            storage(sqliteCounters) { try sqlite.store(encoded) }
        }
        if let redis {
            for entry in encoded { redis.enqueueSet(redisKey(entry.key, kind: .blob), entry.encoded) }
        }
    }

    /// Stores one large value this process will not read again in SQLite and
    /// Redis only, always deflated whatever `--cache-compress-local` says
    /// (e.g. a site's page records: repetitive, written once per cold
    /// build). Neither the memory tier nor an uncompressed copy holds its
    /// bytes beyond the call.
    public func putArchived(_ key: ContentHash, _ bytes: [UInt8]) {
        guard sqlite != nil || redis != nil else { return memory.set(key, bytes) }
        let encoded = codec.encode(bytes, key: key, kind: .blob, deflate: true)
        if let sqlite {
            storage(sqliteCounters) { try sqlite.store([(key, encoded)]) }
        }
        redis?.enqueueSet(redisKey(key, kind: .blob), encoded)
    }

    /// Deletes `key` from memory and SQLite (Redis entries expire on their own).
    public func remove(_ key: ContentHash) {
        memory.remove(key)
        if let sqlite { storage(sqliteCounters) { try sqlite.remove(key) } }
    }

    /// Looks every key up before a build, in batches: keys in memory or
    /// SQLite count as found; the rest are fetched from Redis with MGET and
    /// stored into SQLite and memory. Returns the keys now available.
    /// SQLite values are checked on `get`, not here, so a key reported found
    /// can still miss if its stored value turns out corrupt.
    public func prefetch(_ keys: [ContentHash]) -> Set<ContentHash> {
        var found = Set<ContentHash>()
        var remaining: [ContentHash] = []
        for key in Set(keys) {
            if memory.contains(key) { found.insert(key) } else { remaining.append(key) }
        }
        if let sqlite, !remaining.isEmpty {
            let local = storage(sqliteCounters) { try sqlite.existing(remaining) } ?? []
            found.formUnion(local)
            remaining.removeAll { local.contains($0) }
        }
        guard let redis, !remaining.isEmpty else { return found }
        let values = redis.getMany(remaining.map { redisKey($0, kind: .blob) })
        let present = zip(remaining, values).compactMap { key, value in value.map { (key: key, encoded: $0) } }
        var fetched: [(key: ContentHash, encoded: [UInt8])] = []
        for (entry, bytes) in zip(present, acceptAll(present, kind: .blob, tier: .redis)) {
            guard let bytes else { continue }
            memory.set(entry.key, bytes)
            fetched.append(entry)
            found.insert(entry.key)
        }
        if let sqlite, !fetched.isEmpty {
            fillQueue.async { [fetched] in self.storage(self.sqliteCounters) { try sqlite.store(fetched) } }
        }
        redis.enqueueRefresh(fetched.map { redisKey($0.key, kind: .blob) })
        return found
    }

    // MARK: Actions

    /// The output blob hashes recorded for action `key` (e.g. a page's input hash).
    public func action(_ key: ContentHash) -> [ContentHash]? {
        let memoryKey = Self.actionMemoryKey(key)
        if let bytes = memory.get(memoryKey) {
            memoryCounters.bump(.hits)
            return Self.hashes(from: bytes)
        }
        memoryCounters.bump(.misses)
        guard let bytes = lowerTierGet(key, kind: .action), let outputs = Self.hashes(from: bytes) else { return nil }
        memory.set(memoryKey, bytes)
        return outputs
    }

    /// Records that action `key` produced the blobs `outputs` (in order).
    public func setAction(_ key: ContentHash, outputs: [ContentHash]) {
        setActions([(key, outputs)])
    }

    /// Records several actions; the SQLite part is one transaction.
    /// `shared: false` leaves Redis out (it has the record already).
    public func setActions(_ actions: [(key: ContentHash, outputs: [ContentHash])], shared: Bool = true) {
        let redis = shared ? self.redis : nil
        var encoded: [(key: ContentHash, encoded: [UInt8])] = []
        encoded.reserveCapacity(actions.count)
        for action in actions {
            let bytes = action.outputs.flatMap(\.bytes)
            memory.set(Self.actionMemoryKey(action.key), bytes)
            if sqlite != nil || redis != nil {
                // Lists of hashes do not compress: not deflated.
                encoded.append((action.key, codec.encode(bytes, key: action.key, kind: .action, deflate: false)))
            }
        }
        if let sqlite { storage(sqliteCounters) { try sqlite.storeActions(encoded) } }
        if let redis {
            for action in encoded { redis.enqueueSet(redisKey(action.key, kind: .action), action.encoded) }
        }
    }

    /// Fetches many actions at once (SQLite, then one MGET batch per
    /// `batchSize` keys from Redis); returns those found.
    public func prefetchActions(_ keys: [ContentHash]) -> [ContentHash: [ContentHash]] {
        var found: [ContentHash: [ContentHash]] = [:]
        var remaining: [ContentHash] = []
        for key in Set(keys) {
            if let bytes = memory.get(Self.actionMemoryKey(key)), let outputs = Self.hashes(from: bytes) {
                found[key] = outputs
            } else {
                remaining.append(key)
            }
        }
        if let sqlite {
            remaining = remaining.filter { key in
                guard let stored = storage(sqliteCounters, { try sqlite.loadAction(key) }) ?? nil,
                      let bytes = accept(stored, key: key, kind: .action, tier: .sqlite),
                      let outputs = Self.hashes(from: bytes) else { return true }
                memory.set(Self.actionMemoryKey(key), bytes)
                found[key] = outputs
                return false
            }
        }
        guard let redis, !remaining.isEmpty else { return found }
        let values = redis.getMany(remaining.map { redisKey($0, kind: .action) })
        var fetched: [[UInt8]] = []
        for (key, value) in zip(remaining, values) {
            guard let value, let bytes = accept(value, key: key, kind: .action, tier: .redis),
                  let outputs = Self.hashes(from: bytes) else { continue }
            memory.set(Self.actionMemoryKey(key), bytes)
            if let sqlite { storage(sqliteCounters) { try sqlite.storeAction(key, encoded: value) } }
            found[key] = outputs
            fetched.append(redisKey(key, kind: .action))
        }
        redis.enqueueRefresh(fetched)
        return found
    }

    // MARK: Lower tiers

    private func lowerTierGet(_ key: ContentHash, kind: ValueKind) -> [UInt8]? {
        if let sqlite {
            let stored = storage(sqliteCounters) {
                try kind == .blob ? sqlite.load(key) : sqlite.loadAction(key)
            } ?? nil
            if let stored, let bytes = accept(stored, key: key, kind: kind, tier: .sqlite) {
                return bytes
            }
            if stored == nil { sqliteCounters.bump(.misses) }
        }
        guard let redis else { return nil }
        switch redis.get(redisKey(key, kind: kind)) {
        case .found(let stored):
            guard let bytes = accept(stored, key: key, kind: kind, tier: .redis) else { return nil }
            redis.enqueueRefresh([redisKey(key, kind: kind)])
            if let sqlite {
                if kind == .blob {
                    storage(sqliteCounters) { try sqlite.store([(key, stored)]) }
                } else if bytes.count % ContentHash.byteCount == 0 {  // a list of hashes
                    storage(sqliteCounters) { try sqlite.storeAction(key, encoded: stored) }
                }
            }
            return bytes
        case .missing:
            redisCounters.bump(.misses)
            return nil
        case .unavailable:
            return nil
        }
    }

    /// `accept` for many values, on every core (checksums and inflating
    /// thousands of fetched pages are most of a warm build's CPU).
    private func acceptAll(_ values: [(key: ContentHash, encoded: [UInt8])], kind: ValueKind, tier: CacheTier) -> [[UInt8]?] {
        var results = [[UInt8]?](repeating: nil, count: values.count)
        let chunk = 64
        results.withUnsafeMutableBufferPointer { buffer in
            // Each chunk writes its own slots.
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: (values.count + chunk - 1) / chunk) { index in
                for position in (index * chunk)..<min(values.count, (index + 1) * chunk) {
                    let value = values[position]
                    (out + position).pointee = accept(value.encoded, key: value.key, kind: kind, tier: tier)
                }
            }
        }
        return results
    }

    /// Decodes a stored value; a refused one is counted as a miss and deleted
    /// from the tier it came from.
    private func accept(_ stored: [UInt8], key: ContentHash, kind: ValueKind, tier: CacheTier) -> [UInt8]? {
        let counters = tier == .redis ? redisCounters : sqliteCounters
        do {
            let bytes = try codec.decode(stored, key: key, kind: kind)
            counters.bump(.hits)
            return bytes
        } catch {
            counters.bump(.rejected)
            counters.bump(.misses)
            switch tier {
            case .redis: redis?.delete([redisKey(key, kind: kind)])
            case .sqlite:
                if let sqlite {
                    storage(sqliteCounters) { try kind == .blob ? sqlite.remove(key) : sqlite.removeAction(key) }
                }
            case .memory: break
            }
            return nil
        }
    }

    /// Runs an SQLite operation; a failure is counted (and the first few
    /// logged) instead of thrown, since the cache is only an accelerator.
    @discardableResult
    private func storage<T>(_ counters: TierCounters, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch {
            counters.bump(.errors)
            if storageErrorsLogged.add(1, ordering: .relaxed).newValue <= 3 {
                configuration.log("cache: sqlite: \(error)")
            }
            return nil
        }
    }

    // MARK: Keys

    /// The Redis key of a blob: namespace + hex SHA-256.
    public func redisKey(for key: ContentHash) -> String {
        configuration.namespace + key.hex
    }

    /// The Redis key of an action: namespace + "action:" + hex SHA-256.
    public func redisActionKey(for key: ContentHash) -> String {
        configuration.namespace + "action:" + key.hex
    }

    private func redisKey(_ key: ContentHash, kind: ValueKind) -> [UInt8] {
        Array((kind == .blob ? redisKey(for: key) : redisActionKey(for: key)).utf8)
    }

    /// Actions share the memory tier with blobs under a derived key.
    private static func actionMemoryKey(_ key: ContentHash) -> ContentHash {
        var hasher = ContentHasher()
        hasher.update("unjucksd-action")
        hasher.update(key)
        return hasher.finalize()
    }

    static func hashes(from bytes: [UInt8]) -> [ContentHash]? {
        guard bytes.count % ContentHash.byteCount == 0 else { return nil }
        return stride(from: 0, to: bytes.count, by: ContentHash.byteCount).map {
            ContentHash(bytes: bytes[$0..<$0 + ContentHash.byteCount])!
        }
    }
}
