import Nunjucks

/// Eleventy's bundle plugin (built into Eleventy 3), for `css`, `js` and
/// `html`: a page or any template it uses adds code with
/// `{% css %}...{% endcss %}` (optionally to a named bucket,
/// `{% css "print" %}`), and `{% getBundle "css" %}` — usually in the
/// layout's `<head>`, before the code is added — outputs all of it, each
/// distinct snippet once, in the order added.
///
/// `getBundle` leaves a placeholder that `fill(_:store:)` replaces once the
/// page and its layouts have rendered; the code is kept per output in a
/// context variable (`storeKey`), so pages rendering at once on other
/// threads never mix.
enum BundleShortcodes {
    static let types = ["css", "js", "html"]
    /// The context variable holding an output's bundles (a JSObject: one
    /// array of snippets per `type:bucket`).
    static let storeKey = "__eleventyBundles"
    static let defaultBucket = "default"
    /// Set in a store once `getBundle` has left a placeholder: outputs
    /// without one are not searched.
    private static let placeholdersLeft = "getBundle"
    private static let placeholderStart = "<!--#BaBundle:"
    private static let placeholderEnd = ":#BaBundle-->"

    static func register(in environment: Environment) {
        for type in types {
            environment.addShortcode(type, paired: true) { body, arguments, context in
                guard case .object(let store)? = context.contextVariable(storeKey) else { return .string("") }
                let code = TextSearch.trimmed(body.outputString)
                guard !code.isEmpty else { return .string("") }
                for bucket in buckets(arguments.positional.first) {
                    let key = type + ":" + bucket
                    var snippets: [Value] = []
                    if case .array(let existing)? = store[key] { snippets = existing.elements }
                    if !snippets.contains(where: { $0.jsString == code }) { snippets.append(.string(code)) }
                    store[key] = .array(JSArray(snippets))
                }
                return .string("")
            }
        }
        environment.addShortcode("getBundle", paired: false) { _, arguments, context in
            let type = try bundleType(arguments.positional.first)
            guard context.contextVariable(storeKey) != nil else { return .string("") }
            let bucketList = buckets(arguments.positional.count > 1 ? arguments.positional[1] : nil).joined(separator: ",")
            if case .object(let store)? = context.contextVariable(storeKey) { store[placeholdersLeft] = .bool(true) }
            return .safe(placeholderStart + "get:" + type + ":" + bucketList + placeholderEnd)
        }
        environment.addShortcode("getBundleFileUrl", paired: false) { _, arguments, _ in
            let type = try bundleType(arguments.positional.first)
            throw RuntimeError("getBundleFileUrl: bundles are not written to files here; inline the \(type) bundle with {% getBundle \"\(type)\" %}")
        }
    }

    private static func bundleType(_ value: Value?) throws -> String {
        guard let value, value.isString, types.contains(value.jsString) else {
            throw RuntimeError("Invalid bundle type: \(value?.jsString ?? "undefined"). Available options: \(types.joined(separator: ","))")
        }
        return value.jsString
    }

    /// A bucket argument: a name, names separated by commas, or a list of
    /// names; the default bucket when none is given.
    private static func buckets(_ value: Value?) -> [String] {
        switch value {
        case .array(let list)?: return list.elements.map(\.jsString)
        case let value? where value.isString && !value.jsString.isEmpty: return value.jsString.split(separator: ",").map(String.init)
        default: return [defaultBucket]
        }
    }

    /// `html` with each `getBundle` placeholder replaced by its bundle.
    static func fill(_ html: String, store: JSObject) -> String {
        guard store[placeholdersLeft] != nil, TextSearch.contains(html, placeholderStart) else { return html }
        var output = ""
        var rest = Substring(html)
        while let start = rest.range(of: placeholderStart) {
            output += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.range(of: placeholderEnd) else {
                output += rest[start.lowerBound...]
                return output
            }
            let parts = after[..<end.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 3, parts[0] == "get" {
                var seen = Set<String>()
                var snippets: [String] = []
                for bucket in parts[2].split(separator: ",") {
                    guard case .array(let list)? = store[String(parts[1]) + ":" + bucket] else { continue }
                    for snippet in list.elements.map(\.jsString) where seen.insert(snippet).inserted { snippets.append(snippet) }
                }
                output += snippets.joined(separator: "\n")
            } else {
                output += rest[start.lowerBound..<end.upperBound]
            }
            rest = after[end.upperBound...]
        }
        output += rest
        return output
    }
}
