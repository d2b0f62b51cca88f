import Foundation
import Nunjucks

/// Filters a site's templates get on top of Nunjucks's: the ones Eleventy
/// ships (`slugify`, `slug`, `log`, `getCollectionItem`,
/// `getPreviousCollectionItem`, `getNextCollectionItem`,
/// `getCollectionItemIndex`), the RSS plugin's `getNewestCollectionItemDate`,
/// URL filters (`SiteFilters+URLs`), date filters (`SiteFilters+Dates`) and
/// the navigation plugin's (`NavigationFilters`).
public enum SiteFilters {
    public static func register(in environment: Environment, pathPrefix: String = "/") {
        let prefix = pathPrefix.hasSuffix("/") ? pathPrefix : pathPrefix + "/"
        registerURLFilters(in: environment, prefix: prefix)
        registerDateFilters(in: environment)
        NavigationFilters.register(in: environment) { url($0, prefix: prefix) }
        environment.addFilter("slugify") { value, _, _ in .string(slugify(value.outputString)) }
        environment.addFilter("slug") { value, _, _ in .string(slugify(value.outputString)) }
        environment.addFilter("log") { value, arguments, _ in
            // Eleventy's `console.log(input, ...messages)`; the value passes through.
            // Strings as they are, anything else as JSON (a readable console.log).
            let line = ([value] + arguments.positional).map { part -> String in
                if case .string(let text) = part { return text }
                return (try? JSON.stringify(part, indent: nil)).flatMap { $0 } ?? part.jsString
            }.joined(separator: " ")
            FileHandle.standardError.write(Data((line + "\n").utf8))
            return value
        }
        for (name, offset) in [("getCollectionItem", 0), ("getPreviousCollectionItem", -1), ("getNextCollectionItem", 1)] {
            environment.addFilter(name) { value, arguments, context in
                guard case .array(let items) = value,
                      let index = collectionIndex(of: page(arguments, context), in: items.elements),
                      items.elements.indices.contains(index + offset) else { return .undefined }
                return items.elements[index + offset]
            }
        }
        environment.addFilter("getCollectionItemIndex") { value, arguments, context in
            guard case .array(let items) = value,
                  let index = collectionIndex(of: page(arguments, context), in: items.elements) else { return .undefined }
            return .number(Double(index))
        }
        environment.addFilter("getNewestCollectionItemDate") { value, arguments, _ in
            // The RSS plugin's: the latest `date` of the items; the fallback
            // (or nothing) for an empty collection.
            guard case .array(let items) = value else { return arguments.positional.first ?? .undefined }
            var newest: (seconds: Double, date: Value)?
            for item in items.elements {
                guard case .object(let object) = item, let date = object["date"], let seconds = seconds(of: date) else { continue }
                if newest == nil || seconds > newest!.seconds { newest = (seconds, date) }
            }
            return newest?.date ?? arguments.positional.first ?? .undefined
        }
    }

    /// The page a collection filter looks for: its argument, else the
    /// rendering page's `page` (Eleventy 2 made the argument optional).
    static func page(_ arguments: Arguments, _ context: CallContext) -> Value? {
        if let given = arguments.positional.first, !given.isNullish { return given }
        return context.contextVariable("page")
    }

    /// Where `page` stands in `items`: the item with its `inputPath` and its
    /// `outputPath` or `url`, as Eleventy matches them.
    static func collectionIndex(of page: Value?, in items: [Value]) -> Int? {
        guard case .object(let page)? = page, let inputPath = page["inputPath"] else { return nil }
        func same(_ a: Value?, _ b: Value?) -> Bool {
            if case .string(let x)? = a, case .string(let y)? = b { return x == y }
            return false
        }
        return items.firstIndex { item in
            guard case .object(let item) = item, same(item["inputPath"], inputPath) else { return false }
            return same(item["outputPath"], page["outputPath"]) || same(item["url"], page["url"])
        }
    }

    /// Lower-case ASCII words joined by `-` (accents folded), as Eleventy's `slugify`.
    public static func slugify(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out = ""
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "\u{2019}" {
                continue
            } else {
                pendingDash = true
            }
        }
        return out
    }

}
