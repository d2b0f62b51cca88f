/// Where an `Environment` gets template sources from.
public protocol TemplateLoader: Sendable {
    /// Resolves `name` as written in a tag, relative to `parent` (canonical
    /// name of the template containing the tag; nil for the entry).
    /// Returns nil when there is no such template.
    func load(_ name: String, relativeTo parent: String?) throws -> TemplateSource?
}

/// A template's canonical name and its text.
public struct TemplateSource: Sendable {
    /// The canonical name: what errors and `RenderResult.loadedTemplates` show.
    public let name: String
    public let source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// A loader over an in-memory map of names to sources (names used literally).
public struct DictionaryLoader: TemplateLoader {
    public let templates: [String: String]

    public init(_ templates: [String: String]) {
        self.templates = templates
    }

    public func load(_ name: String, relativeTo parent: String?) throws -> TemplateSource? {
        templates[name].map { TemplateSource(name: name, source: $0) }
    }
}
