import Foundation
import Nunjucks
import Site
import YAML

/// A file of the template tree split into front matter and body, keeping
/// the front matter's YAML nodes (with positions) for directives such as
/// `to:` and `after:`.
struct TemplateFile: @unchecked Sendable {
    /// Relative to the template tree: the name the engine knows it by.
    let relativePath: String
    /// What error messages call it (the tree's path + relative path).
    let displayPath: String
    /// The front matter mapping, when there is one.
    let frontMatter: YAMLNode?
    /// Add to front matter YAML lines to get file lines.
    let frontMatterLineOffset: Int
    /// Front matter as template data.
    let data: JSObject
    let body: String
    /// 1-based file line the body starts on.
    let bodyStartLine: Int

    static func parse(text: String, relativePath: String, displayPath: String) throws(SiteError) -> TemplateFile {
        let split = FrontMatter.split(text)
        if let refusal = FrontMatter.refusal(of: split.language) {
            throw SiteError(file: displayPath, line: 1, column: 4, message: refusal)
        }
        var node: YAMLNode?
        let data = JSObject()
        if let yaml = split.frontMatter, !yaml.trimmingWhitespace().isEmpty {
            let parsed: YAMLNode
            do {
                parsed = try YAML.parse(yaml)
            } catch {
                throw SiteError(file: displayPath, line: error.line + split.frontMatterLine - 1, column: error.column,
                                message: "front matter: \(error.message)")
            }
            guard let pairs = parsed.mapping else {
                throw SiteError(file: displayPath, line: parsed.mark.line + split.frontMatterLine - 1, column: parsed.mark.column,
                                message: "front matter must be a mapping of keys to values")
            }
            for pair in pairs { data[pair.key.keyString] = Value(yaml: pair.value) }
            node = parsed
        }
        return TemplateFile(relativePath: relativePath, displayPath: displayPath, frontMatter: node,
                            frontMatterLineOffset: split.frontMatterLine - 1, data: data,
                            body: split.body, bodyStartLine: split.bodyStartLine)
    }

    static func read(root: String, relativePath: String) throws(SiteError) -> TemplateFile {
        let path = root + "/" + relativePath
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw SiteError(file: path, message: "cannot read file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SiteError(file: path, message: "not valid UTF-8")
        }
        return try parse(text: text, relativePath: relativePath, displayPath: path)
    }

    /// The position of front matter key `key` in the file, else the top.
    func position(of key: String) -> (line: Int, column: Int) {
        guard let pair = frontMatter?.mapping?.first(where: { $0.key.keyString == key }) else { return (1, 1) }
        return (pair.value.mark.line + frontMatterLineOffset, pair.value.mark.column)
    }

    func error(_ message: String, at key: String) -> SiteError {
        let position = position(of: key)
        return SiteError(file: displayPath, line: position.line, column: position.column, message: message)
    }
}
