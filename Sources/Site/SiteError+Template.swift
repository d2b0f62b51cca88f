import Nunjucks

extension SiteError {
    /// A template error as a site error: the position is moved into file
    /// numbering for templates whose body starts after front matter
    /// (`lineOffsets`: template name -> lines before the body), and the
    /// detail shows the source line, a caret and the include/layout chain.
    public init(templateError error: TemplateError, lineOffsets: [String: Int]) {
        let offset = lineOffsets[error.templateName] ?? 0
        var detail = error.excerpt.map { [$0] } ?? []
        for location in error.chain {
            detail.append("  from \(location.templateName):\(location.line + (lineOffsets[location.templateName] ?? 0)):\(location.column)")
        }
        self.init(file: SiteError.fileName(ofTemplate: error.templateName), line: error.line + offset, column: error.column,
                  message: error.message, detail: detail.joined(separator: "\n"))
    }

    /// Templates rendered from a page's permalink carry a `#permalink` suffix.
    static func fileName(ofTemplate name: String) -> String {
        if let hash = name.firstIndex(of: "#") { return String(name[..<hash]) }
        return name
    }
}
