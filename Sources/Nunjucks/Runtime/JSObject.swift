/// A JS plain object. Key order is JS's: integer-like keys first in ascending
/// numeric order, then the other keys in insertion order.
///
/// Template data objects are small (a handful of keys): they keep their
/// entries in a `PropertyTable`, the same storage as render contexts.
public final class JSObject: @unchecked Sendable {
    /// The entries, in JS order (see `PropertyTable`: tags searched
    /// linearly, a hash index past `PropertyTable.indexThreshold` keys).
    @exclusivity(unchecked) private var table = PropertyTable()
    /// Set on the object Nunjucks builds for keyword arguments (`__keywords`).
    public var isKeywordArguments = false
    /// Gives properties the object does not hold when a template reads
    /// them by name: for values that cost a render and are seldom read (a
    /// collection item's `templateContent`). Not among `keys`; nil: none.
    /// One reference, often shared by thousands of objects.
    public var lazyProperties: LazyProperties?

    static let indexThreshold = PropertyTable.indexThreshold

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        table.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// An object with `shape`'s keys, in its order, holding `values`. The
    /// key storage is shared (copy-on-write) by every object made from one
    /// shape: thousands of records with the same keys keep one key list.
    public init(sameKeysAs shape: JSObject, values: [Value]) {
        table = shape.table
        table.replaceValues(values)
    }

    public var keys: [String] { table.keys }
    public var count: Int { table.count }
    /// The values, in key order.
    public var valuesInOrder: [Value] { table.values }

    /// The properties as a dictionary (unordered).
    public var storage: [String: Value] {
        var result: [String: Value] = [:]
        result.reserveCapacity(table.count)
        for i in 0..<table.count { result[table.keys[i]] = table.value(at: i) }
        return result
    }

    public subscript(key: String) -> Value? {
        get { table[key] }
        set { table.set(PropertyName(key), newValue, at: JSObject.insertionPoint(for: key)) }
    }

    /// Lookup by a name whose tag was computed once (property names in templates).
    @inline(__always)
    public subscript(name: PropertyName) -> Value? {
        table[name]
    }

    /// The properties as a (value-type) table, in order.
    var propertyTable: PropertyTable { table }

    /// Pairs in JS iteration order.
    public var entries: [(key: String, value: Value)] {
        var result: [(key: String, value: Value)] = []
        result.reserveCapacity(table.count)
        for i in 0..<table.count { result.append((table.keys[i], table.value(at: i))) }
        return result
    }

    /// Where a new key goes in JS order: integer-like keys before every
    /// string key, ascending; other keys last. Nil (append) for string keys.
    private static func insertionPoint(for key: String) -> ((PropertyTable) -> Int)? {
        guard let index = arrayIndex(key) else { return nil }
        return { table in
            var position = 0
            while position < table.count, let other = arrayIndex(table.keys[position]), other < index {
                position += 1
            }
            return position
        }
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

/// A source of properties computed when read (see `JSObject.lazyProperties`).
/// Subclasses answer the names they know and nil for the rest.
open class LazyProperties: @unchecked Sendable {
    public init() {}

    open func value(of object: JSObject, named name: String) -> Value? { nil }
}
