import Foundation
import Nunjucks

/// URL filters: Eleventy's `url`, the HTML base plugin's `htmlBaseUrl` and
/// `addPathPrefixToFullUrl`, the RSS plugin's `absoluteUrl` and
/// `htmlToAbsoluteUrls`, and `renderTransforms`.
extension SiteFilters {
    /// `prefix`: the site's path prefix, ending in `/`.
    static func registerURLFilters(in environment: Environment, prefix: String) {
        environment.addFilter("url") { value, arguments, _ in
            // An explicit path prefix wins over the site's (as in Eleventy).
            var base = prefix
            if case .string(let override)? = arguments.positional.first, !override.isEmpty { base = override }
            return .string(url(value.outputString, prefix: base))
        }
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
    }

    /// Eleventy's `url`: a site-absolute URL under the path prefix (`/docs`
    /// or `/docs/`); others (relative, `//host`, `https:`) as they are.
    static func url(_ url: String, prefix: String) -> String {
        guard url.hasPrefix("/"), !url.hasPrefix("//") else { return url }
        return (prefix.hasSuffix("/") ? prefix : prefix + "/") + url.dropFirst()
    }

    /// Eleventy's `htmlBaseUrl` (its HTML base plugin): full URLs stay as
    /// they are; with a full base URL (`https://example.com/`) a path becomes
    /// a full URL under it, path prefix included (a relative path is first
    /// resolved against the page's URL); with a path base it is the `url`
    /// filter with that prefix; with base `/` nothing changes.
    static func htmlBaseURL(_ url: String, base: String, pathPrefix: String, pageURL: String?) -> String {
        if base == "/" || isFullURL(url) { return url }
        guard isFullURL(base) else {
            return self.url(url, prefix: base)
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
}
