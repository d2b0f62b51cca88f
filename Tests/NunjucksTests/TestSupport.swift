@testable import Nunjucks

/// Renders `templates[entry]` with a JSON context; throws the TemplateError.
func render(_ templates: [String: String], entry: String = "main.njk", context: String = "{}",
            options: EnvironmentOptions = .init()) throws -> String {
    let environment = Environment(loader: DictionaryLoader(templates), options: options)
    guard case .object(let object) = try JSON.parse(context) else { fatalError("context must be an object") }
    return try environment.render(name: entry, context: object).output
}

/// Renders one template source.
func render(_ source: String, context: String = "{}", options: EnvironmentOptions = .init()) throws -> String {
    try render(["main.njk": source], context: context, options: options)
}

/// The error a template raises, or nil when it renders.
func renderError(_ templates: [String: String], entry: String = "main.njk", context: String = "{}",
                 options: EnvironmentOptions = .init()) -> TemplateError? {
    do {
        _ = try render(templates, entry: entry, context: context, options: options)
        return nil
    } catch let error as TemplateError {
        return error
    } catch {
        return nil
    }
}

func renderError(_ source: String, context: String = "{}", options: EnvironmentOptions = .init()) -> TemplateError? {
    renderError(["main.njk": source], context: context, options: options)
}
