import Foundation
import Nunjucks

/// Filters a site's templates get on top of Nunjucks's: the ones Eleventy
/// ships (`url`, `slugify`, `slug`, `log`, `getCollectionItem`,
/// `getPreviousCollectionItem`, `getNextCollectionItem`,
/// `getCollectionItemIndex`) and its RSS plugin's date and URL helpers
/// (`getNewestCollectionItemDate` among them), the navigation plugin's
/// (`NavigationFilters`), plus a strftime-style `date`.
/// Dates may be ISO strings, `YYYY-MM-DD` text or numbers (milliseconds
/// since 1970, as JS).
public enum SiteFilters {
    public static func register(in environment: Environment, pathPrefix: String = "/") {
        let prefix = pathPrefix.hasSuffix("/") ? pathPrefix : pathPrefix + "/"
        environment.addFilter("url") { value, arguments, _ in
            // An explicit path prefix wins over the site's (as in Eleventy).
            var base = prefix
            if case .string(let override)? = arguments.positional.first, !override.isEmpty {
                base = override.hasSuffix("/") ? override : override + "/"
            }
            return .string(url(value.outputString, prefix: base))
        }
        NavigationFilters.register(in: environment) { url($0, prefix: prefix) }
        environment.addFilter("htmlBaseUrl") { value, arguments, context in
            let given = arguments.positional.first.flatMap { $0.isTruthy ? $0.outputString : nil }
            var pageURL: String?
            if arguments.positional.count > 1, arguments.positional[1].isTruthy {
                pageURL = arguments.positional[1].outputString
            } else if case .object(let page)? = context.contextVariable("page"), case .string(let current)? = page["url"] {
                pageURL = current
            }
            return .string(htmlBaseURL(value.outputString, base: given ?? prefix, pathPrefix: prefix, pageURL: pageURL))
        }
        environment.addFilter("addPathPrefixToFullUrl") { value, _, _ in
            .string(withPathPrefix(value.outputString, base: nil, pathPrefix: prefix) ?? value.outputString)
        }
        environment.addFilter("slugify") { value, _, _ in .string(slugify(value.outputString)) }
        environment.addFilter("slug") { value, _, _ in .string(slugify(value.outputString)) }
        environment.addFilter("absoluteUrl") { value, arguments, _ in
            let base = arguments.positional.first?.outputString ?? ""
            return .string(absoluteURL(value.outputString, base: base))
        }
        // Eleventy 3 runs the site's transforms (HTML base, minifiers) over
        // content handed to it, in feeds; a site here has none to run.
        environment.addFilter("renderTransforms") { value, _, _ in value }
        environment.addFilter("htmlToAbsoluteUrls") { value, arguments, _ in
            .string(htmlToAbsoluteURLs(value.outputString, base: arguments.positional.first?.outputString ?? ""))
        }
        environment.addFilter("dateToRfc3339") { value, _, _ in
            guard let seconds = seconds(of: value) else { return value }
            return .string(format(seconds, "%Y-%m-%dT%H:%M:%SZ"))
        }
        environment.addFilter("dateToRfc822") { value, _, _ in
            guard let seconds = seconds(of: value) else { return value }
            return .string(format(seconds, "%a, %d %b %Y %H:%M:%S +0000"))
        }
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
        environment.addFilter("date") { value, arguments, _ in
            guard let seconds = seconds(of: value) else { return value }
            let pattern = arguments.positional.first?.outputString ?? "%Y-%m-%d"
            return .string(format(seconds, pattern))
        }
    }

    /// Eleventy's `url`: a site-absolute URL under the path prefix (which
    /// ends in `/`); others (relative, `//host`, `https:`) as they are.
    static func url(_ url: String, prefix: String) -> String {
        guard url.hasPrefix("/"), !url.hasPrefix("//") else { return url }
        return prefix + url.dropFirst()
    }

    /// Eleventy's `htmlBaseUrl` (its HTML base plugin): full URLs stay as
    /// they are; with a full base URL (`https://example.com/`) a path becomes
    /// a full URL under it, path prefix included (a relative path is first
    /// resolved against the page's URL); with a path base it is the `url`
    /// filter with that prefix; with base `/` nothing changes.
    static func htmlBaseURL(_ url: String, base: String, pathPrefix: String, pageURL: String?) -> String {
        if base == "/" || isFullURL(url) { return url }
        guard isFullURL(base) else {
            return self.url(url, prefix: base.hasSuffix("/") ? base : base + "/")
        }
        var path = url
        if !url.hasPrefix("/"), let pageURL, let page = URL(string: "http://example.com" + pageURL),
           let resolved = URL(string: url, relativeTo: page),
           let components = URLComponents(url: resolved, resolvingAgainstBaseURL: true) {
            path = components.percentEncodedPath
        }
        return withPathPrefix(path, base: base, pathPrefix: pathPrefix) ?? url
    }

