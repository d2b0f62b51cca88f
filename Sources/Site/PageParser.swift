import Nunjucks
import YAML

/// Reads a page or layout file: splits the front matter off, parses it as
/// YAML (a mapping, or nothing), and keeps the body with its first line
/// number.
public enum PageParser {
    public static func parse(path: String, text: String, format: PageFormat) throws(SiteError) -> PageSource {
        let split = FrontMatter.split(text)
        if let refusal = FrontMatter.refusal(of: split.language) {
            throw SiteError(file: path, line: 1, column: 4, message: refusal)
        }
        let data: JSObject
        if let yaml = split.frontMatter, !TextSearch.isBlank(yaml) {
            let node: YAMLNode
            do {
                node = try YAML.parse(yaml, options: YAMLOptions(firstLine: split.frontMatterLine))
            } catch {
                throw SiteError(file: path, line: error.line, column: error.column,
                                message: "front matter: \(error.message)")
            }
            switch Value(yaml: node) {
            case .object(let object): data = object
            case .null, .undefined: data = JSObject()
            default:
                throw SiteError(file: path, line: node.mark.line, column: node.mark.column,
                                message: "front matter must be a mapping of keys to values")
            }
        } else {
            data = JSObject()
        }
        return PageSource(path: path, format: format, data: data, body: split.body,
                          bodyStartLine: split.bodyStartLine, frontMatterText: split.frontMatter ?? "")
    }
}
