import Foundation

/// Filter and test names interned process-wide, so a compiled call site
/// finds its function by array index instead of hashing the name per call.
final class NameInterner: @unchecked Sendable {
    private var ids: [String: Int] = [:]
    private let lock = NSLock()

    func id(_ name: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[name] { return id }
        let id = ids.count
        ids[name] = id
        return id
    }

    static let filters = NameInterner()
    static let tests = NameInterner()
}

/// A filter held in a class field. A closure stored in a generic container
/// (dictionary, array) is kept at the most general calling convention and
/// called through reabstraction thunks; a concrete field calls it directly.
final class FilterBox: @unchecked Sendable {
    let call: FilterFunction
    init(_ call: @escaping FilterFunction) { self.call = call }
}

/// A test held in a class field (see `FilterBox`).
final class TestBox: @unchecked Sendable {
    let call: TestFunction
    init(_ call: @escaping TestFunction) { self.call = call }
}

/// A registry's filters or tests laid out by interned name; names interned
/// after the registry was built are simply absent.
struct FunctionTable<Box: AnyObject> {
    private let boxes: [Box?]

    init(_ byName: [String: Box], names: NameInterner) {
        var boxes: [Box?] = []
        for (name, box) in byName {
            let id = names.id(name)
            if id >= boxes.count { boxes.append(contentsOf: repeatElement(nil, count: id + 1 - boxes.count)) }
            boxes[id] = box
        }
        self.boxes = boxes
    }

    @inline(__always)
    subscript(id: Int) -> Box? { id < boxes.count ? boxes[id] : nil }
}
