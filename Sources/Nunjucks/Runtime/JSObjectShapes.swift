import Synchronization

/// Key lists shared among objects that have the same keys in the same
/// order (see `JSObject.init(sameKeysAs:values:)`), for code that builds
/// many similar objects, such as the front matter of thousands of pages.
/// Thread-safe; holds at most `capacity` distinct key lists.
public final class JSObjectShapes: Sendable {
    private let shapes = Mutex<[[String]: JSObject]>([:])
    private let capacity: Int

    public init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// An object equal to `object` whose key storage is shared with every
    /// other object given here with the same keys.
    public func sharingKeys(_ object: JSObject) -> JSObject {
        let keys = object.keys
        guard !keys.isEmpty, keys.count <= PropertyTable.indexThreshold else { return object }
        let shape: JSObject? = shapes.withLock { shapes in
            if let shape = shapes[keys] { return shape }
            guard shapes.count < capacity else { return nil }
            // A private copy: the caller's object may change later, the shape must not.
            shapes[keys] = JSObject(sameKeysAs: object, values: object.valuesInOrder)
            return nil
        }
        guard let shape else { return object }
        return JSObject(sameKeysAs: shape, values: object.valuesInOrder)
    }
}
