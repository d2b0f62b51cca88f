import Foundation
import Markdown
import Nunjucks

/// One output a page will produce: its URL and file, and for paginated
/// pages the `pagination` object of that chunk.
public struct PlannedOutput: @unchecked Sendable {
    public let url: String
    /// Relative to the site's output directory.
    public let outputPath: String
    public let pagination: JSObject?
    public let aliasValue: Value?

    init(url: String, outputPath: String, pagination: JSObject?, aliasValue: Value?) {
        self.url = url
        self.outputPath = outputPath
        self.pagination = pagination
        self.aliasValue = aliasValue
    }

    /// The output of a page without pagination, as planned by an earlier build.
    public init(url: String, outputPath: String) {
        self.init(url: url, outputPath: outputPath, pagination: nil, aliasValue: nil)
    }
}

/// What rendering one page produced.
public struct PageRenderResult: @unchecked Sendable {
    public var outputs: [(outputPath: String, bytes: [UInt8])] = []
    /// Site-relative paths of every template and layout the page loaded.
    public var templates: Set<String> = []
    /// Whether any template the page loaded can read `collections`.
    public var usesCollections = false
    /// Whether any of them can read other pages' content or URLs (items'
    /// `templateContent`, `inputPathToUrl`): then the page depends on every page.
    public var readsOtherPages = false
}

/// Renders pages of one site: permalinks, pagination, the Nunjucks body,
/// Markdown, and the layout chain. Safe to use from many worker threads.
public final class SiteRenderer: @unchecked Sendable {
    public let root: String
    public let environment: Environment
    public let loader: SiteTemplateLoader
    /// `site.yaml` contents (`site`).
    public let site: JSObject
    /// Global data from `_data/` by name.
    public let data: JSObject
    /// Output directory of this site as pages see it in `page.outputPath`.
    public let outputPrefix: String
    /// Every page's URL by input path, for `inputPathToUrl` (the build
    /// fills it before rendering).
    public let inputURLs = InputURLIndex()
    /// Longest layout chain before it is called a cycle.
    public var maxLayoutDepth = 32

    public init(root: String, site: JSObject, data: JSObject, outputPrefix: String, options: EnvironmentOptions = .init()) {
        self.root = root
        self.site = site
        self.data = data
        self.outputPrefix = outputPrefix
        loader = SiteTemplateLoader(root: root)
        environment = Environment(loader: loader, options: options)
        let pathPrefix = site["pathPrefix"]?.stringValue ?? "/"
        SiteFilters.register(in: environment, pathPrefix: pathPrefix)
        BundleShortcodes.register(in: environment)
        inputURLs.register(in: environment)
    }

    // MARK: Planning

    /// The `page` object a page sees.
    public func pageObject(_ page: PageSource, url: String, outputPath: String, date: Double) -> JSObject {
        let object = JSObject()
        object["url"] = .string(url)
        object["inputPath"] = .string("./" + page.path)
        object["outputPath"] = .string(outputPrefix + outputPath)
        object["fileSlug"] = .string(Permalink.fileSlug(forInput: page.path))
        var stem = "/" + page.path
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/") { stem = String(stem[..<dot]) }
        object["filePathStem"] = .string(stem)
        object["date"] = .string(PageDate.isoString(date))
        let name = outputPath.split(separator: "/").last ?? ""
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { object["outputFileExtension"] = .string(String(name[name.index(after: dot)...])) }
        object["templateSyntax"] = .string(Self.templateSyntax(of: page))
        return object
    }

    /// Eleventy's `page.templateSyntax`: the engines the body goes through.
    static func templateSyntax(of page: PageSource) -> String {
        guard let engines = try? page.engines() else { return "njk" }
        switch (engines.nunjucks, engines.markdown) {
        case (true, true): return "njk,md"
        case (true, false): return "njk"
        case (false, true): return "md"
        case (false, false): return "html"
        }
    }

