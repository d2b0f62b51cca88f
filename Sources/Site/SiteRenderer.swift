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

    // MARK: Page data (planning: SiteRenderer+Planning)

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
        let name = outputPath[(outputPath.lastIndex(of: "/").map(outputPath.index(after:)) ?? outputPath.startIndex)...]
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { object["outputFileExtension"] = .string(String(name[name.index(after: dot)...])) }
        object["templateSyntax"] = .string(Self.templateSyntax(of: page))
        return object
    }

    /// Eleventy's supplied `eleventy` data, as far as it holds here:
    /// `eleventy.generator` (for `<meta name="generator">`) and
    /// `eleventy.env.source`. No version or run mode: outputs cached by one
    /// build are reused by the next, whatever binary or command made them.
    static let eleventyData = JSObject([
        ("generator", .string("unjucksd")),
        ("env", .object(JSObject([("source", .string("cli"))]))),
    ])

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
        context["eleventy"] = .object(Self.eleventyData)
        for (key, value) in data.entries { context[key] = value }
        context["site"] = .object(site)
        for (key, value) in page.data.entries { context[key] = value }
        context["page"] = .object(pageObject)
        context["collections"] = .object(collections ?? JSObject())
        return context
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

    /// What every output of a page shares: its layouts, engines, the data
    /// its layouts add and its computed data.
    private struct Preparation {
        let layouts: [PageSource]
        let engines: (nunjucks: Bool, markdown: Bool)
        let layered: JSObject?
        let computed: ComputedData?
    }

    private func prepare(_ page: PageSource, into result: inout PageRenderResult) throws(SiteError) -> Preparation {
        let layouts = try layoutChain(startingWith: page.layout, from: page.path, into: &result)
        let computed = ComputedData(data: page.data, layouts: layouts, global: data)
        if computed?.entries.contains(where: { $0.template.map(Self.readsOtherPages) ?? false }) == true { result.readsOtherPages = true }
        return Preparation(layouts: layouts, engines: try page.engines(), layered: dataWithLayouts(page, layouts), computed: computed)
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
        if let computed = preparation.computed {
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
    func renderRecordingTemplates(_ source: String, name: String, context: JSObject, cache: Bool, into result: inout PageRenderResult) throws(TemplateError) -> String {
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

    let layoutCache = LayoutCache()
}
