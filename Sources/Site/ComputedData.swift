import Nunjucks

/// Eleventy's `eleventyComputed`: data whose string values are templates,
/// rendered against the rest of the page's data once per output (so
/// pagination aliases and `page.url` are in scope) and set over it.
///
/// Nested objects compute key by key (`eleventyNavigation: {key: "{{ title }}"}`
/// sets `eleventyNavigation.key` and keeps its other keys); values that are
/// not strings are set as they are. A computed value may use another: values
/// are computed in the order their templates name each other (a template
/// naming `title` runs after `title` is computed), otherwise as written.
struct ComputedData {
    /// One computed leaf: where it goes and the template (or value) it comes from.
    struct Entry {
        let path: [String]
        let value: Value

        var dottedName: String { path.joined(separator: ".") }
        var template: String? { value.isString ? value.stringValue : nil }
    }

    /// The leaves, in the order they are computed.
    let entries: [Entry]

    /// The computed data in `data` (merged with layouts' below it, nearest
    /// layout winning, and global data's `eleventyComputed` —
    /// `_data/eleventyComputed.json` — below all), or nil when nothing is
    /// computed.
    init?(data: JSObject, layouts: [PageSource] = [], global: JSObject? = nil) {
        var layers: [JSObject] = []
        if case .object(let object)? = global?[Self.key] { layers.append(object) }
        for layout in layouts.reversed() {
            if case .object(let object)? = layout.data[Self.key] { layers.append(object) }
        }
        if case .object(let object)? = data[Self.key] { layers.append(object) }
        guard !layers.isEmpty else { return nil }
        var leaves: [Entry] = []
        for layer in layers {
            var layerLeaves: [Entry] = []
            Self.collectLeaves(of: layer, under: [], into: &layerLeaves)
            // A nearer layer's leaf replaces the same leaf of a farther one.
            for leaf in layerLeaves {
                if let index = leaves.firstIndex(where: { $0.path == leaf.path }) { leaves[index] = leaf } else { leaves.append(leaf) }
            }
        }
        guard !leaves.isEmpty else { return nil }
        entries = Self.dependencyOrder(leaves)
    }

    static let key = "eleventyComputed"

    /// Whether any computed template names `word` (`collections`, say).
    func mentions(_ word: String) -> Bool {
        entries.contains { $0.template.map { TextSearch.contains($0, word) } ?? false }
    }

    /// The template of the computed `permalink`, if there is one.
    var permalinkTemplate: String? {
        entries.first { $0.path == ["permalink"] }?.template
    }

    /// Computes every entry into `context`, in order. `render` turns one
    /// template (with the entry's dotted name) into text. Objects on the way
    /// to a nested key are copied first: data is shared between pages.
    func apply(to context: JSObject, render: (_ template: String, _ name: String) throws(SiteError) -> String) throws(SiteError) {
        for entry in entries {
            let value: Value
            if let template = entry.template, TextSearch.contains(template, "{{") || TextSearch.contains(template, "{%") {
                value = .string(try render(template, entry.dottedName))
            } else {
                value = entry.value
            }
            Self.set(value, at: entry.path[...], in: context)
        }
    }

    private static func set(_ value: Value, at path: ArraySlice<String>, in object: JSObject) {
        guard let first = path.first else { return }
        if path.count == 1 {
            object[first] = value
            return
        }
        let child = JSObject()
        if case .object(let existing)? = object[first] {
            for key in existing.keys { child[key] = existing[key] }
        }
        set(value, at: path.dropFirst(), in: child)
        object[first] = .object(child)
    }

    private static func collectLeaves(of object: JSObject, under prefix: [String], into leaves: inout [Entry]) {
        for key in object.keys {
            guard let value = object[key] else { continue }
            if case .object(let nested) = value {
                collectLeaves(of: nested, under: prefix + [key], into: &leaves)
            } else {
                leaves.append(Entry(path: prefix + [key], value: value))
            }
        }
    }

    /// Orders leaves so that one whose template names another leaf's key
    /// (its first name, or its whole dotted name) comes after it; leaves in
    /// a cycle keep the order they were written in.
    private static func dependencyOrder(_ leaves: [Entry]) -> [Entry] {
        let dependencies: [Set<Int>] = leaves.enumerated().map { index, entry in
            guard let template = entry.template else { return [] }
            var found = Set<Int>()
            for (other, candidate) in leaves.enumerated() where other != index {
                if names(template, candidate.path[0]) || names(template, candidate.dottedName) { found.insert(other) }
            }
            return found
        }
        var done = Set<Int>()
        var ordered: [Entry] = []
        while ordered.count < leaves.count {
            let ready = leaves.indices.first { !done.contains($0) && dependencies[$0].isSubset(of: done) }
                ?? leaves.indices.first { !done.contains($0) }!
            done.insert(ready)
            ordered.append(leaves[ready])
        }
        return ordered
    }

    /// Whether `name` occurs in `template` as a whole identifier (not as
    /// part of a longer name nor as a member after a dot).
    static func names(_ template: String, _ name: String) -> Bool {
        let text = Array(template.utf8), word = Array(name.utf8)
        guard !word.isEmpty, text.count >= word.count else { return false }
        func isNamePart(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || (byte >= 48 && byte <= 57)
                || (byte | 0x20 >= 97 && byte | 0x20 <= 122) || byte >= 0x80
        }
        var start = 0
        while start + word.count <= text.count {
            if text[start..<(start + word.count)].elementsEqual(word) {
                let before = start == 0 ? nil : text[start - 1]
                let after = start + word.count < text.count ? text[start + word.count] : nil
                let freeBefore = before.map { !isNamePart($0) && $0 != UInt8(ascii: ".") } ?? true
                let freeAfter = after.map { !isNamePart($0) } ?? true
                if freeBefore && freeAfter { return true }
            }
            start += 1
        }
        return false
    }
}

extension PageSource {
    /// The template `eleventyComputed.permalink` gives, if any: the page's
    /// URL comes from it when front matter has no `permalink`.
    public var computedPermalinkTemplate: String? {
        guard case .object(let computed)? = data[ComputedData.key], let permalink = computed["permalink"], permalink.isString
        else { return nil }
        return permalink.stringValue
    }
}
