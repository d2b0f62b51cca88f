import Build
import Foundation
import Server
import Site

extension Daemon {
    /// The HTTP contract: health, readiness, metrics, status, dashboard,
    /// events, preview and the API. Handlers hold the daemon weakly; `stop()`
    /// clears the routes.
    func installRoutes() {
        let liveReload = configuration.liveReload ? LiveReloadScript.snippet(eventsPath: "/events") : nil
        let preview = PreviewHandler(
            outputRoot: builder.options.outputRoot,
            decorate: { [weak self] body, site in
                var html = body
                if let self, let site {
                    let errors = self.state.withLock { $0.siteErrors[site] ?? [] }
                    if !errors.isEmpty { html = HTMLInjection.insertBeforeBodyClose(ErrorOverlay.html(site: site, errors: errors), into: html) }
                }
                if let liveReload { html = HTMLInjection.insertBeforeBodyClose(liveReload, into: html) }
                return html
            },
            generation: { [weak self] in self?.state.withLock { $0.decorationGeneration } ?? 0 })
        previewBox.withLock { $0 = preview }
        let events = self.events
        server.updateRouter { router in
            router.get("/health", name: "health") { _ in .json("{\"status\":\"ok\"}") }
            router.get("/ready", name: "ready") { [weak self] _ in
                guard let self else { return .json("{\"ready\":false}", status: 503) }
                return self.readiness()
            }
            router.get("/metrics", name: "metrics") { [weak self] _ in
                guard let self else { return .error(503) }
                self.refreshMetrics()
                return HTTPResponse(contentType: "text/plain; version=0.0.4; charset=utf-8",
                                    bytes: Array(self.metrics.exposition().utf8))
            }
            router.get("/status", name: "status") { [weak self] request in
                guard let self else { return .error(503) }
                return .json(JSONText.encode(self.status(), pretty: request.query("pretty") != nil) + "\n")
            }
            router.get("/dashboard", name: "dashboard") { _ in .html(DashboardPage.html) }
            router.get("/", name: "root") { _ in .redirect(to: "/dashboard", status: 302) }
            router.get("/events", name: "events", handler: events.handler)
            router.addPrefix("GET", "/sites/", name: "preview") { request in preview.handle(request) }
            router.get("/sites", name: "preview") { _ in .redirect(to: "/dashboard", status: 302) }
            router.post("/api/render", name: "api_render") { [weak self] request in
                guard let self else { return .error(503) }
                return self.answerRender(request)
            }
            router.get("/api/search", name: "api_search") { [weak self] request in
                guard let self else { return .error(503) }
                return self.answerSearch(request)
            }
            router.post("/api/build", name: "api_build") { [weak self] _ in
                guard let self else { return .error(503) }
                self.requestBuild()
                return .json("{\"status\":\"accepted\"}\n", status: 202)
            }
        }
    }

    /// `/sites/NAME/...` -> NAME.
    static func siteName(inPreviewPath path: String) -> String? {
        guard path.hasPrefix("/sites/") else { return nil }
        let rest = path.dropFirst("/sites/".count)
        guard let name = rest.split(separator: "/", maxSplits: 1).first, !name.isEmpty else { return nil }
        return String(name)
    }

    func readiness() -> HTTPResponse {
        let built = state.withLock { $0.firstBuildFinished }
        let memory = governor.snapshot
        if !built { return .json("{\"ready\":false,\"reason\":\"the first build has not finished\"}\n", status: 503) }
        if !memory.allowsReadiness { return .json("{\"ready\":false,\"reason\":\"memory pressure is critical\"}\n", status: 503) }
        return .json("{\"ready\":true}\n")
    }

    func answerRender(_ request: HTTPRequest) -> HTTPResponse {
        let parsed: RenderAPIRequest
        switch RenderAPIRequest.parse(request.body) {
        case .success(let value): parsed = value
        case .failure(let error): return Self.response(for: error)
        }
        switch render(parsed) {
        case .success(let output):
            return HTTPResponse(contentType: "text/plain; charset=utf-8", bytes: Array(output.utf8))
        case .failure(let error):
            return Self.response(for: error)
        }
    }

    static func response(for error: RenderAPIError) -> HTTPResponse {
        switch error {
        case .badRequest(let message):
            return .json(JSONText.encode(["error": message]) + "\n", status: 400)
        case .notFound(let message):
            return .json(JSONText.encode(["error": message]) + "\n", status: 404)
        case .template(let siteError):
            let body = TemplateErrorBody(error: siteError.description, file: siteError.file, line: siteError.line,
                                         column: siteError.column, message: siteError.message)
            return .json(JSONText.encode(body) + "\n", status: 422)
        }
    }

    func answerSearch(_ request: HTTPRequest) -> HTTPResponse {
        guard let query = request.query("q"), !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .json(JSONText.encode(["error": "give the words to search for as ?q=..."]) + "\n", status: 400)
        }
        var limit = 20
        if let text = request.query("limit") {
            guard let value = Int(text), value >= 1, value <= 1000 else {
                return .json(JSONText.encode(["error": "limit must be a number from 1 to 1000"]) + "\n", status: 400)
            }
            limit = value
        }
        let result = search.search(query, site: request.query("site"), limit: limit)
        return .json(JSONText.encode(SearchAnswer(query: query, total: result.total, hits: result.hits)) + "\n")
    }
}

struct TemplateErrorBody: Codable {
    var error: String
    var file: String
    var line: Int
    var column: Int
    var message: String
}

struct SearchAnswer: Codable {
    var query: String
    var total: Int
    var hits: [SearchIndex.Hit]
}
