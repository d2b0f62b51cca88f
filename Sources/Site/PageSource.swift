import Nunjucks
import YAML

/// A page as read from its file: front matter data, the template body, and
/// the reserved keys (contract: layout, permalink, tags, draft, date,
/// pagination) read out of the front matter.
public struct PageSource: @unchecked Sendable {
    /// Site-relative input path.
    public let path: String
    public let format: PageFormat
    /// Front matter keys (template variables). Treated as immutable.
    public let data: JSObject
    /// The text after the front matter: a Nunjucks template (then Markdown
    /// for `.md` pages).
    public let body: String
    /// 1-based line of the file on which `body` starts, so errors in the
    /// body point at the right line of the file.
    public let bodyStartLine: Int
    /// The front matter as written (empty when there is none): what
    /// collections depend on.
    public let frontMatterText: String

    /// Whether the page's own source can read `collections`.
    public let mentionsCollections: Bool
    /// False once `retained(keepingBody: false)` released the body to save memory.
    public let hasBody: Bool

    public init(path: String, format: PageFormat, data: JSObject, body: String, bodyStartLine: Int, frontMatterText: String) {
        self.init(path: path, format: format, data: data, body: body, bodyStartLine: bodyStartLine, frontMatterText: frontMatterText,
                  mentionsCollections: TextSearch.contains(body, "collections") || TextSearch.contains(frontMatterText, "collections"),
                  hasBody: true)
    }

    /// A page known from its stored form: no body (read from the file when
    /// it renders) and no front matter text.
    init(path: String, format: PageFormat, data: JSObject, bodyStartLine: Int, mentionsCollections: Bool) {
        self.init(path: path, format: format, data: data, body: "", bodyStartLine: bodyStartLine, frontMatterText: "",
                  mentionsCollections: mentionsCollections, hasBody: false)
    }

    private init(path: String, format: PageFormat, data: JSObject, body: String, bodyStartLine: Int, frontMatterText: String,
                 mentionsCollections: Bool, hasBody: Bool) {
        self.mentionsCollections = mentionsCollections
        self.hasBody = hasBody
        self.path = path
        self.format = format
        self.data = data
        self.body = body
        self.bodyStartLine = bodyStartLine
        self.frontMatterText = frontMatterText
    }

    /// The page as a build keeps it between parsing and rendering: without
    /// the front matter text (what collections depend on is digested when
    /// the page is parsed) and, unless `keepingBody`, without the body.
    public func retained(keepingBody: Bool) -> PageSource {
        PageSource(path: path, format: format, data: data, body: keepingBody ? body : "", bodyStartLine: bodyStartLine,
                   frontMatterText: "", mentionsCollections: mentionsCollections, hasBody: keepingBody && hasBody)
    }

    /// The page with other data (its front matter merged with directory
    /// data: see `DirectoryData`).
    public func replacingData(_ data: JSObject) -> PageSource {
        PageSource(path: path, format: format, data: data, body: body, bodyStartLine: bodyStartLine,
                   frontMatterText: frontMatterText, mentionsCollections: mentionsCollections, hasBody: hasBody)
    }

    /// The page with its body read again from the file's text.
    public func restoringBody(from text: String) -> PageSource {
        let split = FrontMatter.split(text)
        return PageSource(path: path, format: format, data: data, body: split.body, bodyStartLine: split.bodyStartLine,
                          frontMatterText: frontMatterText, mentionsCollections: mentionsCollections, hasBody: true)
    }

    public var layout: String? {
        guard let value = data["layout"], !value.isNullish, value.isTruthy else { return nil }
        return value.jsString
    }

    public var isDraft: Bool { data["draft"]?.isTruthy ?? false }

    /// `permalink: false` means "render nothing to disk" (Eleventy).
    public var permalinkDisabled: Bool {
        if case .bool(false)? = data["permalink"] { return true }
        return false
    }

    public var permalinkTemplate: String? {
        guard let value = data["permalink"], value.isString else { return nil }
        return value.stringValue
    }

    /// `tags: a` or `tags: [a, b]`.
    public var tags: [String] {
        switch data["tags"] {
        case .string(let s)?, .safe(let s)?: return s.isEmpty ? [] : [s]
        case .array(let a)?: return a.elements.compactMap { $0.isNullish ? nil : $0.jsString }
        default: return []
        }
    }

    public var dateText: String? {
        guard let value = data["date"], !value.isNullish else { return nil }
        return value.jsString
    }

    /// How the body is processed: Nunjucks for every page, then Markdown
    /// for `.md`; Eleventy's `templateEngineOverride` names others
    /// (`md` Markdown alone, `njk` Nunjucks alone, `njk,md` both, `html`
    /// neither).
    public func engines() throws(SiteError) -> (nunjucks: Bool, markdown: Bool) {
        guard let value = data["templateEngineOverride"], !value.isNullish, value.isTruthy else {
            return (true, format == .markdown)
        }
        let names = value.jsString.split(separator: ",").map { TextSearch.trimmed(String($0)).lowercased() }
        switch names {
        case ["md"]: return (false, true)
        case ["njk"], ["nunjucks"]: return (true, false)
        case ["njk", "md"], ["nunjucks", "md"]: return (true, true)
        case ["html"]: return (false, false)
        default:
            throw SiteError(file: path, line: 1, column: 1,
                            message: "templateEngineOverride \"\(value.jsString)\" is not supported (use md, njk, njk,md or html)")
        }
    }

    public var pagination: PaginationSpec? {
        guard case .object(let object)? = data["pagination"] else { return nil }
        return PaginationSpec(object)
    }
}

/// Eleventy-style pagination: `pagination: {data: collections.posts, size: 5, alias: posts}`.
public struct PaginationSpec: Sendable, Equatable {
    /// Dotted path into the page's data (`collections.posts`, `items`).
    public var dataPath: String
    public var size: Int
    public var alias: String?
    public var reverse: Bool
    /// Values dropped from the data before chunking (Eleventy's `filter`).
    public var filter: [String]
    /// `resolve: values`: an object's values are paginated, not its keys.
    public var resolvesValues: Bool
    /// Every output is a collection member, not just the first (Eleventy's
    /// `addAllPagesToCollections`).
    public var addsAllPagesToCollections: Bool

    init?(_ object: JSObject) {
        guard let data = object["data"], data.isString, let path = data.stringValue, !path.isEmpty else { return nil }
        dataPath = path
        let sizeValue = object["size"]?.jsNumber ?? 1
        size = sizeValue.isFinite && sizeValue >= 1 ? Int(sizeValue) : 1
        alias = object["alias"].flatMap { $0.isString ? $0.stringValue : nil }
        reverse = object["reverse"]?.isTruthy ?? false
        switch object["filter"] {
        case .array(let values)?: filter = values.elements.map(\.jsString)
        case let value? where value.isString: filter = [value.jsString]
        default: filter = []
        }
        resolvesValues = object["resolve"]?.jsString == "values"
        addsAllPagesToCollections = object["addAllPagesToCollections"]?.isTruthy ?? false
    }
}
