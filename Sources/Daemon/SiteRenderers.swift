import Build
import Foundation
import Nunjucks
import Site
import Synchronization

/// One `SiteRenderer` per site for `POST /api/render`: its templates,
/// filters, `site` and `_data`, exactly as pages see them. Dropped after
/// every build of the site so edits are seen.
final class SiteRenderers: Sendable {
    private let renderers = Mutex<[String: SiteRenderer]>([:])

    func removeAll() {
        renderers.withLock { $0.removeAll() }
    }

    func invalidate(_ site: String) {
        _ = renderers.withLock { $0.removeValue(forKey: site) }
    }

    func renderer(for site: SiteDiscovery.FoundSite, options: BuildOptions) -> SiteRenderer {
        if let existing = renderers.withLock({ $0[site.name] }) { return existing }
        var config: (path: String, bytes: [UInt8])?
        for name in ["site.yaml", "site.yml"] {
            if let data = FileManager.default.contents(atPath: site.root + "/" + name) {
                config = (name, [UInt8](data))
                break
            }
        }
        var dataFiles: [(path: String, bytes: [UInt8])] = []
        let dataRoot = site.root + "/_data"
        if let enumerator = FileManager.default.enumerator(atPath: dataRoot) {
            while let relative = enumerator.nextObject() as? String {
                guard [".json", ".yaml", ".yml"].contains(where: { relative.hasSuffix($0) }),
                      !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                      let data = FileManager.default.contents(atPath: dataRoot + "/" + relative) else { continue }
                dataFiles.append(("_data/" + relative, [UInt8](data)))
            }
        }
        let globals = SiteData.load(config: config, dataFiles: dataFiles)
        let renderer = SiteRenderer(root: site.root, site: globals.site, data: globals.data,
                                    outputPrefix: options.outputRoot + "/" + site.name + "/", options: options.engine)
        renderers.withLock { $0[site.name] = renderer }
        return renderer
    }
}

/// `POST /api/render`: `{"template": "...", "site": "NAME", "context": {...}}`
/// or `{"name": "path/in/site.njk", ...}`.
struct RenderAPIRequest: Sendable {
    enum Source: Sendable, Equatable {
        case inline(String)
        case named(String)
    }

    var source: Source
    var site: String?
    var context: JSONValue

    /// Parses and checks a request body; the error text is what a 400 says.
    static func parse(_ body: [UInt8]) -> Result<RenderAPIRequest, RenderAPIError> {
        guard !body.isEmpty else { return .failure(.badRequest("empty body; send a JSON object")) }
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch { return .failure(.badRequest("body is not valid JSON")) }
        guard case .object = json else { return .failure(.badRequest("body must be a JSON object")) }
        let source: Source
        if let template = json["template"] {
            guard let text = template.stringValue else { return .failure(.badRequest("\"template\" must be a string")) }
            source = .inline(text)
        } else if let name = json["name"] {
            guard let text = name.stringValue, !text.isEmpty else { return .failure(.badRequest("\"name\" must be a non-empty string")) }
            source = .named(text)
        } else {
            return .failure(.badRequest("give \"template\" (source text) or \"name\" (a template of the site)"))
        }
        var site: String?
        if let value = json["site"] {
            guard let text = value.stringValue else { return .failure(.badRequest("\"site\" must be a string")) }
            site = text
        }
        let context = json["context"] ?? .object([])
        if case .object = context {} else if context != .null {
            return .failure(.badRequest("\"context\" must be a JSON object"))
        }
        return .success(RenderAPIRequest(source: source, site: site, context: context == .null ? .object([]) : context))
    }
}

enum RenderAPIError: Error, Sendable {
    case badRequest(String)
    case notFound(String)
    case template(SiteError)
}

extension Daemon {
    /// Renders an API request through the site's templates and filters.
    func render(_ request: RenderAPIRequest) -> Result<String, RenderAPIError> {
        let builder = self.builder
        let site: SiteDiscovery.FoundSite
        if let name = request.site {
            guard let found = builder.sites.first(where: { $0.name == name }) else {
                return .failure(.notFound("no site named '\(name)'"))
            }
            site = found
        } else if builder.sites.count == 1 {
            site = builder.sites[0]
        } else {
            return .failure(.badRequest("\"site\" is required when several sites are served"))
        }
        let renderer = renderers.renderer(for: site, options: builder.options)
        var body: String
        var name: String
        var lineOffset = 0
        let context = JSObject()
        for (key, value) in renderer.data.entries { context[key] = value }
        context["site"] = .object(renderer.site)
        switch request.source {
        case .inline(let text):
            body = text
            name = "(api)"
        case .named(let requested):
            let source: TemplateSource?
            do { source = try renderer.loader.load(requested, relativeTo: nil) } catch {
                return .failure(.badRequest("\(error)"))
            }
            guard let source else { return .failure(.notFound("template '\(requested)' not found in \(site.name)")) }
            name = source.name
            body = source.source
            // Pages and layouts may start with front matter: its keys are variables.
            if body.hasPrefix("---") {
                do {
                    let page = try PageParser.parse(path: source.name, text: source.source, format: .nunjucks)
                    body = page.body
                    lineOffset = page.bodyStartLine - 1
                    for (key, value) in page.data.entries { context[key] = value }
                } catch {
                    return .failure(.template(error))
                }
            }
        }
        if case .object(let pairs) = request.context {
            for (key, value) in pairs { context[key] = value.templateValue }
        }
        do {
            let result = try renderer.environment.renderString(body, name: name, context: context)
            return .success(result.output)
        } catch {
            return .failure(.template(SiteError(templateError: error, lineOffsets: [name: lineOffset])))
        }
    }
}
