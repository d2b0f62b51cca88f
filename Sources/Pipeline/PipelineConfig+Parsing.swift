import Foundation
import Site
import YAML

extension PipelineConfig {
    static let topLevelKeys = ["name", "templates", "output", "data", "vars", "autoescape", "trim_blocks",
                               "lstrip_blocks", "throw_on_undefined", "steps"]

    /// Keys a step of each kind accepts besides its kind key and `name`.
    static let stepKeys: [PipelineStep.Kind: [String]] = [
        .render: ["to", "layout", "exclude", "collect"],
        .markdown: ["to", "layout", "exclude", "template", "collect"],
        .copy: ["to", "exclude"],
        .compress: ["exclude", "level", "min_size"],
        .generate: ["each", "as", "force", "vars", "layout"],
        .inject: ["each", "as", "vars"],
    ]

    /// Parses a pipeline file. On failure, every problem found, each at the
    /// position of the offending node (`pipelines/x.yaml:7:5: ...`).
    public static func parse(file: String, text: String) -> Result<PipelineConfig, PipelineErrors> {
        let root: YAMLNode
        do {
            root = try YAML.parse(text)
        } catch {
            return .failure(PipelineErrors([SiteError(file: file, line: error.line, column: error.column, message: error.message)]))
        }
        var reader = ConfigReader(file: file)
        guard let pairs = root.mapping else {
            reader.error(root.isNull ? "empty pipeline: expected a mapping with at least 'steps'"
                                     : "a pipeline must be a mapping of keys to values, not a \(root.kindName)", at: root.mark)
            return .failure(PipelineErrors(reader.errors))
        }
        reader.checkKeys(pairs, known: topLevelKeys, in: "pipeline")

        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        var name = stem
        if let node = root["name"], let text = reader.string(node, "name") {
            if text.isEmpty || text.contains("/") || text == "." || text == ".." {
                reader.error("name must be a plain file name (no '/'), got '\(text)'", at: node.mark)
            } else {
                name = text
            }
        }
        var templates = name
        var templatesMark = root.mark
        if let node = root["templates"], let text = reader.string(node, "templates") {
            templates = text
            templatesMark = node.mark
        }
        let base = (file as NSString).deletingLastPathComponent
        let directory = templates.hasPrefix("/") || base.isEmpty ? templates : base + "/" + templates
        var config = PipelineConfig(file: file, name: name, templatesDirectory: directory)
        config.templatesMark = templatesMark

        if let node = root["output"] {
            if let outputPairs = node.mapping {
                reader.checkKeys(outputPairs, known: ["path", "outside_root"], in: "output")
                if let path = node["path"] { config.output = reader.located(path, "output.path") }
                else { reader.error("output needs a 'path'", at: node.mark) }
                if let flag = node["outside_root"] { config.outputOutsideRoot = reader.bool(flag, "output.outside_root") ?? false }
            } else {
                config.output = reader.located(node, "output")
            }
        }
        if let node = root["data"], let dataPairs = reader.mapping(node, "data") {
            for pair in dataPairs {
                let variable = pair.key.keyString
                if !isIdentifier(variable) {
                    reader.error("data name '\(variable)' is not a valid variable name", at: pair.key.mark)
                } else if let path = reader.located(pair.value, "data.\(variable)") {
                    config.dataFiles.append((variable, path))
                }
            }
        }
        if let node = root["vars"], reader.mapping(node, "vars") != nil { config.vars = node }
        if let node = root["autoescape"] { config.autoescape = reader.bool(node, "autoescape") ?? false }
        if let node = root["trim_blocks"] { config.trimBlocks = reader.bool(node, "trim_blocks") ?? false }
        if let node = root["lstrip_blocks"] { config.lstripBlocks = reader.bool(node, "lstrip_blocks") ?? false }
        if let node = root["throw_on_undefined"] { config.throwOnUndefined = reader.bool(node, "throw_on_undefined") ?? false }

        if let node = root["steps"] {
            if let items = node.sequence, !items.isEmpty {
                config.steps = items.compactMap { parseStep($0, reader: &reader) }
            } else {
                reader.error("steps must be a non-empty list of steps", at: node.mark)
            }
        } else {
            reader.error("a pipeline needs 'steps'", at: root.mark)
        }
        return reader.errors.isEmpty ? .success(config) : .failure(PipelineErrors(reader.errors))
    }

    private static func parseStep(_ node: YAMLNode, reader: inout ConfigReader) -> PipelineStep? {
        let kindNames = PipelineStep.Kind.allCases.map(\.rawValue)
        guard let pairs = reader.mapping(node, "a step") else { return nil }
        let kindPairs = pairs.filter { kindNames.contains($0.key.keyString) }
        guard kindPairs.count == 1, let kindPair = kindPairs.first,
              let kind = PipelineStep.Kind(rawValue: kindPair.key.keyString) else {
            let message = kindPairs.isEmpty
                ? "a step needs exactly one of: \(kindNames.joined(separator: ", "))"
                : "a step has more than one kind: \(kindPairs.map(\.key.keyString).joined(separator: ", ")) (split it into steps)"
            reader.error(message, at: kindPairs.count > 1 ? kindPairs[1].key.mark : node.mark)
            return nil
        }
        let what = "a \(kind.rawValue) step"
        reader.checkKeys(pairs, known: [kind.rawValue, "name"] + (stepKeys[kind] ?? []), in: what)
        guard let patterns = reader.stringList(kindPair.value, kind.rawValue) else { return nil }
        var step = PipelineStep(kind: kind, mark: node.mark, patterns: patterns)
        if let value = node["name"], let label = reader.string(value, "name") { step.label = label }
        if let value = node["to"] { step.to = reader.located(value, "to") }
        if let value = node["layout"] { step.layout = reader.located(value, "layout") }
        if let value = node["exclude"], let globs = reader.stringList(value, "exclude") { step.exclude = globs.map { Glob($0.value) } }
        if let value = node["collect"], let name = reader.string(value, "collect") {
            if isIdentifier(name) { step.collect = name } else { reader.error("collect must be a variable name, got '\(name)'", at: value.mark) }
        }
        if let value = node["template"] { step.templateMarkdown = reader.bool(value, "template") ?? true }
        if let value = node["each"] {
            step.each = reader.located(value, "each")
            if let each = step.each, each.value.split(separator: ".", omittingEmptySubsequences: false).contains(where: { !isIdentifier(String($0)) }) {
                reader.error("each must be a dotted variable path like 'services' or 'api.services', got '\(each.value)'", at: value.mark)
            }
        }
        if let value = node["as"], let name = reader.string(value, "as") {
            if isIdentifier(name) { step.itemName = name } else { reader.error("as must be a variable name, got '\(name)'", at: value.mark) }
        }
        if let value = node["force"] { step.force = reader.bool(value, "force") ?? false }
        if let value = node["vars"], reader.mapping(value, "vars") != nil { step.vars = value }
        if let value = node["level"], let level = reader.int(value, "level", in: 1...9) { step.level = level }
        if let value = node["min_size"], let size = reader.int(value, "min_size", in: 0...Int(Int32.max)) { step.minSize = size }
        return step
    }
}
