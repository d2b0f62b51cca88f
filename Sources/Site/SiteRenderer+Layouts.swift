import Foundation
import Nunjucks

/// Layout chains and the data layouts add to the pages using them.
extension SiteRenderer {
    /// The layout chain of a page, nearest first: each layout's front matter
    /// may name the next. (`render` gives each the previous output as safe
    /// `content`.)
    func layoutChain(startingWith first: String?, from pagePath: String, into result: inout PageRenderResult) throws(SiteError) -> [PageSource] {
        var chain: [PageSource] = []
        var seen: [String] = []
        var next = first
        while let name = next {
            guard seen.count < maxLayoutDepth, !seen.contains(name) else {
                throw SiteError(file: pagePath, message: "layout cycle: \((seen + [name]).joined(separator: " -> "))")
            }
            seen.append(name)
            guard let layout = try layout(named: name) else {
                throw SiteError(file: seen.count == 1 ? pagePath : seen[seen.count - 2], message: "layout \"\(name)\" not found in _layouts/ or _includes/")
            }
            result.templates.insert(layout.path)
            if layout.mentionsCollections { result.usesCollections = true }
            if layoutCache.readsOtherPages(layout) { result.readsOtherPages = true }
            chain.append(layout)
            next = layout.layout
        }
        return chain
    }

    /// A layout by name: `_layouts/NAME` then `_includes/NAME`, trying the
    /// name as written, then with `.njk` and `.html`.
    public func layout(named name: String) throws(SiteError) -> PageSource? {
        if let cached = layoutCache.get(name) { return cached }
        let names = name.contains(".") ? [name] : [name, name + ".njk", name + ".html"]
        for directory in ["_layouts", "_includes"] {
            for candidate in names {
                guard let path = RelativePath.normalize(directory + "/" + candidate), path.hasPrefix(directory + "/") else { continue }
                let source: TemplateSource?
                do { source = try loader.read(path) } catch { throw SiteError(file: path, message: "\(error)") }
                if let source {
                    let page = try PageParser.parse(path: path, text: source.source, format: .nunjucks)
                    layoutCache.set(name, page)
                    return page
                }
            }
        }
        return nil
    }

    /// Keys a page's data never sets in its context: the engine's own.
    static let keysOutsideData: Set<String> = ["page", "collections", "content", "layout", ComputedData.key]

    /// The page's data over its layouts' front matter, as Eleventy's cascade
    /// has it: layouts sit below the page's own data (directory data
    /// included) and above global data, nearest layout highest, merged deeply
    /// (objects key by key, arrays added up). Nil when no layout has data
    /// beyond naming its own layout.
    func dataWithLayouts(_ page: PageSource, _ layouts: [PageSource]) -> JSObject? {
        let layers = layouts.reversed().map(\.data).filter { data in data.keys.contains { !Self.keysOutsideData.contains($0) } }
        guard !layers.isEmpty else { return nil }
        let trimmed = layers.map { data in
            JSObject(data.keys.filter { !Self.keysOutsideData.contains($0) }.compactMap { key in data[key].map { (key, $0) } })
        }
        return DirectoryData.merge(trimmed + [page.data])
    }
}

/// Layouts parsed once per renderer, shared by worker threads.
final class LayoutCache: @unchecked Sendable {
    private let lock = NSLock()
    private var layouts: [String: PageSource] = [:]
    private var otherPageReaders: [String: Bool] = [:]

    func get(_ name: String) -> PageSource? {
        lock.lock()
        defer { lock.unlock() }
        return layouts[name]
    }

    /// `SiteRenderer.readsOtherPages` of a layout's body, found once.
    func readsOtherPages(_ layout: PageSource) -> Bool {
        lock.lock()
        let known = otherPageReaders[layout.path]
        lock.unlock()
        if let known { return known }
        let reads = SiteRenderer.readsOtherPages(layout.body)
        lock.lock()
        otherPageReaders[layout.path] = reads
        lock.unlock()
        return reads
    }

    func set(_ name: String, _ page: PageSource) {
        lock.lock()
        layouts[name] = page
        lock.unlock()
    }
}
