import Foundation
import Markdown
import Nunjucks
import Site

extension PipelineRun {
    /// Files of the tree the step's globs select (hidden names and `_`
    /// directories excluded); a glob that selects nothing is an error (a
    /// typo, usually).
    func selectInputs(_ step: PipelineStep) -> [String] {
        let all = TemplateTree.files(in: root, includeUnderscored: false)
        var selected = Set<String>()
        for pattern in step.patterns {
            let glob = Glob(pattern.value)
            let matches = all.filter { path in glob.matches(path) && !step.exclude.contains { $0.matches(path) } }
            if matches.isEmpty {
                errors.append(error("'\(pattern.value)' matches no file in \(root) (hidden files and _ directories are never selected)", at: pattern.mark))
            }
            selected.formUnion(matches)
        }
        return selected.sorted()
    }

    /// `file`: the input's path parts, for `to:` templates.
    static func fileObject(_ path: String) -> JSObject {
        let object = JSObject()
        let name = (path as NSString).lastPathComponent
        let dot = name.lastIndex(of: ".").flatMap { $0 == name.startIndex ? nil : $0 }
        object["path"] = .string(path)
        object["dir"] = .string((path as NSString).deletingLastPathComponent)
        object["base"] = .string(name)
        object["name"] = .string(dot.map { String(name[..<$0]) } ?? name)
        object["ext"] = .string(dot.map { String(name[$0...]) } ?? "")
        // The path without its last extension: `a/b.md` -> `a/b`.
        object["stem"] = .string(String(path.dropLast(name.count)) + (dot.map { String(name[..<$0]) } ?? name))
        return object
    }

    /// The URL an output is served at: `/a/b.html`, and `/a/` for `a/index.html`.
    static func url(forOutput path: String) -> String {
        if path == "index.html" { return "/" }
        if path.hasSuffix("/index.html") { return "/" + path.dropLast("index.html".count) }
        return "/" + path
    }

    /// Default output of a render/markdown input: `.njk` dropped (then
    /// `.html` added unless another extension remains), `.md` -> `.html`.
    static func defaultOutput(_ path: String, kind: PipelineStep.Kind) -> String {
        let stem = (path as NSString).deletingPathExtension
        switch kind {
        case .markdown:
            return stem + ".html"
        case .render:
            guard path.hasSuffix(".njk") else { return path }
            return (stem as NSString).pathExtension.isEmpty ? stem + ".html" : stem
        default:
            return path
        }
    }

    /// Renders a `to:` template (front matter `to:` over the step's) and
    /// checks that the result stays inside the output directory.
    func outputPath(for input: String, step: PipelineStep, file: TemplateFile?, context: JSObject) throws(SiteError) -> String? {
        let raw: String
        if let file, let own = file.data["to"], !own.isNullish {
            let position = file.position(of: "to")
            raw = try templates.renderInline(own.jsString, what: "to", file: file.displayPath,
                                             line: position.line, column: position.column, context: context)
        } else if let to = step.to {
            raw = try templates.renderInline(to.value, what: "to", file: config.file, line: to.mark.line,
                                             column: to.mark.column, context: context)
        } else {
            return PipelineRun.defaultOutput(input, kind: step.kind)
        }
        switch OutputPath.normalize(raw) {
        case .success(let path): return path
        case .failure(.empty): return nil
        case .failure(let refusal):
            if let file, file.data["to"] != nil { throw file.error("\(refusal)", at: "to") }
            let mark = step.to?.mark ?? step.mark
            throw error("\(refusal) (for \(input))", at: mark)
        }
    }

    // MARK: render, markdown

    private struct PageOutput: @unchecked Sendable {
        var input: String
        var path: String?
        var bytes: [UInt8]
        var data = JSObject()
    }

    func runPages(_ step: PipelineStep) {
        let inputs = selectInputs(step)
        let results = parallelMap(inputs.count) { [self] index -> Result<PageOutput, SiteError> in
            do throws(SiteError) {
                return .success(try renderPage(inputs[index], step: step))
            } catch {
                return .failure(error)
            }
        }
        apply(results.map { result in result.map { ($0.input, $0.path, $0.bytes) } })
        if let name = step.collect {
            let pages = results.compactMap { result -> Value? in
                guard case .success(let page) = result, let path = page.path else { return nil }
                let item = JSObject()
                item["url"] = .string(PipelineRun.url(forOutput: path))
                item["inputPath"] = .string(page.input)
                item["outputPath"] = .string(path)
                item["data"] = .object(page.data)
                return .object(item)
            }
            baseContext[name] = .array(JSArray(pages))
        }
    }

    private func renderPage(_ input: String, step: PipelineStep) throws(SiteError) -> PageOutput {
        let file = try TemplateFile.read(root: root, relativePath: input)
        let page = JSObject()
        page["inputPath"] = .string(input)
        let fileObject = PipelineRun.fileObject(input)
        let context = self.context([("file", .object(fileObject)), ("page", .object(page))])
        for (key, value) in file.data.entries { context[key] = value }
        guard let output = try outputPath(for: input, step: step, file: file, context: context) else {
            return PageOutput(input: input, path: nil, bytes: [])
        }
        page["outputPath"] = .string(output)
        page["url"] = .string(PipelineRun.url(forOutput: output))

        var body: String
        if step.kind == .markdown && !step.templateMarkdown {
            body = file.body
        } else {
            body = try templates.render(file, context: context, cache: false)
        }
        if step.kind == .markdown { body = Markdown.renderHTML(body) }

        // Front matter `layout:` wins over the step's.
        body = try applyLayouts(to: body, of: file, stepLayout: step.layout, stepMark: step.mark, context: context)
        return PageOutput(input: input, path: output, bytes: Array(body.utf8), data: file.data)
    }

    // MARK: copy

    func runCopy(_ step: PipelineStep) {
        let inputs = selectInputs(step)
        let results = parallelMap(inputs.count) { [self] index -> Result<(String, String?, [UInt8]), SiteError> in
            let input = inputs[index]
            do throws(SiteError) {
                let context = self.context([("file", .object(PipelineRun.fileObject(input)))])
                guard let output = try outputPath(for: input, step: step, file: nil, context: context) else {
                    return .success((input, nil, []))
                }
                guard let data = FileManager.default.contents(atPath: root + "/" + input) else {
                    return .failure(SiteError(file: root + "/" + input, message: "cannot read file"))
                }
                return .success((input, output, [UInt8](data)))
            } catch {
                return .failure(error)
            }
        }
        apply(results)
    }

    /// Puts a step's outputs into the tree in input order; two inputs of
    /// one step writing the same path is an error naming both.
    private func apply(_ results: [Result<(String, String?, [UInt8]), SiteError>]) {
        var producers: [String: String] = [:]
        for result in results {
            switch result {
            case .failure(let failure):
                errors.append(failure)
            case .success(let (input, path, bytes)):
                guard let path else {
                    skipped += 1
                    continue
                }
                if let other = producers[path] {
                    errors.append(SiteError(file: root + "/" + input,
                                            message: "writes \(path), which \(root)/\(other) already writes"))
                    continue
                }
                producers[path] = input
                tree.put(path, bytes)
            }
        }
    }
}
