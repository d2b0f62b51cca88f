import Cache

/// Where rendered outputs and page actions are kept by content address.
/// The cache tiers (memory -> SQLite -> Redis) implement it; a build never
/// depends on a value being there — a miss only means rendering again.
public protocol BlobStore: Sendable {
    func get(_ key: ContentHash) -> [UInt8]?
    func put(_ key: ContentHash, _ bytes: [UInt8])
    /// Stores many values in one go (one SQLite transaction).
    func put(_ entries: [(key: ContentHash, bytes: [UInt8])])
    /// Stores a large value read only by later processes: below the memory
    /// tier, compressed (see `Cache.putArchived`).
    func putArchived(_ key: ContentHash, _ bytes: [UInt8])
    /// Runs `body` so that the stores it makes commit together.
    func batch(_ body: () -> Void)
    /// Looks up many keys at once ahead of use (Redis `MGET`), filling the
    /// faster tiers; returns the keys found.
    func prefetch(_ keys: [ContentHash]) -> Set<ContentHash>
    /// Records, for each action, that the blobs `outputs` belong to its
    /// `key`, so garbage collection keeps them while the record exists.
    /// `shared: false` records it in this machine's tiers only (for actions
    /// fetched from Redis, which has its own record).
    func setActions(_ actions: [(key: ContentHash, outputs: [ContentHash])], shared: Bool)
}

extension BlobStore {
    func setActions(_ actions: [(key: ContentHash, outputs: [ContentHash])]) { setActions(actions, shared: true) }
}

extension Cache: BlobStore {
    public func batch(_ body: () -> Void) {
        do {
            try database.transaction { _ in body() }
        } catch {
            body()  // no transaction to be had: store one by one
        }
    }
}
