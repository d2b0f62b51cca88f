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
    // Renders are single-threaded per value graph; skip dynamic exclusivity checks.
    @exclusivity(unchecked) public var elements: [Value]
    public init(_ elements: [Value] = []) { self.elements = elements }
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