    /// `url` resolved against `base` (when given), with the path prefix put
    /// in front of its path; nil when it does not parse as a URL.
    static func withPathPrefix(_ url: String, base: String?, pathPrefix: String) -> String? {
        let baseURL = base.flatMap { URL(string: $0) }
        guard let parsed = URL(string: url, relativeTo: baseURL),
              var components = URLComponents(url: parsed, resolvingAgainstBaseURL: true), components.scheme != nil else { return nil }
        if pathPrefix != "/" {
            var prefix = pathPrefix
            while prefix.hasSuffix("/") { prefix.removeLast() }
            if !prefix.hasPrefix("/") { prefix = "/" + prefix }
            let path = components.percentEncodedPath
            components.percentEncodedPath = prefix + (path.hasPrefix("/") ? path : "/" + path)
        }
        return components.string
    }

    /// Whether `text` is a full URL (has a scheme: `https:`, `mailto:`).
    static func isFullURL(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        return scheme.first?.isLetter == true && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
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

    /// The RSS plugin's `absoluteUrl`: `url` resolved against `base` as a
    /// browser (and JavaScript's `new URL(url, base)`) resolves it — `/a/`
    /// against `https://x.com/blog/` is `https://x.com/a/`; `url` as it is
    /// when `base` is not a full URL.
    static func absoluteURL(_ url: String, base: String) -> String {
        guard isFullURL(base), let baseURL = URL(string: base) else { return url }
        if url.isEmpty {
            let whole = baseURL.absoluteString
            return baseURL.path.isEmpty && baseURL.query == nil && baseURL.fragment == nil ? whole + "/" : whole
        }
        return URL(string: url, relativeTo: baseURL)?.absoluteString ?? url
    }

    /// The RSS plugin's `htmlToAbsoluteUrls`: every URL in the HTML's
    /// link and media attributes (`href`, `src`, `srcset`, `poster`, ...)
    /// made absolute against `base`, so feed readers can follow them.
    static func htmlToAbsoluteURLs(_ html: String, base: String) -> String {
        guard isFullURL(base), TextSearch.contains(html, "=") else { return html }
        let range = NSRange(html.startIndex..., in: html)
        var output = ""
        var last = html.startIndex
        for match in urlAttribute.matches(in: html, range: range) {
            guard let nameRange = Range(match.range(at: 1), in: html) else { continue }
            let valueGroup = match.range(at: 2).location != NSNotFound ? 2 : 3
            guard let valueRange = Range(match.range(at: valueGroup), in: html) else { continue }
            let value = String(html[valueRange])
            let rewritten: String
            if html[nameRange].lowercased() == "srcset" {
                rewritten = value.split(separator: ",").map { candidate -> String in
                    let parts = candidate.split(separator: " ", omittingEmptySubsequences: true)
                    guard let first = parts.first else { return String(candidate) }
                    return ([absoluteURL(String(first), base: base)] + parts.dropFirst().map(String.init)).joined(separator: " ")
                }.joined(separator: ", ")
            } else {
                rewritten = absoluteURL(value.trimmingCharacters(in: .whitespaces), base: base)
            }
            output += html[last..<valueRange.lowerBound] + rewritten
            last = valueRange.upperBound
        }
        output += html[last...]
        return output
    }

    /// `href="..."` and the other URL attributes, after white space (so in
    /// a tag, not a longer name), with a double- (group 2) or single-quoted
    /// (group 3) value.
    private static let urlAttribute = try! NSRegularExpression(
        pattern: #"\s(href|src|srcset|poster|action|cite|data|background|longdesc|formaction|manifest|usemap)\s*=\s*(?:"([^"]*)"|'([^']*)')"#,
        options: [.caseInsensitive])

    static func seconds(of value: Value) -> Double? {
        switch value {
        case .number(let ms): return ms / 1000
        case .string(let s), .safe(let s): return PageDate.parse(s)
        default: return nil
        }
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// strftime subset in UTC: %Y %m %d %e %B %b %A %a %H %M %S %j %%.
    public static func format(_ seconds: Double, _ pattern: String) -> String {
        let whole = Int(seconds.rounded(.down))
        var days = whole / 86400
        var rest = whole % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        let (y, m, d) = PageDate.civilFromDays(days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        let dayOfYear = days - PageDate.daysFromCivil(year: y, month: 1, day: 1) + 1
        func pad(_ n: Int, _ width: Int = 2) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = ""
        var percent = false
        for c in pattern {
            guard percent else {
                if c == "%" { percent = true } else { out.append(c) }
                continue
            }
            percent = false
            switch c {
            case "Y": out += String(y)
            case "m": out += pad(m)
            case "d": out += pad(d)
            case "e": out += String(d)
            case "B": out += monthNames[m - 1]
            case "b": out += String(monthNames[m - 1].prefix(3))
            case "A": out += dayNames[weekday]
            case "a": out += String(dayNames[weekday].prefix(3))
            case "H": out += pad(rest / 3600)
            case "M": out += pad((rest / 60) % 60)
            case "S": out += pad(rest % 60)
            case "j": out += pad(dayOfYear, 3)
            case "%": out += "%"
            default: out += "%" + String(c)
            }
        }
        return out
    }
}
