import Nunjucks
import Site
import YAML

extension PipelineRun {
    /// A generator template with its checked directives.
    struct GeneratorTemplate: @unchecked Sendable {
        let file: TemplateFile
        let directives: GeneratorDirectives
    }

    /// What rendering one (item, template) pair produced.
    struct GeneratedFile: Sendable {
        /// nil when `to:` rendered empty (Hygen: skip the file).
        var path: String?
        var body: String
        var before: String?
        var after: String?
        var skipIf: String?
    }

    /// Runs every template of the step once per item of `each:` (once when
    /// there is no `each:`), item by item in data order, templates in the
    /// order given within an item (a directory's in name order).
    func runGenerator(_ step: PipelineStep) {
        let generators = loadGenerators(step)
        let stepVars: [(String, Value)]
        if let vars = step.vars, case .object(let object) = Value(yaml: vars) { stepVars = object.entries.map { ($0.key, $0.value) } } else { stepVars = [] }
        guard let items = items(of: step, extra: stepVars), !generators.isEmpty else { return }

        let itemName = step.itemName
        let jobs = items.count * generators.count
        let results = parallelMap(jobs) { [self] job -> Result<GeneratedFile, SiteError> in
            let item = items[job / generators.count]
            let generator = generators[job % generators.count]
            var extra = stepVars
            if step.each != nil {
                extra.append((itemName, item.value))
                extra.append(("index", .number(Double(job / generators.count))))
                if let key = item.key { extra.append(("key", .string(key))) }
            }
            do throws(SiteError) {
                return .success(try render(generator, context: context(extra), stepLayout: step.layout, stepMark: step.mark))
            } catch {
                return .failure(error)
            }
        }

        var producers: [String: String] = [:]
        // Injection targets as text while the step edits them (converted
        // back to bytes once, at the end of the step).
        var texts: [String: String] = [:]
        defer { for (path, text) in texts { tree.update(path, Array(text.utf8)) } }
        for (job, result) in results.enumerated() {
            let generator = generators[job % generators.count]
            let generated: GeneratedFile
            switch result {
            case .failure(let failure):
                errors.append(failure)
                continue
            case .success(let value):
                generated = value
            }
            guard let path = generated.path else {
                skipped += 1
                continue
            }
            if generator.directives.inject {
                inject(generated, into: path, generator: generator, texts: &texts)
                continue
            }
            let directives = generator.directives
            if directives.unlessExists && !(directives.force || step.force) && tree.contains(path) {
                skipped += 1
                tree.keep(path)
                continue
            }
            let producer = "\(generator.file.displayPath) (item \(job / generators.count))"
            if let other = producers[path] {
                errors.append(generator.file.error("\(path) is written twice in this step: by \(other) and by \(producer)", at: "to"))
                continue
            }
            producers[path] = producer
            texts[path] = nil
            tree.put(path, Array(generated.body.utf8))
            // A file made once for people to edit is theirs, not the pipeline's.
            if directives.unlessExists { tree.disown(path) }
        }
    }

    private func inject(_ generated: GeneratedFile, into path: String, generator: GeneratorTemplate, texts: inout [String: String]) {
        guard let target = texts[path] ?? tree.read(path).map({ String(decoding: $0, as: UTF8.self) }) else {
            errors.append(generator.file.error("inject target '\(path)' does not exist in \(tree.directory) (create it in an earlier step, e.g. copy or generate with unless_exists)", at: "to"))
            return
        }
        let directives = generator.directives
        let position: InjectionPosition
        let positionKey: String
        if let before = generated.before {
            position = .before(TextPattern(before)); positionKey = "before"
        } else if let after = generated.after {
            position = .after(TextPattern(after)); positionKey = "after"
        } else if let line = directives.atLine {
            position = .atLine(line); positionKey = "at_line"
        } else if directives.prepend {
            position = .prepend; positionKey = "prepend"
        } else {
            position = .append; positionKey = "append"
        }
        let rule = InjectionRule(position: position, skipIf: generated.skipIf.map(TextPattern.init), eofLast: directives.eofLast)
        switch Injection.apply(body: generated.body, into: target, rule: rule) {
        case .injected(let text):
            texts[path] = text
            injected += 1
        case .skipped:
            skipped += 1
        case .markerNotFound:
            let pattern = generated.before ?? generated.after ?? ""
            errors.append(generator.file.error("\(positionKey): '\(pattern)' not found in \(path)", at: positionKey))
        }
    }

