import Synchronization

/// Records by site-relative path: a base dictionary, shared rather than
/// copied, with changes kept on top of it.
///
/// A build starts from the last build's records and changes a few of them
/// (one post edited: a handful of 4,000). With plain dictionaries the first
/// change to `new = old` copied the whole table — three 4,000-entry copies
/// per rebuild, 3% of a one-post build and 600 page faults. Here both maps
/// keep sharing the base, and the commit compares only the changed keys.
public struct RecordMap<Record: Sendable & Equatable>: Sendable, Sequence {
    /// Never mutated once the map exists.
    private let base: [String: Record]
    /// Keys set (`.some(record)`) or removed (`.some(nil)`) on top of `base`.
    private var changes: [String: Record?] = [:]
    /// Which base this is: maps made from one another share it.
    private let baseID: Int

    private static var nextBaseID: Int { baseIDs.add(1, ordering: .relaxed).newValue }

    public init() {
        self.init([:])
    }

    public init(_ records: [String: Record]) {
        base = records
        baseID = Self.nextBaseID
    }

    public subscript(key: String) -> Record? {
        get {
            if !changes.isEmpty, let change = changes[key] { return change }
            return base[key]
        }
        set {
            changes.updateValue(newValue, forKey: key)
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> Record? {
        guard let record = self[key] else { return nil }
        changes.updateValue(nil, forKey: key)
        return record
    }

    public var count: Int {
        var count = base.count
        for (key, change) in changes {
            let inBase = base[key] != nil
            if change == nil, inBase { count -= 1 }
            if change != nil, !inBase { count += 1 }
        }
        return count
    }

    public var isEmpty: Bool { count == 0 }

    /// The keys, without copying a record (iterating pairs copies each).
    public var keys: [String] {
        if changes.isEmpty { return Array(base.keys) }
        var keys: [String] = []
        keys.reserveCapacity(base.count + changes.count)
        for key in base.keys where changes[key] == nil { keys.append(key) }
        for (key, change) in changes where change != nil { keys.append(key) }
        return keys
    }

    /// The keys whose records may differ between this map and `other`, when
    /// both rest on the same base (one was made from the other); nil when
    /// they do not, and every key has to be compared.
    public func changedKeys(since other: RecordMap) -> Set<String>? {
        guard baseID == other.baseID else { return nil }
        return Set(changes.keys).union(other.changes.keys)
    }

    /// The same records in one dictionary: for a map kept from one build
    /// to the next.
    public func compacted() -> RecordMap {
        guard !changes.isEmpty else { return self }
        var merged = base
        for (key, change) in changes { merged[key] = change }
        return RecordMap(merged)
    }

    public struct Iterator: IteratorProtocol {
        var baseEntries: Dictionary<String, Record>.Iterator
        var changedEntries: Dictionary<String, Record?>.Iterator
        let changes: [String: Record?]

        public mutating func next() -> (key: String, value: Record)? {
            while let entry = baseEntries.next() {
                if changes.isEmpty || changes[entry.key] == nil { return entry }
            }
            while let entry = changedEntries.next() {
                if let record = entry.value { return (entry.key, record) }
            }
            return nil
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(baseEntries: base.makeIterator(), changedEntries: changes.makeIterator(), changes: changes)
    }
}

private let baseIDs = Atomic<Int>(0)
