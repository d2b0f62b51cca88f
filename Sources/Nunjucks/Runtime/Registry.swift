/// What a filter or test sees of the environment besides its arguments.
/// Class-bound, so passing it to every filter call costs no existential box.
public protocol CallContext: AnyObject {
    /// Whether the environment autoescapes output.
    var autoescape: Bool { get }
    /// Nunjucks's `throwOnUndefined` option: `sort` and `groupby` raise when
    /// an attribute they read is undefined.
    var throwOnUndefined: Bool { get }
    /// A registered test by name (`select("odd")` looks tests up).
    func test(named name: String) -> TestFunction?
    /// Calls a template-callable value (a macro, a function).
    func call(_ function: Value, _ arguments: Arguments) throws -> Value
    /// A variable of the context the render started with (what a Nunjucks
    /// filter reads as `this.ctx[name]`), nil where there is none.
    func contextVariable(_ name: String) -> Value?
}

/// A filter: `value | name(args)`. Arguments arrive as Nunjucks passes them
/// (see `Arguments.jsPositional`; only `int` and `sort` read keywords by name).
public typealias FilterFunction = (_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value

/// A test: `value is name(args)`.
public typealias TestFunction = (_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Bool

extension CallContext {
    public var throwOnUndefined: Bool { false }
    public func contextVariable(_ name: String) -> Value? { nil }
}
