import Nunjucks
import Site
import YAML

extension PipelineRun {
    /// Longest layout chain before it is called a cycle.
    static let maxLayoutDepth = 32

    /// Wraps rendered `body` in its layout chain: the file's front matter
    /// `layout:` (or the step's), whose own front matter may name the next.
    /// Each layout sees the body as `content` (safe); layout front matter
    /// fills in variables the file did not set. Errors point at the
    /// `layout:` that named the missing or cyclic layout.
    func applyLayouts(to body: String, of file: TemplateFile, stepLayout: Located<String>?, stepMark: YAMLMark,
                      context: JSObject) throws(SiteError) -> String {
        var body = body
        var layoutName = file.data["layout"].flatMap { $0.isNullish ? nil : $0.jsString } ?? stepLayout?.value
        var origin: (file: String, line: Int, column: Int) = file.data["layout"] != nil
            ? (file.displayPath, file.position(of: "layout").line, file.position(of: "layout").column)
            : (config.file, stepLayout?.mark.line ?? stepMark.line, stepLayout?.mark.column ?? stepMark.column)
        var depth = 0
        while let name = layoutName, !name.isEmpty {
            depth += 1
            guard depth <= PipelineRun.maxLayoutDepth else {
                throw SiteError(file: origin.file, line: origin.line, column: origin.column,
                                message: "layout chain deeper than \(PipelineRun.maxLayoutDepth) (a cycle?) at '\(name)'")
            }
            guard let layout = try templates.layout(named: name) else {
                throw SiteError(file: origin.file, line: origin.line, column: origin.column,
                                message: "layout '\(name)' not found in _layouts/ or _includes/ of \(root)")
            }
            for (key, value) in layout.data.entries where key != "layout" && file.data[key] == nil {
                context[key] = value
            }
            context["content"] = .safe(body)
            body = try templates.render(layout, context: context)
            layoutName = layout.data["layout"].flatMap { $0.isNullish ? nil : $0.jsString }
            let position = layout.position(of: "layout")
            origin = (layout.displayPath, position.line, position.column)
        }
        return body
    }
}