    /// The context every page starts from: global data, `site`, then its
    /// front matter (which wins), `page` and `collections`.
    public func context(for page: PageSource, pageObject: JSObject, collections: JSObject?) -> JSObject {
        let context = JSObject()
        for (key, value) in data.entries { context[key] = value }
        context["site"] = .object(site)
        for (key, value) in page.data.entries { context[key] = value }
        context["page"] = .object(pageObject)
        context["collections"] = .object(collections ?? JSObject())
        return context
    }

    /// Where a page goes. Paginated pages produce one output per chunk;
    /// `permalink: false` and drafts produce none.
    public func plan(_ page: PageSource, date: Double, collections: JSObject?) throws(SiteError) -> [PlannedOutput] {
        if page.isDraft || page.permalinkDisabled { return [] }
        guard let spec = page.pagination else {
            let url = try resolveURL(page, date: date, pagination: nil, alias: nil, chunkIndex: 0, collections: collections)
            return [try planned(page, url: url, pagination: nil, alias: nil)]
        }
        let base = context(for: page, pageObject: pageObject(page, url: "", outputPath: "", date: date), collections: collections)
        var items = lookup(spec.dataPath, in: base, values: spec.resolvesValues)
        if !spec.filter.isEmpty {
            items.removeAll { item in item.isString && spec.filter.contains(item.jsString) }
        }
        if spec.reverse { items.reverse() }
        let chunks: [[Value]] = stride(from: 0, to: max(items.count, 1), by: spec.size).map {
            Array(items[min($0, items.count)..<min($0 + spec.size, items.count)])
        }
        var urls: [String] = []
        var paginations: [JSObject] = []
        var aliases: [Value?] = []
        for (index, chunk) in chunks.enumerated() {
            let pagination = JSObject()
            pagination["items"] = .array(JSArray(chunk))
            pagination["pageNumber"] = .number(Double(index))
            pagination["size"] = .number(Double(spec.size))
            pagination["data"] = .string(spec.dataPath)
            if let alias = spec.alias { pagination["alias"] = .string(alias) }
            let aliasValue: Value? = spec.alias == nil ? nil : (spec.size == 1 ? (chunk.first ?? .undefined) : .array(JSArray(chunk)))
            let url = try resolveURL(page, date: date, pagination: pagination, alias: aliasValue, chunkIndex: index, collections: collections)
            urls.append(url)
            paginations.append(pagination)
            aliases.append(aliasValue)
        }
        let hrefs = Value.array(JSArray(urls.map { .string($0) }))
        let pages = Value.array(JSArray(chunks.map { .array(JSArray($0)) }))
        var outputs: [PlannedOutput] = []
        for (index, pagination) in paginations.enumerated() {
            pagination["hrefs"] = hrefs
            pagination["pages"] = pages
            pagination["pageCount"] = .number(Double(chunks.count))
            let href = JSObject()
            href["previous"] = index > 0 ? .string(urls[index - 1]) : .undefined
            href["next"] = index + 1 < urls.count ? .string(urls[index + 1]) : .undefined
            href["first"] = .string(urls[0])
            href["last"] = .string(urls[urls.count - 1])
            pagination["href"] = .object(href)
            pagination["previousPageHref"] = href["previous"]
            pagination["nextPageHref"] = href["next"]
            outputs.append(try planned(page, url: urls[index], pagination: pagination, alias: aliases[index]))
        }
        return outputs
    }

    private func planned(_ page: PageSource, url: String, pagination: JSObject?, alias: Value?) throws(SiteError) -> PlannedOutput {
        do {
            return PlannedOutput(url: url, outputPath: try Permalink.outputPath(forURL: url), pagination: pagination, aliasValue: alias)
        } catch {
            throw SiteError(file: page.path, line: 1, column: 1, message: error.description)
        }
    }

