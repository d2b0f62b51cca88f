import Foundation
import Nunjucks

/// Where pages go: permalinks (templates, computed), pagination chunks.
extension SiteRenderer {
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
        // A computed permalink wins over the front matter's, as in Eleventy.
        let computed = ComputedData(data: page.data, global: data)
        let computedPermalink = computed?.permalinkTemplate
        guard let template = computedPermalink ?? page.permalinkTemplate else {
            let url = Permalink.defaultURL(forInput: page.path)
            return chunkIndex == 0 ? url : url + "\(chunkIndex)/"
        }
        if !template.contains("{{"), !template.contains("{%") { return Permalink.normalize(template) }
        let ctx = context(for: page, pageObject: pageObject(page, url: "", outputPath: "", date: date), collections: collections)
        if let pagination { ctx["pagination"] = .object(pagination) }
        if let alias, let name = page.pagination?.alias { ctx[name] = alias }
        if let computed {
            // Computed data is in scope for the permalink; a computed
            // permalink is the URL itself.
            var ignored = PageRenderResult()
            try apply(computed, of: page, to: ctx, into: &ignored)
            if computedPermalink != nil, let url = ctx["permalink"], url.isString {
                return Permalink.normalize(url.jsString)
            }
        }
        do {
            let result = try environment.renderString(template, name: page.path + "#permalink", context: ctx, cache: false)
            return Permalink.normalize(result.output)
        } catch {
            let at = FrontMatterLocator.position(of: ["permalink"], inFile: root + "/" + page.path)
            throw SiteError(file: page.path, line: at?.line ?? 1, column: at?.column ?? 1, message: "in permalink: \(error.message)")
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
}
