import Foundation

/// The state of one render: output buffer, current scope, current template
/// (for error positions) and the fuel counters of `RenderLimits`.
final class Renderer: CallContext {
    let environment: Environment
    let registry: Registry
    let options: EnvironmentOptions
    // The render is single-threaded; skip dynamic exclusivity checks on the hot state.
    let buffer = OutputBuffer(capacity: 64 * 1024)
    @exclusivity(unchecked) var frame: Frame
    @exclusivity(unchecked) var locals: Locals
    @exclusivity(unchecked) var context: RenderContext
    @exclusivity(unchecked) var template: CompiledTemplate
    /// Set by `{% extends %}` while a template's top level runs.
    @exclusivity(unchecked) var parentTemplate: CompiledTemplate?
    @exclusivity(unchecked) var parentPosition = Position(line: 1, column: 1)
    /// The block running now and the output of its hoisted `super()`.
    @exclusivity(unchecked) var currentBlock: BlockDefinition?
    @exclusivity(unchecked) var currentSuper: Value = .undefined
    @exclusivity(unchecked) var framePool = FramePool()
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var iterations = 0
    @exclusivity(unchecked) var bytesWritten = 0
    /// Every template name loaded, in first-load order.
    var loadedNames: [String] = []
    private var loadedSet: Set<String> = []
    var templateCache: [String: CompiledTemplate] = [:]
    /// Contexts created during the render; emptied at the end to break
    /// the cycles macros form with the context that defines them.
    var contexts: [RenderContext] = []

    init(environment: Environment, registry: Registry, template: CompiledTemplate, variables: PropertyTable) {
        self.environment = environment
        self.registry = registry
        self.options = environment.options
        self.template = template
        frame = Frame()
        frame.isTopLevel = true
        locals = Locals.make(count: template.rootSlots, parent: nil)
        context = RenderContext(variables: variables, template: template)
        contexts.append(context)
    }

    func finish() {
        for c in contexts {
            c.variables.removeAll()
            c.blocks.removeAll()
        }
        contexts.removeAll()
    }

    func noteLoaded(_ name: String) {
        if loadedSet.insert(name).inserted { loadedNames.append(name) }
    }

    // MARK: CallContext

    var autoescape: Bool { options.autoescape }
    var throwOnUndefined: Bool { options.throwOnUndefined }

    func test(named name: String) -> TestFunction? { registry.tests[name]?.call }

    /// From the entry template's context (an imported macro's own context
    /// does not hold the page's variables).
    func contextVariable(_ name: String) -> Value? { contexts.first?.variables[name] }

    func call(_ function: Value, _ arguments: Arguments) throws -> Value {
        guard case .function(let f) = function else {
            throw RuntimeError("Unable to call `\(function.jsString)`, which is not a function")
        }
        return try f.call(arguments)
    }

    // MARK: Errors

    func error(_ message: String, at position: Position) -> TemplateError {
        TemplateError(message: message, templateName: template.name, line: position.line, column: position.column, source: template.source)
    }

    /// Gives an error from a filter, test or function the position of the tag.
    func positioned(_ error: any Error, at position: Position) -> TemplateError {
        switch error {
        case let e as TemplateError: return e
        case let e as RuntimeError: return self.error(e.message, at: position)
        default: return self.error(String(describing: error), at: position)
        }
    }

    // MARK: Output

    @inline(__always)
    func append(_ string: String) {
        var s = string
        s.withUTF8 { buffer.append($0) }
        bytesWritten &+= s.utf8.count
    }

    /// Appends text fixed at compile time.
    @inline(__always)
    func append(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer.append($0) }
        bytesWritten &+= bytes.count
    }

    func appendEscaped(_ string: String) {
        var s = string
        s.withUTF8 { bytes in
            let buffer = self.buffer
            let n = bytes.count
            var start = 0
            var i = 0
            while i < n {
                let b = bytes[i]
                if b < 0x22 || b > 0x5C || Renderer.escapeEntity(b) == nil {
                    i += 1
                    continue
                }
                if i > start { buffer.append(UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                buffer.append(Renderer.escapeEntity(b)!)
                i += 1
                start = i
            }
            if n > start { buffer.append(UnsafeBufferPointer(rebasing: bytes[start..<n])) }
            bytesWritten &+= n
        }
    }

    /// Nunjucks's `escapeMap`: the entity a byte is replaced with, if any.
    @inline(__always)
    static func escapeEntity(_ b: UInt8) -> StaticString? {
        switch b {
        case 0x26: return "&amp;"
        case 0x3C: return "&lt;"
        case 0x3E: return "&gt;"
        case 0x22: return "&quot;"
        case 0x27: return "&#39;"
        case 0x5C: return "&#92;"
        default: return nil
        }
    }

    /// `runtime.suppressValue`: what `{{ value }}` writes.
    func write(_ value: Value) {
        switch value {
        case .undefined, .null: return
        case .safe(let s): append(s)
        case .string(let s): if options.autoescape { appendEscaped(s) } else { append(s) }
        case .number(let n): append(Value.formatNumber(n))
        case .bool(let b): append(b ? "true" : "false")
        default: if options.autoescape { appendEscaped(value.jsString) } else { append(value.jsString) }
        }
    }

    func checkOutputLimit(at position: Position) throws {
        if bytesWritten > options.limits.maxOutputBytes {
            throw error("output limit exceeded (more than \(options.limits.maxOutputBytes) bytes)", at: position)
        }
    }

    /// Renders `body` into a fresh buffer and returns its text.
    func capture(_ body: () throws -> Void) rethrows -> String {
        let mark = buffer.count
        defer { buffer.truncate(to: mark) }
        try body()
        return buffer.string(from: mark)
    }

    // MARK: Lookups

    /// `contextOrFrameLookup`.
    @inline(__always)
    func lookup(_ id: Int, _ name: PropertyName) -> Value {
        if let v = frame.lookup(id) { return v }
        return contextLookup(name)
    }

    func contextLookup(_ name: PropertyName) -> Value {
        if let v = context.variables[name] { return v }
        return registry.globals[name.string] ?? .undefined
    }

    /// Enters a macro, include, block or parent template, counting depth.
    func enter(at position: Position) throws {
        depth += 1
        if depth > options.limits.maxDepth {
            depth -= 1
            throw error("recursion limit exceeded (more than \(options.limits.maxDepth) nested macro calls, includes or parent templates)", at: position)
        }
    }
}
