import Foundation

/// The filters, tests and globals an environment renders with. Immutable:
/// each render takes the current one, so registering never races a render.
final class Registry: @unchecked Sendable {
    let filters: [String: FilterBox]
    let tests: [String: TestBox]
    let globals: [String: Value]
    let filterTable: FunctionTable<FilterBox>
    let testTable: FunctionTable<TestBox>

    init(filters: [String: FilterBox], tests: [String: TestBox], globals: [String: Value]) {
        self.filters = filters
        self.tests = tests
        self.globals = globals
        filterTable = FunctionTable(filters, names: .filters)
        testTable = FunctionTable(tests, names: .tests)
    }

    /// The builtins, boxed without reabstraction.
    static func builtins() -> Registry {
        Registry(filters: Dictionary(uniqueKeysWithValues: Builtins.filterBoxes),
                 tests: Dictionary(uniqueKeysWithValues: BuiltinTests.table),
                 globals: Builtins.globals())
    }
}

/// A Nunjucks environment: a loader, options, filters, tests and globals,
/// and a cache of compiled templates keyed by name and content. Safe to
/// render from many threads at once.
public final class Environment: @unchecked Sendable {
    public let loader: any TemplateLoader
    public let options: EnvironmentOptions
    private let lock = NSLock()
    private var registry: Registry
    private var shortcodes = ShortcodeTags()
    private var compiled: [CacheKey: CompiledTemplate] = [:]

    private struct CacheKey: Hashable {
        let name: String
        let source: String
    }

    public init(loader: any TemplateLoader, options: EnvironmentOptions = .init()) {
        self.loader = loader
        self.options = options
        registry = Registry.builtins()
    }

    /// Adds or replaces a filter (`value | name(args)`).
    public func addFilter(_ name: String, _ filter: @escaping FilterFunction) {
        update { Registry(filters: $0.filters.merging([name: FilterBox(filter)]) { $1 }, tests: $0.tests, globals: $0.globals) }
    }

    /// Adds a tag beyond Nunjucks's, as Eleventy's shortcodes are:
    /// `{% name a, b %}` outputs `function(undefined, [a, b])`; a paired one,
    /// `{% name a %}body{% endname %}`, outputs `function(body, [a])` with
    /// the body rendered first. The result is output as it is, never
    /// escaped (Eleventy makes it a SafeString). Register before the first
    /// render: templates already compiled do not see it.
    public func addShortcode(_ name: String, paired: Bool, _ function: @escaping FilterFunction) {
        addFilter(ShortcodeTags.filterName(name)) { value, arguments, context in
            .safe(try function(value, arguments, context).outputString)
        }
        lock.lock()
        shortcodes.tags[name] = paired
        lock.unlock()
    }

    /// Adds or replaces a test (`value is name(args)`).
    public func addTest(_ name: String, _ test: @escaping TestFunction) {
        update { Registry(filters: $0.filters, tests: $0.tests.merging([name: TestBox(test)]) { $1 }, globals: $0.globals) }
    }

    /// Adds or replaces a global variable or function.
    public func addGlobal(_ name: String, _ value: Value) {
        update { Registry(filters: $0.filters, tests: $0.tests, globals: $0.globals.merging([name: value]) { $1 }) }
    }

    private func update(_ change: (Registry) -> Registry) {
        lock.lock()
        registry = change(registry)
        lock.unlock()
    }

    var currentRegistry: Registry {
        lock.lock()
        defer { lock.unlock() }
        return registry
    }

    /// Renders the template the loader finds for `name`.
    public func render(name: String, context: JSObject) throws(TemplateError) -> RenderResult {
        let renderer = try run(try entryTemplate(name), context: context)
        return RenderResult(output: renderer.buffer.string, loadedTemplates: renderer.loadedNames)
    }

    /// Renders the template the loader finds for `name` and hands its output
    /// bytes (UTF-8) to `consume` without building a `String`: for writing a
    /// large page straight out. Returns the loaded template names, entry first.
    public func render(name: String, context: JSObject, output consume: (UnsafeBufferPointer<UInt8>) -> Void) throws(TemplateError) -> [String] {
        let renderer = try run(try entryTemplate(name), context: context)
        consume(UnsafeBufferPointer(start: renderer.buffer.base, count: renderer.buffer.count))
        return renderer.loadedNames
    }

    private func entryTemplate(_ name: String) throws(TemplateError) -> CompiledTemplate {
        let template: CompiledTemplate?
        do {
            template = try compiledTemplate(name, relativeTo: nil)
        } catch let error as TemplateError {
            throw error
        } catch {
            throw TemplateError(message: "could not load template \(name): \(error)", templateName: name, line: 1, column: 1, sourceLine: "")
        }
        guard let template else {
            throw TemplateError(message: "template not found: \(name)", templateName: name, line: 1, column: 1, sourceLine: "")
        }
        return template
    }

    /// Renders `source` as a template called `name` (includes resolve from
    /// the loader). `cache: false` compiles without keeping the result, for
    /// sources rendered once (a site's page bodies), so memory does not grow
    /// with the number of pages.
    public func renderString(_ source: String, name: String, context: JSObject, cache: Bool = true) throws(TemplateError) -> RenderResult {
        let renderer = try run(try compile(TemplateSource(name: name, source: source), caching: cache), context: context)
        return RenderResult(output: renderer.buffer.string, loadedTemplates: renderer.loadedNames)
    }

    /// Parses and compiles a source, or returns the cached compilation.
    func compile(_ source: TemplateSource, caching: Bool = true) throws(TemplateError) -> CompiledTemplate {
        let key = CacheKey(name: source.name, source: source.source)
        if caching {
            lock.lock()
            if let hit = compiled[key] {
                lock.unlock()
                return hit
            }
            lock.unlock()
        }
        let tree: SyntaxTree
        do {
            lock.lock()
            let shortcodes = self.shortcodes
            lock.unlock()
            tree = try Parser.parse(source.source, trimBlocks: options.trimBlocks, lstripBlocks: options.lstripBlocks, shortcodes: shortcodes)
        } catch {
            throw TemplateError(message: error.message, templateName: source.name, line: error.line, column: error.column, source: source.source)
        }
        let template = Compiler.compile(tree, name: source.name, source: source.source)
        guard caching else { return template }
        lock.lock()
        compiled[key] = template
        lock.unlock()
        return template
    }

    /// Loads and compiles `name` as written in a tag of `parent`; nil if not found.
    func compiledTemplate(_ name: String, relativeTo parent: String?) throws -> CompiledTemplate? {
        guard let source = try loader.load(name, relativeTo: parent) else { return nil }
        return try compile(source)
    }

    /// Runs a render to completion; the renderer holds the output.
    private func run(_ template: CompiledTemplate, context: JSObject) throws(TemplateError) -> Renderer {
        let renderer = Renderer(environment: self, registry: currentRegistry, template: template, variables: context.propertyTable)
        defer { renderer.finish() }
        renderer.noteLoaded(template.name)
        do {
            try renderer.runRoot(template, context: renderer.context, frame: renderer.frame)
        } catch let error as TemplateError {
            throw error
        } catch {
            throw renderer.error(String(describing: error), at: Position(line: 1, column: 1))
        }
        return renderer
    }
}

/// The host's tags (shortcodes) a parser accepts: name -> paired.
struct ShortcodeTags: Sendable {
    var tags: [String: Bool] = [:]

    /// The filter a shortcode's function is kept as: a name no template
    /// can write as a filter.
    static func filterName(_ tag: String) -> String { "shortcode:" + tag }
}
