import Nunjucks

/// One page as collections show it: `url`, `data`, `date`, `inputPath`,
/// `outputPath`, `fileSlug`.
public struct CollectionEntry: @unchecked Sendable {
    public let inputPath: String
    public let date: Double
    public let tags: [String]
    public let item: JSObject

    public init(inputPath: String, date: Double, tags: [String], item: JSObject) {
        self.inputPath = inputPath
        self.date = date
        self.tags = tags
        self.item = item
    }
}

/// Builds the `collections` variable: `all`, and one array per tag, every
/// array sorted by date then input path (Eleventy's order).
public enum Collections {
    public static func build(_ entries: [CollectionEntry]) -> JSObject {
        let sorted = entries.sorted { a, b in
            a.date != b.date ? a.date < b.date : a.inputPath < b.inputPath
        }
        let collections = JSObject()
        collections["all"] = .array(JSArray(sorted.map { .object($0.item) }))
        var byTag: [String: [Value]] = [:]
        var tagOrder: [String] = []
        for entry in sorted {
            for tag in entry.tags {
                if byTag[tag] == nil { tagOrder.append(tag) }
                byTag[tag, default: []].append(.object(entry.item))
            }
        }
        for tag in tagOrder.sorted() where tag != "all" {
            collections[tag] = .array(JSArray(byTag[tag]!))
        }
        return collections
    }
}
