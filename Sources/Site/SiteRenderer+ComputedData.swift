import Foundation
import Nunjucks

/// `eleventyComputed` in renders and in collection items.
extension SiteRenderer {
    /// Computes a page's `eleventyComputed` data into its context. Errors
    /// name the page and the computed key, as permalink errors do (the
    /// template is a front matter or data file value).
    func apply(_ computed: ComputedData, of page: PageSource, to context: JSObject, into result: inout PageRenderResult) throws(SiteError) {
        if computed.mentions("collections") { result.usesCollections = true }
        try computed.apply(to: context) { template, key throws(SiteError) in
            do throws(TemplateError) {
                return try renderRecordingTemplates(template, name: page.path + "#" + ComputedData.key + "." + key, context: context, cache: false, into: &result)
            } catch {
                let at = FrontMatterLocator.position(of: [ComputedData.key] + key.split(separator: ".").map(String.init), inFile: root + "/" + page.path)
                throw SiteError(file: page.path, line: at?.line ?? 1, column: at?.column ?? 1, message: "in \(ComputedData.key).\(key): \(error.message)")
            }
        }
    }

    /// A page's data as its collection items show it: with its computed
    /// data for `output` (no `collections` in scope yet, as in Eleventy's
    /// first pass). A computation that fails leaves the data as it is; the
    /// page's render reports the error.
    public func collectionData(of page: PageSource, output: PlannedOutput, date: Double) -> JSObject {
        guard let computed = ComputedData(data: page.data, global: data) else { return page.data }
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
}