    private func resolveURL(_ page: PageSource, date: Double, pagination: JSObject?, alias: Value?, chunkIndex: Int, collections: JSObject?) throws(SiteError) -> String {
        let computed = ComputedData(data: page.data)
        guard let template = page.permalinkTemplate ?? computed?.permalinkTemplate else {
            let url = Permalink.defaultURL(forInput: page.path)
            return chunkIndex == 0 ? url : url + "\(chunkIndex)/"
        }
        if computed == nil, !template.contains("{{"), !template.contains("{%") { return Permalink.normalize(template) }
        let ctx = context(for: page, pageObject: pageObject(page, url: "", outputPath: "", date: date), collections: collections)
        if let pagination { ctx["pagination"] = .object(pagination) }
        if let alias, let name = page.pagination?.alias { ctx[name] = alias }
        if let computed {
            // Computed data is in scope for the permalink; a computed
            // permalink is the URL itself.
            var ignored = PageRenderResult()
            try apply(computed, of: page, to: ctx, into: &ignored)
            if computed.permalinkTemplate != nil, let url = ctx["permalink"], url.isString {
                return Permalink.normalize(url.jsString)
            }
        }
        do {
            let result = try environment.renderString(template, name: page.path + "#permalink", context: ctx, cache: false)
            return Permalink.normalize(result.output)
        } catch {
            throw SiteError(file: page.path, line: 1, column: 1, message: "in permalink: \(error.message)")
        }
    }

    /// Resolves `a.b.c` against the context (pagination `data:`), as a
    /// list: an array's elements, an object's keys (or its values).
    func lookup(_ path: String, in context: JSObject, values: Bool = false) -> [Value] {
        var current = Value.object(context)
        for part in path.split(separator: ".") {
            current = current.member(.string(String(part)))
        }
        switch current {
        case .array(let a): return a.elements
        case .object(let o): return values ? o.keys.map { o[$0] ?? .undefined } : o.keys.map { .string($0) }
        default: return []
        }
    }

    // MARK: Rendering

    /// Renders every planned output of a page.
    public func render(_ page: PageSource, date: Double, outputs: [PlannedOutput], collections: JSObject?) throws(SiteError) -> PageRenderResult {
        var result = PageRenderResult()
        result.templates.insert(page.path)
        let preparation = try prepare(page, into: &result)
        for output in outputs {
            let body = try renderBody(page, date: date, output: output, collections: collections, preparation, into: &result)
            var html = body.html
            for layout in preparation.layouts {
                body.context["content"] = .safe(html)
                html = try renderTemplate(layout.body, name: layout.path, lineOffset: layout.bodyStartLine - 1, context: body.context, into: &result)
            }
            html = BundleShortcodes.fill(html, store: body.bundles)
            result.outputs.append((output.outputPath, Array(html.utf8)))
        }
        if page.mentionsCollections { result.usesCollections = true }
        if Self.readsOtherPages(page.body) { result.readsOtherPages = true }
        return result
    }

    /// A page's content for one output without its layouts (the layouts'
    /// data still applies): Eleventy's `templateContent` of a collection item.
    public func renderContent(_ page: PageSource, date: Double, output: PlannedOutput, collections: JSObject?) throws(SiteError) -> String {
        var result = PageRenderResult()
        let body = try renderBody(page, date: date, output: output, collections: collections, try prepare(page, into: &result), into: &result)
        return BundleShortcodes.fill(body.html, store: body.bundles)
    }

    /// What every output of a page shares: its layouts, engines and the
    /// data its layouts add.
    private struct Preparation {
        let layouts: [PageSource]
        let engines: (nunjucks: Bool, markdown: Bool)
        let layered: JSObject?
    }

    private func prepare(_ page: PageSource, into result: inout PageRenderResult) throws(SiteError) -> Preparation {
        let layouts = try layoutChain(startingWith: page.layout, from: page.path, into: &result)
        return Preparation(layouts: layouts, engines: try page.engines(), layered: dataWithLayouts(page, layouts))
    }

