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

/// A registry's functions laid out by interned name; names interned after
/// the registry was built are simply absent.
struct FunctionTable<Function> {
    private let functions: [Function?]

    init(_ byName: [String: Function], names: NameInterner) {
        var functions: [Function?] = []
        for (name, function) in byName {
            let id = names.id(name)
            if id >= functions.count { functions.append(contentsOf: repeatElement(nil, count: id + 1 - functions.count)) }
            functions[id] = function
        }
        self.functions = functions
    }

    @inline(__always)
    subscript(id: Int) -> Function? { id < functions.count ? functions[id] : nil }
}
