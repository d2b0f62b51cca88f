/// Name → value storage for template data: keys in order, searched by a
/// precomputed tag (template objects and contexts hold few names); past
/// `indexThreshold` names a hash index is kept as well. A value type.
struct PropertyTable: Sendable {
    private(set) var keys: [String] = []
    private(set) var values: [Value] = []
    private var tags: [UInt64] = []
    /// Key → position, kept only for large tables.
    private var index: [String: Int]?

    static let indexThreshold = 24

    init() {}

    var count: Int { keys.count }

    @inline(__always)
    func position(of key: String, tag: UInt64) -> Int? {
        if let index { return index[key] }
        return tags.withUnsafeBufferPointer { t in
            var i = 0
            let n = t.count
            while i < n {
                if t[i] == tag && keys[i] == key { return i }
                i += 1
            }
            return nil
        }
    }

    subscript(key: String) -> Value? {
        get { self[PropertyName(key)] }
        set { set(PropertyName(key), newValue, at: nil) }
    }

    @inline(__always)
    subscript(name: PropertyName) -> Value? {
        get {
            guard let i = position(of: name.string, tag: name.tag) else { return nil }
            return values[i]
        }
        set { set(name, newValue, at: nil) }
    }

    func value(at position: Int) -> Value { values[position] }

    /// Sets, adds (at `insertionPoint`, or last) or with nil removes a name.
    mutating func set(_ name: PropertyName, _ value: Value?, at insertionPoint: ((PropertyTable) -> Int)?) {
        let existing = position(of: name.string, tag: name.tag)
        guard let value else {
            if let existing {
                keys.remove(at: existing)
                values.remove(at: existing)
                tags.remove(at: existing)
                rebuildIndex()
            }
            return
        }
        if let existing {
            values[existing] = value
            return
        }
        let position = insertionPoint?(self) ?? keys.count
        if position == keys.count {
            keys.append(name.string)
            values.append(value)
            tags.append(name.tag)
            if index != nil {
                index![name.string] = position
            } else if keys.count > PropertyTable.indexThreshold {
                rebuildIndex()
            }
        } else {
            keys.insert(name.string, at: position)
            values.insert(value, at: position)
            tags.insert(name.tag, at: position)
            rebuildIndex()
        }
    }

    /// Replaces every value, keeping the keys (and sharing their storage
    /// with the tables this one was copied from).
    mutating func replaceValues(_ newValues: [Value]) {
        precondition(newValues.count == keys.count, "one value per key")
        values = newValues
    }

    mutating func removeAll() {
        keys.removeAll()
        values.removeAll()
        tags.removeAll()
        index = nil
    }

    mutating func reserveCapacity(_ n: Int) {
        keys.reserveCapacity(n)
        values.reserveCapacity(n)
        tags.reserveCapacity(n)
    }

    private mutating func rebuildIndex() {
        guard keys.count > PropertyTable.indexThreshold else {
            index = nil
            return
        }
        var built: [String: Int] = [:]
        built.reserveCapacity(keys.count)
        for (i, key) in keys.enumerated() { built[key] = i }
        index = built
    }
}
