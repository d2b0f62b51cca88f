import Nunjucks
import Site

/// The Nunjucks environment of one pipeline run over its template tree:
/// lookups in `_includes/`, `_layouts/`, then the tree's root (as for
/// sites), generator and site filters registered, and engine errors turned
/// into `file:line:col` errors against the real files.
final class PipelineTemplates: @unchecked Sendable {
    let root: String
    let loader: SiteTemplateLoader
    let environment: Environment

    init(root: String, options: EnvironmentOptions) {
        self.root = root
        loader = SiteTemplateLoader(root: root)
        environment = Environment(loader: loader, options: options)
        SiteFilters.register(in: environment)
        GeneratorFilters.register(in: environment)
    }

    /// Renders a template file's body (lines counted from `bodyStartLine`).
    /// `cache: false` for bodies rendered once (pages): keeping thousands of
    /// compiled pages would only grow memory; generator templates and
    /// layouts, rendered again and again, are cached.
    func render(_ file: TemplateFile, context: JSObject, cache: Bool = true) throws(SiteError) -> String {
        do {
            return try environment.renderString(file.body, name: file.relativePath, context: context, cache: cache).output
        } catch {
            throw convert(error, entry: file.relativePath, entryLineOffset: file.bodyStartLine - 1)
        }
    }

    /// Renders a short template written inside a file (a `to:` path, a
    /// `before:` pattern); errors point at where it was written.
    func renderInline(_ text: String, what: String, file: String, line: Int, column: Int,
                      context: JSObject) throws(SiteError) -> String {
        guard text.contains("{{") || text.contains("{%") else { return text }
        do {
            return try environment.renderString(text, name: "\(file)#\(what)", context: context).output
        } catch {
            if error.templateName.hasPrefix(file + "#") {
                throw SiteError(file: file, line: line, column: column, message: "in \(what): \(error.message)")
            }
            throw convert(error, entry: "", entryLineOffset: 0)
        }
    }

    /// A layout by name: `_layouts/NAME`, then `_includes/NAME`, then NAME
    /// in the tree; nil when there is none.
    func layout(named name: String) throws(SiteError) -> TemplateFile? {
        for candidate in ["_layouts/" + name, "_includes/" + name, name] {
            guard let source = try? loader.read(candidate) else { continue }
            return try TemplateFile.parse(text: source.source, relativePath: source.name,
                                          displayPath: root + "/" + source.name)
        }
        return nil
    }

    /// An engine error as a file error. The entry template was rendered
    /// from its body, so its lines are shifted by the front matter.
    private func convert(_ error: TemplateError, entry: String, entryLineOffset: Int) -> SiteError {
        let isEntry = error.templateName == entry
        var detail = error.excerpt.map { [$0] } ?? []
        for location in error.chain {
            let offset = location.templateName == entry ? entryLineOffset : 0
            detail.append("  from \(root)/\(location.templateName):\(location.line + offset):\(location.column)")
        }
        return SiteError(file: root + "/" + error.templateName,
                         line: error.line + (isEntry ? entryLineOffset : 0),
                         column: error.column, message: error.message,
                         detail: detail.joined(separator: "\n"))
    }
}
