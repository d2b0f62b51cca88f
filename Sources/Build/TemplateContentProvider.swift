import Foundation
import Nunjucks
import Site

/// Eleventy's `templateContent` (and Eleventy 3's `content`) of collection
/// items: a page's content rendered without its layouts. Made when a
/// template first reads it — a feed reads a few items, most pages none —
/// and kept for the rest of the build.
///
/// Reads run on many worker threads at once; a page whose content reads
/// its own (directly or round a cycle) gets undefined there instead of
/// recursing without end.
final class TemplateContentProvider: @unchecked Sendable {
    private let renderer: SiteRenderer
    private let root: String
    private let lock = NSLock()
    private var made: [String: Value] = [:]
    /// `collections` once built: an item's content may read them too.
    private var collections: JSObject?

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

    /// What a collection item of `page` (for `output`) answers when a
    /// template reads one of `names` from it.
    func property(of page: PageSource, output: PlannedOutput, date: Double) -> @Sendable (String) -> Value? {
        { [self] name in
            guard Self.names.contains(name) else { return nil }
            return content(of: page, output: output, date: date)
        }
    }

    private func content(of page: PageSource, output: PlannedOutput, date: Double) -> Value {
        let key = page.path + "\u{0}" + output.outputPath
        lock.lock()
        let known = made[key]
        let collections = self.collections
        lock.unlock()
        if let known { return known }
        guard RenderingOnThisThread.enter(key) else { return .undefined }
        defer { RenderingOnThisThread.leave(key) }
        var source = page
        if !page.hasBody {
            guard let bytes = FileBytes.read(root + "/" + page.path) else { return .undefined }
            source = page.restoringBody(from: String(decoding: bytes, as: UTF8.self))
        }
        // A page that fails to render reports its error when it renders
        // itself; here its content is undefined.
        let value: Value
        do {
            // A plain string, as in Eleventy: `{{ post.templateContent }}`
            // is escaped (what an Atom `type="html"` element needs); `| safe`
            // outputs the HTML.
            value = .string(try renderer.renderContent(source, date: date, output: output, collections: collections))
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
