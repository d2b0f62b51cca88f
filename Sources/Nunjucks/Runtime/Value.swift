/// A runtime value. Nunjucks compiles to JavaScript, so its values are JS
/// values: `undefined` and `null` differ, numbers are doubles, arrays and
/// objects are shared references (a `push` through one name is seen through
/// another), and a string may carry Nunjucks's "safe" mark.
public enum Value: @unchecked Sendable {
    case undefined
    case null
    case bool(Bool)
    case number(Double)
    /// A plain string (escaped on output when autoescape is on).
    case string(String)
    /// A `SafeString`: output as is. In Nunjucks it is an object, which shows
    /// in a few quirks (`reverse`, `first`, `[0]` on it; see conformance `quirks`).
    case safe(String)
    case array(JSArray)
    case object(JSObject)
    /// Macros, globals, bound JS methods: anything callable from a template.
    case function(JSFunction)
    /// A regex literal `r/.../flags`.
    case regex(JSRegex)
}

/// A JS array: a reference type, so mutation through one binding is visible
/// through all of them, as in Nunjucks.
public final class JSArray: @unchecked Sendable {
    public var elements: [Value]
    public init(_ elements: [Value] = []) { self.elements = elements }
}

/// A JS plain object. Key order is JS's: integer-like keys first in ascending
/// numeric order, then the other keys in insertion order.
public final class JSObject: @unchecked Sendable {
    public private(set) var keys: [String] = []
    public private(set) var storage: [String: Value] = [:]
    /// Set on the object Nunjucks builds for keyword arguments (`__keywords`).
    public var isKeywordArguments = false

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        keys.reserveCapacity(pairs.count)
        storage.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public var count: Int { keys.count }

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { insertKey(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Pairs in JS iteration order.
    public var entries: [(key: String, value: Value)] {
        keys.map { ($0, storage[$0]!) }
    }

    private func insertKey(_ key: String) {
        guard let index = JSObject.arrayIndex(key) else {
            keys.append(key)
            return
        }
        // Integer-like keys go before every string key, ascending.
        var position = 0
        while position < keys.count, let other = JSObject.arrayIndex(keys[position]), other < index {
            position += 1
        }
        keys.insert(key, at: position)
    }

    /// The canonical array-index form JS orders first: "0", "7", "10" (not "07", "-1", "1.5").
    static func arrayIndex(_ key: String) -> UInt32? {
        guard let first = key.utf8.first, first >= 0x30, first <= 0x39 else { return nil }
        if key.utf8.count > 1 && first == 0x30 { return nil }
        guard let n = UInt32(key), n != UInt32.max else { return nil }
        return n
    }
}

/// Something callable from a template. `call` receives positional arguments
/// and, when the call site used `name=value` arguments, a keyword object as
/// Nunjucks passes it (see `Arguments`).
public final class JSFunction: @unchecked Sendable {
    public let name: String
    public let call: (Arguments) throws -> Value
    /// Macros return safe output and accept keyword arguments by name.
    public let isMacro: Bool
    /// The engine's handle on a macro, so `{{ macro() }}` can render
    /// straight into the output instead of through a string.
    var macroBinding: AnyObject?

    public init(name: String, isMacro: Bool = false, call: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.isMacro = isMacro
        self.call = call
    }
}

/// A regex literal: kept as source and flags; the engine compiles it when used.
public struct JSRegex: Sendable, Equatable {
    public let source: String
    public let flags: String
    public init(source: String, flags: String) {
        self.source = source
        self.flags = flags
    }
}

/// Arguments of a call: positionals in order, keyword arguments in source order.
public struct Arguments: @unchecked Sendable {
    public var positional: [Value]
    public var keywords: [(String, Value)]

    public init(_ positional: [Value] = [], keywords: [(String, Value)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    /// How Nunjucks hands arguments to a plain JS function (most filters and
    /// globals): keyword arguments become one trailing object marked
    /// `isKeywordArguments`, in the next positional slot.
    public var jsPositional: [Value] {
        guard !keywords.isEmpty else { return positional }
        let object = JSObject(keywords)
        object.isKeywordArguments = true
        return positional + [.object(object)]
    }
}

/// An error raised while rendering, before the engine attaches a position.
/// Filters, tests and functions throw this; the engine turns it into a
/// `TemplateError` naming template, line and column.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
