import Nunjucks

/// Eleventy's directory and template data files (`SiteFile.Kind.directoryData`)
/// and the data cascade they make: for `posts/2024/a.md`, `posts/posts.*`,
/// then `posts/2024/2024.*`, then `posts/2024/a.11tydata.*`, then the page's
/// front matter, later layers winning. In each directory `dir.11tydata.*`
/// wins over `dir.json`/`.yaml`. Layers merge as Eleventy's deep merge does:
/// objects key by key, arrays concatenated (so `tags` add up, without
/// repeats), anything else replaced; a key written `override:name` replaces
/// `name` instead of merging into it.
public struct DirectoryData: @unchecked Sendable {
    /// Directory path ("posts/2024") -> its data, in precedence order.
    private var directories: [String: [JSObject]] = [:]
    /// Template path without extension ("posts/2024/a") -> its data.
    private var templates: [String: JSObject] = [:]

    public init() {}

    public var isEmpty: Bool { directories.isEmpty && templates.isEmpty }

    /// Parses the files (site-relative paths); each that is not a mapping,
    /// or does not parse, is an error naming it.
    public static func load(_ files: [(path: String, bytes: [UInt8])]) -> (data: DirectoryData, errors: [SiteError]) {
        var result = DirectoryData()
        var errors: [SiteError] = []
        // `.json`/`.yaml` before `.11tydata.*` in each directory: later wins.
        let ordered = files.sorted { a, b in
            let (aEleventy, bEleventy) = (a.path.contains(".11tydata."), b.path.contains(".11tydata."))
            return aEleventy == bEleventy ? a.path < b.path : !aEleventy
        }
        for file in ordered {
            guard let value = SiteData.parseDataFile(path: file.path, bytes: file.bytes, errors: &errors) else { continue }
            guard case .object(let object) = value else {
                if !value.isNullish { errors.append(SiteError(file: file.path, message: "a data file must be a mapping of keys to values")) }
                continue
            }
            let slash = file.path.lastIndex(of: "/")
            let directory = slash.map { String(file.path[..<$0]) } ?? ""
            var name = String(file.path[(slash.map { file.path.index(after: $0) } ?? file.path.startIndex)...])
            if let dot = name.lastIndex(of: ".") { name = String(name[..<dot]) }
            if name.hasSuffix(".11tydata") { name.removeLast(".11tydata".count) }
            if !directory.isEmpty, name == directory.split(separator: "/").last.map(String.init) {
                result.directories[directory, default: []].append(object)
            } else {
                let stem = directory.isEmpty ? name : directory + "/" + name
                result.templates[stem] = result.templates[stem].map { merge([$0, object]) } ?? object
            }
        }
        return (result, errors)
    }

    /// `page` with its data the cascade of every layer that applies to it
    /// and its own front matter on top (the page itself when none applies).
    public func applied(to page: PageSource) -> PageSource {
        guard !isEmpty else { return page }
        var layers: [JSObject] = []
        var directory = ""
        let components = page.path.split(separator: "/")
        for component in components.dropLast() {
            directory += directory.isEmpty ? String(component) : "/" + component
            layers += directories[directory] ?? []
        }
        var stem = page.path
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/") { stem = String(stem[..<dot]) }
        if let template = templates[stem] { layers.append(template) }
        guard !layers.isEmpty else { return page }
        return page.replacingData(Self.merge(layers + [page.data]))
    }

    /// Eleventy's deep merge of `layers` (first lowest), into new objects:
    /// the layers themselves are shared by many pages and never changed.
    static func merge(_ layers: [JSObject]) -> JSObject {
        var merged: Value = .object(JSObject())
        for layer in layers { merged = mergeValue(merged, .object(normalisingTags(layer))) }
        guard case .object(let object) = merged else { return JSObject() }
        if case .array(let tags)? = object["tags"] {
            var seen = Set<String>()
            object["tags"] = .array(JSArray(tags.elements.filter { seen.insert($0.jsString).inserted }))
        }
        return object
    }

    private static let overridePrefix = "override:"

    private static func mergeValue(_ target: Value, _ source: Value) -> Value {
        switch (target, source) {
        case (.array(let a), .array(let b)):
            return .array(JSArray(a.elements + b.elements))
        case (.object(let a), .object(let b)):
            let out = JSObject()
            for key in a.keys { out[key] = a[key] }
            for key in b.keys {
                if key.hasPrefix(overridePrefix) {
                    out[String(key.dropFirst(overridePrefix.count))] = copy(b[key]!)
                } else {
                    out[key] = mergeValue(out[key] ?? .undefined, b[key]!)
                }
            }
            return .object(out)
        default:
            return copy(source)
        }
    }

    /// Objects are copied (so no merge writes into a shared layer); the rest
    /// is immutable or replaced whole.
    private static func copy(_ value: Value) -> Value {
        if case .object = value { return mergeValue(.object(JSObject()), value) }
        return value
    }

    /// `tags: a` is `tags: [a]` (and `tags:` none) before merging, as
    /// Eleventy cleans each layer.
    private static func normalisingTags(_ layer: JSObject) -> JSObject {
        let tags: [Value]
        switch layer["tags"] {
        case .string(let tag)?, .safe(let tag)?: tags = tag.isEmpty ? [] : [.string(tag)]
        case .null?: tags = []
        default: return layer
        }
        let copy = JSObject()
        for key in layer.keys { copy[key] = layer[key] }
        copy["tags"] = .array(JSArray(tags))
        return copy
    }
}
