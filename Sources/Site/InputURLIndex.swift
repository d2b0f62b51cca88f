import Foundation
import Nunjucks

/// Eleventy 3's `inputPathToUrl` filter: `{{ "blog/post.md" | inputPathToUrl }}`
/// is the URL the page read from that file is written at, so links survive a
/// permalink change. Paths are relative to the site root (a leading `./` or
/// `/` is dropped) or to the rendering page's directory (`../about.md`); a
/// `#fragment` or `?query` is kept. A path that names no page is an error.
///
/// The build hands over where URLs come from before pages render; the map
/// is made when the filter is first used.
public final class InputURLIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var source: (@Sendable () -> [String: String])?
    private var urls: [String: String]?

    public init() {}

    /// Where this build's URLs come from (input path -> first URL).
    public func reset(_ source: @escaping @Sendable () -> [String: String]) {
        lock.lock()
        self.source = source
        urls = nil
        lock.unlock()
    }

    func url(ofInput path: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if urls == nil { urls = source?() ?? [:] }
        return urls?[path]
    }

    func register(in environment: Environment) {
        environment.addFilter("inputPathToUrl") { [self] value, _, context in
            let written = value.outputString
            var target = written, suffix = ""
            if let cut = written.firstIndex(where: { $0 == "#" || $0 == "?" }) {
                target = String(written[..<cut])
                suffix = String(written[cut...])
            }
            var candidates = [RelativePath.normalize(target)]
            if case .object(let page)? = context.contextVariable("page"), case .string(let inputPath)? = page["inputPath"],
               !target.hasPrefix("/"), let pagePath = RelativePath.normalize(inputPath) {
                let directory = (pagePath as NSString).deletingLastPathComponent
                candidates.append(RelativePath.normalize(directory.isEmpty ? target : directory + "/" + target))
            }
            for case let candidate? in candidates {
                if let url = url(ofInput: candidate) { return .string(url + suffix) }
            }
            throw RuntimeError("inputPathToUrl: no page is read from \"\(written)\" (paths are relative to the site root or to this page)")
        }
    }
}
