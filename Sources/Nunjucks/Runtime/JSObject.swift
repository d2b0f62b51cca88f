/// A JS plain object. Key order is JS's: integer-like keys first in ascending
/// numeric order, then the other keys in insertion order.
///
/// Template data objects are small (a handful of keys), so entries live in
/// parallel arrays searched by a precomputed key tag; only objects past
/// `JSObject.indexThreshold` keys also keep a hash index.
public final class JSObject: @unchecked Sendable {
    @exclusivity(unchecked) public private(set) var keys: [String] = []
    @exclusivity(unchecked) private var values: [Value] = []
    @exclusivity(unchecked) private var tags: [UInt64] = []
    /// Key → position, kept only for large objects.
    @exclusivity(unchecked) private var index: [String: Int]?
    /// Set on the object Nunjucks builds for keyword arguments (`__keywords`).
    public var isKeywordArguments = false

    static let indexThreshold = 24

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        tags.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }

    /// The properties as a dictionary (unordered).
    public var storage: [String: Value] {
        var result: [String: Value] = [:]
        result.reserveCapacity(keys.count)
        for i in keys.indices { result[keys[i]] = values[i] }
        return result
    }

    public subscript(key: String) -> Value? {
        get {
            guard let i = position(of: key, tag: PropertyName.tag(of: key)) else { return nil }
            return values[i]
        }
        set {
            let tag = PropertyName.tag(of: key)
            if let newValue {
                if let i = position(of: key, tag: tag) {
                    values[i] = newValue
                } else {
                    insert(key, tag: tag, newValue)
                }
            } else if let i = position(of: key, tag: tag) {
                keys.remove(at: i)
                values.remove(at: i)
                tags.remove(at: i)
                rebuildIndex()
            }
        }
    }

    /// Lookup by a name whose tag was computed once (property names in templates).
    @inline(__always)
    public subscript(name: PropertyName) -> Value? {
        guard let i = position(of: name.string, tag: name.tag) else { return nil }
        return values[i]
    }

    /// The properties as a (value-type) table, in order.
    var propertyTable: PropertyTable {
        var table = PropertyTable()
        table.reserveCapacity(keys.count)
        for i in keys.indices { table[PropertyName(keys[i])] = values[i] }
        return table
    }

    /// Pairs in JS iteration order.
    public var entries: [(key: String, value: Value)] {
        var result: [(key: String, value: Value)] = []
        result.reserveCapacity(keys.count)
        for i in keys.indices { result.append((keys[i], values[i])) }
        return result
    }

    @inline(__always)
    private func position(of key: String, tag: UInt64) -> Int? {
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

    private func insert(_ key: String, tag: UInt64, _ value: Value) {
        var position = keys.count
        if let index = JSObject.arrayIndex(key) {
            // Integer-like keys go before every string key, ascending.
            position = 0
            while position < keys.count, let other = JSObject.arrayIndex(keys[position]), other < index {
                position += 1
            }
        }
        if position == keys.count {
            keys.append(key)
            values.append(value)
            tags.append(tag)
            if self.index != nil {
                self.index![key] = position
            } else if keys.count > JSObject.indexThreshold {
                rebuildIndex()
            }
        } else {
            keys.insert(key, at: position)
            values.insert(value, at: position)
            tags.insert(tag, at: position)
            rebuildIndex()
        }
    }

    private func rebuildIndex() {
        guard keys.count > JSObject.indexThreshold else {
            index = nil
            return
        }
        var built: [String: Int] = [:]
        built.reserveCapacity(keys.count)
        for (i, key) in keys.enumerated() { built[key] = i }
        index = built
    }

    /// The canonical array-index form JS orders first: "0", "7", "10" (not "07", "-1", "1.5").
    static func arrayIndex(_ key: String) -> UInt32? {
        guard let first = key.utf8.first, first >= 0x30, first <= 0x39 else { return nil }
        if key.utf8.count > 1 && first == 0x30 { return nil }
        guard let n = UInt32(key), n != UInt32.max else { return nil }
        return n
    }
}

/// A property name with its lookup tag computed once, for names that are
/// constant in a template (`obj.title`, `obj["title"]`).
public struct PropertyName: Sendable, Hashable {
    public let string: String
    public let tag: UInt64

    public init(_ string: String) {
        self.string = string
        self.tag = PropertyName.tag(of: string)
    }

    /// A cheap 64-bit FNV-1a of the UTF-8 bytes; equal strings have equal tags.
    @inline(__always)
    static func tag(of key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