    /// One output's context and body (Nunjucks, then Markdown), before layouts.
    private func renderBody(_ page: PageSource, date: Double, output: PlannedOutput, collections: JSObject?, _ preparation: Preparation,
                            into result: inout PageRenderResult) throws(SiteError) -> (html: String, context: JSObject, bundles: JSObject) {
        let ctx = context(for: page, pageObject: pageObject(page, url: output.url, outputPath: output.outputPath, date: date), collections: collections)
        if let layered = preparation.layered {
            for key in layered.keys where !Self.keysOutsideData.contains(key) { ctx[key] = layered[key] }
        }
        if let pagination = output.pagination { ctx["pagination"] = .object(pagination) }
        if let alias = output.aliasValue, let name = page.pagination?.alias { ctx[name] = alias }
        let bundles = JSObject()
        ctx[BundleShortcodes.storeKey] = .object(bundles)
        if let computed = ComputedData(data: page.data, layouts: preparation.layouts) {
            if computed.entries.contains(where: { $0.template.map(Self.readsOtherPages) ?? false }) { result.readsOtherPages = true }
            try apply(computed, of: page, to: ctx, into: &result)
        }
        var html = page.body
        if preparation.engines.nunjucks {
            html = try renderTemplate(html, name: page.path, lineOffset: page.bodyStartLine - 1, context: ctx, cache: false, into: &result)
        }
        if preparation.engines.markdown {
            html = Markdown.renderHTML(html)
        }
        return (html, ctx, bundles)
    }

    /// Whether a template can read a collection item's rendered content
    /// (`post.templateContent`, Eleventy 3's `post.content`) or another
    /// page's URL (`inputPathToUrl`): such pages depend on every page, not
    /// just on collections. `.content` counts only inside a tag
    /// (`{{ post.content }}`), not in the text around it (a CSS `.content`
    /// rule).
    static func readsOtherPages(_ source: String) -> Bool {
        if TextSearch.contains(source, "templateContent") || TextSearch.contains(source, "inputPathToUrl") { return true }
        guard TextSearch.contains(source, ".content") else { return false }
        return TextSearch.occursInsideTag(source, ".content")
    }

    /// Keys a page's data never sets in its context: the engine's own.
    static let keysOutsideData: Set<String> = ["page", "collections", "content", "layout", ComputedData.key]

    /// The page's data over its layouts' front matter, as Eleventy's cascade
    /// has it: layouts sit below the page's own data (directory data
    /// included) and above global data, nearest layout highest, merged deeply
    /// (objects key by key, arrays added up). Nil when no layout has data
    /// beyond naming its own layout.
    private func dataWithLayouts(_ page: PageSource, _ layouts: [PageSource]) -> JSObject? {
        let layers = layouts.reversed().map(\.data).filter { data in data.keys.contains { !Self.keysOutsideData.contains($0) } }
        guard !layers.isEmpty else { return nil }
        let trimmed = layers.map { data in
            JSObject(data.keys.filter { !Self.keysOutsideData.contains($0) }.compactMap { key in data[key].map { (key, $0) } })
        }
        return DirectoryData.merge(trimmed + [page.data])
    }

    /// Renders one template source. A source with no Nunjucks syntax at all
    /// (most Markdown bodies) is its own output: nothing to parse.
    private func renderTemplate(_ source: String, name: String, lineOffset: Int, context: JSObject, cache: Bool = true, into result: inout PageRenderResult) throws(SiteError) -> String {
        if !TextSearch.contains(source, "{{") && !TextSearch.contains(source, "{%") && !TextSearch.contains(source, "{#") {
            return source
        }
        do {
            return try renderRecordingTemplates(source, name: name, context: context, cache: cache, into: &result)
        } catch {
            throw SiteError(templateError: error, lineOffsets: [name: lineOffset])
        }
    }

    /// Renders a source and records the templates it loaded (and whether
    /// they read `collections`) as the page's dependencies.
    private func renderRecordingTemplates(_ source: String, name: String, context: JSObject, cache: Bool, into result: inout PageRenderResult) throws(TemplateError) -> String {
        let rendered = try environment.renderString(source, name: name, context: context, cache: cache)
        for template in rendered.loadedTemplates where template != name {
            result.templates.insert(template)
            if !result.usesCollections, loader.mentionsCollections(template) {
                result.usesCollections = true
            }
            if !result.readsOtherPages, loader.readsOtherPages(template) {
                result.readsOtherPages = true
            }
        }
        return rendered.output
    }

