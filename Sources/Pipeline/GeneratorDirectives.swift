import Site
import YAML

/// The Hygen-style front matter of a generator template: where the output
/// goes (`to:`) and, for injections, where in the target the body goes.
/// String directives are themselves templates, rendered per item.
struct GeneratorDirectives: Sendable {
    static let keys = ["to", "inject", "before", "after", "skip_if", "at_line", "prepend", "append",
                       "eof_last", "unless_exists", "force", "layout"]

    var to: String
    var inject = false
    var before: String?
    var after: String?
    var skipIf: String?
    var atLine: Int?
    var prepend = false
    var append = false
    var eofLast: Bool?
    var unlessExists = false
    var force = false

    /// Reads and checks the directives; `injectStep` forces `inject: true`.
    static func read(_ file: TemplateFile, injectStep: Bool) -> Result<GeneratorDirectives, PipelineErrors> {
        var reader = ConfigReader(file: file.displayPath, lineOffset: file.frontMatterLineOffset)
        guard let node = file.frontMatter, let pairs = node.mapping else {
            return .failure(PipelineErrors([SiteError(file: file.displayPath, message: "a generator template needs front matter with 'to:'")]))
        }
        reader.checkKeys(pairs, known: keys, in: "generator front matter")
        var directives = GeneratorDirectives(to: "")
        if let value = node["to"] {
            // `to: null` (or empty) is allowed: Hygen skips the file.
            if !value.isNull, let text = reader.string(value, "to") { directives.to = text }
        } else {
            reader.error("a generator template needs 'to:' (the output path)", at: node.mark)
        }
        directives.inject = injectStep
        if let value = node["inject"], let flag = reader.bool(value, "inject") { directives.inject = flag || injectStep }
        if let value = node["before"] { directives.before = reader.string(value, "before") }
        if let value = node["after"] { directives.after = reader.string(value, "after") }
        if let value = node["skip_if"] { directives.skipIf = reader.string(value, "skip_if") }
        if let value = node["at_line"] { directives.atLine = reader.int(value, "at_line", in: 0...Int(Int32.max)) }
        if let value = node["prepend"] { directives.prepend = reader.bool(value, "prepend") ?? false }
        if let value = node["append"] { directives.append = reader.bool(value, "append") ?? false }
        if let value = node["eof_last"] { directives.eofLast = reader.bool(value, "eof_last") }
        if let value = node["unless_exists"] { directives.unlessExists = reader.bool(value, "unless_exists") ?? false }
        if let value = node["force"] { directives.force = reader.bool(value, "force") ?? false }
        if let value = node["layout"], directives.inject {
            reader.error("'layout' does not apply to an injection", at: value.mark)
        }

        let positions = ["before", "after", "at_line", "prepend", "append"].filter { key in
            guard let value = node[key] else { return false }
            return value.value != .bool(false)
        }
        if directives.inject {
            if positions.isEmpty {
                reader.error("an injection needs one of before, after, at_line, prepend, append",
                             at: node["inject"]?.mark ?? node.mark)
            } else if positions.count > 1, let second = node[positions[1]] {
                reader.error("an injection takes one position, got \(positions.joined(separator: " and "))", at: second.mark)
            }
        } else if let first = positions.first, let value = node[first] {
            reader.error("'\(first)' only applies with 'inject: true'", at: value.mark)
        }
        return reader.errors.isEmpty ? .success(directives) : .failure(PipelineErrors(reader.errors))
    }
}
