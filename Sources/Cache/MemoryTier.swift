import Synchronization

/// The in-process tier: a byte-bounded LRU map from content hash to bytes.
///
/// One `Mutex` guards an index plus an intrusive doubly linked list kept in
/// arrays (no per-entry allocation besides the value itself). The memory
/// governor calls `shrink(toFraction:)`, `removeAll()` and `setCapacity(_:)`.
public final class MemoryTier: Sendable {
    private let state: Mutex<LRUList>

    /// A tier holding at most `capacity` bytes of values.
    public init(capacity: Int) {
        state = Mutex(LRUList(capacity: max(0, capacity)))
    }

    /// The bytes stored under `key`, marking it most recently used.
    public func get(_ key: ContentHash) -> [UInt8]? {
        state.withLock { $0.get(key) }
    }

    /// Whether `key` is present (does not change recency).
    public func contains(_ key: ContentHash) -> Bool {
        state.withLock { $0.index[key] != nil }
    }

    /// Stores `bytes`, evicting least recently used entries to stay in
    /// bounds. A value larger than the whole capacity is not kept.
    public func set(_ key: ContentHash, _ bytes: [UInt8]) {
        state.withLock { $0.set(key, bytes) }
    }

    /// Removes one entry.
    public func remove(_ key: ContentHash) {
        state.withLock { $0.remove(key) }
    }

    /// Evicts least recently used entries until at most `fraction` (0...1)
    /// of the current bytes remain.
    public func shrink(toFraction fraction: Double) {
        state.withLock { list in
            let target = Int(Double(list.bytes) * min(max(fraction, 0), 1))
            list.evict(downTo: target)
        }
    }

    /// Drops every entry.
    public func removeAll() {
        state.withLock { list in list = LRUList(capacity: list.capacity) }
    }

    /// Changes the byte budget, evicting at once if it shrank.
    public func setCapacity(_ capacity: Int) {
        state.withLock { list in
            list.capacity = max(0, capacity)
            list.evict(downTo: list.capacity)
        }
    }

    /// The byte budget.
    public var capacity: Int { state.withLock { $0.capacity } }
    /// Bytes of values currently held.
    public var byteCount: Int { state.withLock { $0.bytes } }
    /// Number of entries currently held.
    public var count: Int { state.withLock { $0.index.count } }
}

/// Least-recently-used bookkeeping: `head` is the most recent entry.
struct LRUList: ~Copyable {
    struct Node {
        var key: ContentHash
        var value: [UInt8]
        var previous: Int
        var next: Int
    }

    var capacity: Int
    var bytes = 0
    var index: [ContentHash: Int] = [:]
    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    private var head = -1
    private var tail = -1

    init(capacity: Int) { self.capacity = capacity }

    mutating func get(_ key: ContentHash) -> [UInt8]? {
        guard let slot = index[key] else { return nil }
        moveToFront(slot)
        return nodes[slot].value
    }

    mutating func set(_ key: ContentHash, _ value: [UInt8]) {
        remove(key)
        guard value.count <= capacity else { return }
        let node = Node(key: key, value: value, previous: -1, next: head)
        let slot: Int
        if let free = freeSlots.popLast() {
            nodes[free] = node
            slot = free
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if head >= 0 { nodes[head].previous = slot }
        head = slot
        if tail < 0 { tail = slot }
        index[key] = slot
        bytes += value.count
        evict(downTo: capacity)
    }

    mutating func remove(_ key: ContentHash) {
        guard let slot = index.removeValue(forKey: key) else { return }
        unlink(slot)
        bytes -= nodes[slot].value.count
        nodes[slot].value = []
        freeSlots.append(slot)
    }

    mutating func evict(downTo target: Int) {
        while bytes > target, tail >= 0 {
            remove(nodes[tail].key)
        }
    }

    private mutating func moveToFront(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        nodes[slot].previous = -1
        nodes[slot].next = head
        if head >= 0 { nodes[head].previous = slot }
        head = slot
        if tail < 0 { tail = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let (previous, next) = (nodes[slot].previous, nodes[slot].next)
        if previous >= 0 { nodes[previous].next = next } else { head = next }
        if next >= 0 { nodes[next].previous = previous } else { tail = previous }
        nodes[slot].previous = -1
        nodes[slot].next = -1
    }
}