    /// Computes a page's `eleventyComputed` data into its context. Errors
    /// name the page and the computed key, as permalink errors do (the
    /// template is a front matter or data file value).
    private func apply(_ computed: ComputedData, of page: PageSource, to context: JSObject, into result: inout PageRenderResult) throws(SiteError) {
        if computed.mentions("collections") { result.usesCollections = true }
        try computed.apply(to: context) { template, key throws(SiteError) in
            do throws(TemplateError) {
                return try renderRecordingTemplates(template, name: page.path + "#" + ComputedData.key + "." + key, context: context, cache: false, into: &result)
            } catch {
                throw SiteError(file: page.path, line: 1, column: 1, message: "in \(ComputedData.key).\(key): \(error.message)")
            }
        }
    }

    /// A page's data as its collection items show it: with its computed
    /// data for `output` (no `collections` in scope yet, as in Eleventy's
    /// first pass). A computation that fails leaves the data as it is; the
    /// page's render reports the error.
    public func collectionData(of page: PageSource, output: PlannedOutput, date: Double) -> JSObject {
        guard let computed = ComputedData(data: page.data) else { return page.data }
        let ctx = context(for: page, pageObject: pageObject(page, url: output.url, outputPath: output.outputPath, date: date), collections: nil)
        if let pagination = output.pagination { ctx["pagination"] = .object(pagination) }
        if let alias = output.aliasValue, let name = page.pagination?.alias { ctx[name] = alias }
        var ignored = PageRenderResult()
        guard (try? apply(computed, of: page, to: ctx, into: &ignored)) != nil else { return page.data }
        let data = JSObject()
        for key in page.data.keys { data[key] = page.data[key] }
        for entry in computed.entries { data[entry.path[0]] = ctx[entry.path[0]] }
        return data
    }

    /// The layout chain of a page, nearest first: each layout's front matter
    /// may name the next. (`render` gives each the previous output as safe
    /// `content`.)
    private func layoutChain(startingWith first: String?, from pagePath: String, into result: inout PageRenderResult) throws(SiteError) -> [PageSource] {
        var chain: [PageSource] = []
        var seen: [String] = []
        var next = first
        while let name = next {
            guard seen.count < maxLayoutDepth, !seen.contains(name) else {
                throw SiteError(file: pagePath, message: "layout cycle: \((seen + [name]).joined(separator: " -> "))")
            }
            seen.append(name)
            guard let layout = try layout(named: name) else {
                throw SiteError(file: seen.count == 1 ? pagePath : seen[seen.count - 2], message: "layout \"\(name)\" not found in _layouts/ or _includes/")
            }
            result.templates.insert(layout.path)
            if layout.mentionsCollections { result.usesCollections = true }
            if Self.readsOtherPages(layout.body) { result.readsOtherPages = true }
            chain.append(layout)
            next = layout.layout
        }
        return chain
    }

    private let layoutCache = LayoutCache()

    /// A layout by name: `_layouts/NAME` then `_includes/NAME`, trying the
    /// name as written, then with `.njk` and `.html`.
    public func layout(named name: String) throws(SiteError) -> PageSource? {
        if let cached = layoutCache.get(name) { return cached }
        let names = name.contains(".") ? [name] : [name, name + ".njk", name + ".html"]
        for directory in ["_layouts", "_includes"] {
            for candidate in names {
                guard let path = RelativePath.normalize(directory + "/" + candidate), path.hasPrefix(directory + "/") else { continue }
                let source: TemplateSource?
                do { source = try loader.read(path) } catch { throw SiteError(file: path, message: "\(error)") }
                if let source {
                    let page = try PageParser.parse(path: path, text: source.source, format: .nunjucks)
                    layoutCache.set(name, page)
                    return page
                }
            }
        }
        return nil
    }
}

/// Layouts parsed once per renderer, shared by worker threads.
final class LayoutCache: @unchecked Sendable {
    private let lock = NSLock()
    private var layouts: [String: PageSource] = [:]

    func get(_ name: String) -> PageSource? {
        lock.lock()
        defer { lock.unlock() }
        return layouts[name]
    }

    func set(_ name: String, _ page: PageSource) {
        lock.lock()
        layouts[name] = page
        lock.unlock()
    }
}
