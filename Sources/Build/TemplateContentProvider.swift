import Foundation
import Nunjucks
import Site
import YAML

/// Eleventy's `templateContent` (and Eleventy 3's `content`) of collection
/// items: a page's content rendered without its layouts. Made when a
/// template first reads it — a feed reads a few items, most pages none —
/// and kept for the rest of the build.
///
/// Reads run on many worker threads at once; a page whose content reads
/// its own (directly or round a cycle) gets undefined there instead of
/// recursing without end.
final class TemplateContentProvider: LazyProperties, @unchecked Sendable {
    private let renderer: SiteRenderer
    private let root: String
    private let lock = NSLock()
    private var made: [String: Value] = [:]
    /// `collections` once built: an item's content may read them too.
    private var collections: JSObject?
    /// The outputs of paginated members by output path (the rest have no
    /// pagination to give their content).
    private var paginated: [String: PlannedOutput] = [:]

    /// The property names an item answers.
    static let names: Set<String> = ["templateContent", "content"]

    init(renderer: SiteRenderer, root: String) {
        self.renderer = renderer
        self.root = root
    }

    func setCollections(_ collections: JSObject) {
        lock.lock()
        self.collections = collections
        lock.unlock()
    }

    /// Keeps the pagination of a member's output, for its content.
    func notePaginated(_ output: PlannedOutput) {
        lock.lock()
        paginated[output.outputPath] = output
        lock.unlock()
    }

    /// One provider serves every item: what to render is read from the
    /// item itself (`inputPath`, `outputPath`, `url`, `date`, `data`), so
    /// thousands of items cost no closure each.
    override func value(of item: JSObject, named name: String) -> Value? {
        guard Self.names.contains(name), case .string(let inputPath)? = item["inputPath"], case .object(let data)? = item["data"] else {
            return nil
        }
        let path = inputPath.hasPrefix("./") ? String(inputPath.dropFirst(2)) : inputPath
        var outputPath = "", url = ""
        if case .string(let written)? = item["outputPath"] {
            outputPath = written.hasPrefix(renderer.outputPrefix) ? String(written.dropFirst(renderer.outputPrefix.count)) : written
        }
        if case .string(let address)? = item["url"] { url = address }
        let date = item["date"].flatMap { $0.isString ? PageDate.parse($0.jsString) : nil } ?? 0
        let key = path + "\u{0}" + outputPath
        lock.lock()
        let known = made[key]
        let collections = self.collections
        let output = paginated[outputPath] ?? PlannedOutput(url: url, outputPath: outputPath)
        lock.unlock()
        if let known { return known }
        guard RenderingOnThisThread.enter(key) else { return .undefined }
        defer { RenderingOnThisThread.leave(key) }
        guard case .page(let format) = SiteFile.classify(path), let bytes = FileBytes.read(root + "/" + path) else { return .undefined }
        let split = FrontMatter.split(String(decoding: bytes, as: UTF8.self))
        let page = PageSource(path: path, format: format, data: data, body: split.body, bodyStartLine: split.bodyStartLine,
                              frontMatterText: split.frontMatter ?? "")
        // A plain string, as in Eleventy: `{{ post.templateContent }}` is
        // escaped (what an Atom `type="html"` element needs); `| safe`
        // outputs the HTML. A page that fails to render reports its error
        // when it renders itself; here its content is undefined.
        let value: Value
        do {
            value = .string(try renderer.renderContent(page, date: date, output: output, collections: collections))
        } catch {
            value = .undefined
        }
        lock.lock()
        made[key] = value
        lock.unlock()
        return value
    }
}

/// The items whose content this thread is rendering (a cycle guard).
private enum RenderingOnThisThread {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            if let pointer { Unmanaged<Box>.fromOpaque(pointer).release() }
        }
        return key
    }()

    private final class Box {
        var keys: Set<String> = []
    }

    private static var box: Box {
        if let pointer = pthread_getspecific(key) { return Unmanaged<Box>.fromOpaque(pointer).takeUnretainedValue() }
        let box = Box()
        pthread_setspecific(key, Unmanaged.passRetained(box).toOpaque())
        return box
    }

    /// False when `item` is already being rendered on this thread.
    static func enter(_ item: String) -> Bool { box.keys.insert(item).inserted }

    static func leave(_ item: String) { box.keys.remove(item) }
}
