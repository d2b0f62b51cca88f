import Cache

/// Where rendered outputs and page actions are kept by content address.
/// The cache tiers (memory -> SQLite -> Redis) implement it; a build never
/// depends on a value being there — a miss only means rendering again.
public protocol BlobStore: Sendable {
    func get(_ key: ContentHash) -> [UInt8]?
    func put(_ key: ContentHash, _ bytes: [UInt8])
    /// Looks up many keys at once ahead of use (Redis `MGET`), filling the
    /// faster tiers; returns the keys found.
    func prefetch(_ keys: [ContentHash]) -> Set<ContentHash>
    /// Records that the blobs `blobs` belong to `key`, so garbage
    /// collection keeps them while the record exists.
    func setAction(_ key: ContentHash, outputs blobs: [ContentHash])
}

extension Cache: BlobStore {}