    private func render(_ generator: GeneratorTemplate, context: JSObject, stepLayout: Located<String>?,
                        stepMark: YAMLMark) throws(SiteError) -> GeneratedFile {
        let file = generator.file
        let directives = generator.directives
        func inline(_ text: String?, _ key: String) throws(SiteError) -> String? {
            guard let text else { return nil }
            let position = file.position(of: key)
            return try templates.renderInline(text, what: key, file: file.displayPath, line: position.line,
                                              column: position.column, context: context)
        }
        let to = try inline(directives.to, "to") ?? ""
        var path: String?
        switch OutputPath.normalize(to) {
        case .success(let normalized): path = normalized
        case .failure(.empty): path = nil
        case .failure(let refusal): throw file.error("\(refusal)", at: "to")
        }
        guard path != nil else { return GeneratedFile(path: nil, body: "") }
        var body = try templates.render(file, context: context)
        if !directives.inject {
            body = try applyLayouts(to: body, of: file, stepLayout: stepLayout, stepMark: stepMark, context: context)
        }
        return GeneratedFile(path: path, body: body, before: try inline(directives.before, "before"),
                             after: try inline(directives.after, "after"), skipIf: try inline(directives.skipIf, "skip_if"))
    }

    /// The step's templates: each pattern is a file of the tree, a
    /// directory (all files under it, hidden ones excepted, in name order),
    /// or a glob (`_templates/**/*.njk`).
    private func loadGenerators(_ step: PipelineStep) -> [GeneratorTemplate] {
        var paths: [String] = []
        for pattern in step.patterns {
            let relative = pattern.value.trimmingWhitespace().trimmingSlashes()
            let glob = Glob(relative)
            if !glob.isLiteral {
                let files = TemplateTree.files(in: root, includeUnderscored: true).filter(glob.matches)
                if files.isEmpty { errors.append(error("'\(relative)' matches no template in \(root)", at: pattern.mark)) }
                paths += files
            } else if TemplateTree.isDirectory(root, relative) {
                let files = TemplateTree.files(in: root, under: relative, includeUnderscored: true)
                if files.isEmpty { errors.append(error("template directory '\(relative)' has no files", at: pattern.mark)) }
                paths += files
            } else if let source = try? templates.loader.read(relative), source.name == relative {
                paths.append(relative)
            } else {
                errors.append(error("template '\(relative)' not found in \(root)", at: pattern.mark))
            }
        }
        var generators: [GeneratorTemplate] = []
        for path in paths {
            do throws(SiteError) {
                let file = try TemplateFile.read(root: root, relativePath: path)
                switch GeneratorDirectives.read(file, injectStep: step.kind == .inject) {
                case .success(let directives): generators.append(GeneratorTemplate(file: file, directives: directives))
                case .failure(let failure): errors += failure.errors
                }
            } catch {
                errors.append(error)
            }
        }
        return generators
    }

    /// The items of `each:`: a list's elements, or an object's values with
    /// their keys; nil (after an error) when it names anything else.
    private func items(of step: PipelineStep, extra: [(String, Value)]) -> [(value: Value, key: String?)]? {
        guard let each = step.each else { return [(.undefined, nil)] }
        var current = Value.object(context(extra))
        for part in each.value.split(separator: ".") {
            current = current.member(.string(String(part)))
        }
        switch current {
        case .array(let array): return array.elements.map { ($0, nil) }
        case .object(let object): return object.entries.map { ($0.value, $0.key) }
        default:
            let what = current.isNullish ? (current.isUndefined ? "undefined" : "null") : "not a list"
            errors.append(error("each: '\(each.value)' is \(what); it must name a list (or mapping) in the data", at: each.mark))
            return nil
        }
    }
}
