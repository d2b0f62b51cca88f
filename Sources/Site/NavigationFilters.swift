import Nunjucks

/// The filters of Eleventy's navigation plugin (`@11ty/eleventy-navigation`),
/// built in so sites using it work unchanged:
///
/// - `collections.all | eleventyNavigation` — the entries whose
///   `eleventyNavigation` has no `parent`, or (`eleventyNavigation("A,B")`)
///   those whose parent is one of the keys; each has the page's
///   `eleventyNavigation` keys, `url`, `title` (the key when unset), `data`,
///   `pluginType` and, recursively, `children`. Sorted by `order` (entries
///   without one after those with one, `pinned` first), else as the
///   collection lists them.
/// - `collections.all | eleventyNavigationBreadcrumb(key, {includeSelf, allowMissing})`
///   — the entries from the top down to `key`'s parent (or `key` itself).
/// - `entries | eleventyNavigationToHtml({listClass, activeKey, ...})` — nested
///   lists of links, URLs through the `url` filter (the site's path prefix).
enum NavigationFilters {
    static let pluginType = "eleventy-navigation"

    static func register(in environment: Environment, url: @escaping @Sendable (String) -> String) {
        environment.addFilter("eleventyNavigation") { value, arguments, _ in
            let key = arguments.positional.first.map { $0.isNullish ? "" : $0.jsString } ?? ""
            return .array(JSArray(try entries(of: nodes(value), key: key).map { .object($0) }))
        }
        environment.addFilter("eleventyNavigationBreadcrumb") { value, arguments, _ in
            let key = arguments.positional.first ?? .undefined
            let options = optionsObject(arguments, after: 1)
            return .array(JSArray(try breadcrumb(of: nodes(value), key: key, options: options).map { .object($0) }))
        }
        environment.addFilter("eleventyNavigationToHtml") { value, arguments, _ in
            guard case .array(let entries) = value else { return .string("") }
            return .string(try html(entries.elements, options: HTMLOptions(optionsObject(arguments, after: 0)), url: url))
        }
    }

    private static func nodes(_ value: Value) -> [Value] {
        if case .array(let array) = value { return array.elements }
        return []
    }

    /// An options object given positionally, with keyword arguments over it.
    private static func optionsObject(_ arguments: Arguments, after index: Int) -> JSObject {
        let options = JSObject()
        if arguments.positional.count > index, case .object(let given) = arguments.positional[index] {
            for key in given.keys { options[key] = given[key] }
        }
        for (key, value) in arguments.keywords { options[key] = value }
        return options
    }

    // MARK: Entries

    /// Deepest chain of parents followed before it is called an error
    /// (rather than a stack overflow).
    static let maxDepth = 200

    static func entries(of nodes: [Value], key: String) throws -> [JSObject] {
        try entries(in: NavigationIndex(nodes), key: key, ancestors: [])
    }

    /// `ancestors`: the keys above (a key that is its own ancestor, by a
    /// cycle of parents, gets no children instead of endless ones).
    private static func entries(in index: NavigationIndex, key: String, ancestors: Set<String>) throws -> [JSObject] {
        guard ancestors.count <= maxDepth else {
            throw RuntimeError("eleventyNavigation: more than \(maxDepth) levels of parents")
        }
        let keys = key.split(separator: ",").map(String.init).filter { !$0.isEmpty }
        let members: [NavigationIndex.Node]
        if key.isEmpty {
            members = index.topLevel
        } else {
            // Grouped by parent in the order parents first appear.
            var seen = Set<String>()
            let groups = keys.filter { seen.insert($0).inserted }.compactMap { index.byParent[$0] }
            members = groups.sorted { $0[0].position < $1[0].position }.flatMap { $0 }
        }
        let built: [JSObject] = members.map { node in
            let entry = JSObject()
            entry["data"] = .object(node.data)
            for navigationKey in node.navigation.keys { entry[navigationKey] = node.navigation[navigationKey] }
            let given = node.navigation["url"] ?? .undefined
            let url = given.isNullish ? (node.item["url"] ?? .undefined) : given
            if url.isTruthy { entry["url"] = url }
            entry["pluginType"] = .string(pluginType)
            if !keys.isEmpty { entry["parentKey"] = node.navigation["parent"] ?? .undefined }
            return entry
        }
        // Sorted stably by order.
        let sorted = built.enumerated().sorted { a, b in
            let order = compare(a.element, b.element)
            return order != 0 ? order < 0 : a.offset < b.offset
        }.map(\.element)
        for entry in sorted {
            if !(entry["title"]?.isTruthy ?? false) { entry["title"] = entry["key"] ?? .undefined }
            if let entryKey = entry["key"], entryKey.isTruthy {
                let name = entryKey.jsString
                let children = ancestors.contains(name) ? [] : try entries(in: index, key: name, ancestors: ancestors.union([name]))
                entry["children"] = .array(JSArray(children.map { .object($0) }))
            }
        }
        return sorted
    }

    /// A collection's navigation nodes by parent, made in one pass per
    /// filter call: a menu then costs one pass over the collection, not one
    /// per entry.
    struct NavigationIndex {
        struct Node {
            let item: JSObject
            let data: JSObject
            let navigation: JSObject
            let position: Int
        }
        /// Nodes without a parent.
        var topLevel: [Node] = []
        /// Nodes by their parent's key (parents that are strings).
        var byParent: [String: [Node]] = [:]

        init(_ nodes: [Value]) {
            for (position, value) in nodes.enumerated() {
                guard case .object(let item) = value, case .object(let data)? = item["data"],
                      case .object(let navigation)? = data["eleventyNavigation"] else { continue }
                let node = Node(item: item, data: data, navigation: navigation, position: position)
                let parent = navigation["parent"] ?? .undefined
                if !parent.isTruthy {
                    topLevel.append(node)
                } else if parent.isString {
                    byParent[parent.jsString, default: []].append(node)
                }
            }
        }
    }

    /// The plugin's order: pinned entries first, then by `order`, entries
    /// without an order after those with one. Negative: `a` first.
    private static func compare(_ a: JSObject, _ b: JSObject) -> Double {
        let aPinned = a["pinned"]?.isTruthy ?? false, bPinned = b["pinned"]?.isTruthy ?? false
        func order(_ entry: JSObject) -> Double? {
            guard let value = entry["order"], !value.isUndefined else { return nil }
            return value.jsNumber
        }
        if aPinned && bPinned { return ((order(a) ?? 0) - (order(b) ?? 0)).nanToZero }
        let first = aPinned ? -Double.infinity : order(a), second = bPinned ? -Double.infinity : order(b)
        switch (first, second) {
        case (nil, nil): return 0
        case (_, nil): return -1
        case (nil, _): return 1
        case (let x?, let y?): return x == y ? 0 : (x - y).nanToZero
        }
    }

    // MARK: Breadcrumbs

    static func breadcrumb(of nodes: [Value], key: Value, options: JSObject) throws -> [JSObject] {
        guard key.isTruthy else { return [] }
        // The navigation tree by key (the first entry of a key wins) and
        // each key's parent.
        var byKey: [String: JSObject] = [:]
        var parentOf: [String: String] = [:]
        func index(_ entries: [JSObject], parent: String?) {
            for entry in entries {
                let entryKey = (entry["key"] ?? .undefined).jsString
                if byKey[entryKey] == nil { byKey[entryKey] = entry }
                if let parent, parentOf[entryKey] == nil { parentOf[entryKey] = parent }
                if case .array(let children)? = entry["children"] {
                    index(children.elements.compactMap { if case .object(let o) = $0 { return o } else { return nil } }, parent: entryKey)
                }
            }
        }
        index(try entries(of: nodes, key: ""), parent: nil)
        let active = key.jsString
        guard byKey[active] != nil else {
            if options["allowMissing"]?.isTruthy == true { return [] }
            throw RuntimeError("eleventyNavigationBreadcrumb: Node does not exist: \(active)")
        }
        var chain: [String] = []
        var next = parentOf[active]
        while let parent = next, !chain.contains(parent), parent != active {
            chain.insert(parent, at: 0)
            next = parentOf[parent]
        }
        if options["includeSelf"]?.isTruthy == true { chain.append(active) }
        return chain.compactMap { byKey[$0] }.map { node in
            let copy = JSObject()
            for key in node.keys where key != "children" { copy[key] = node[key] }
            copy["_isBreadcrumb"] = .bool(true)
            return copy
        }
    }

    // MARK: HTML

    struct HTMLOptions {
        var listElement = "ul", listItemElement = "li"
        var listClass = "", listItemClass = "", listItemHasChildrenClass = ""
        var activeKey: Value = .string("")
        var activeListItemClass = "", anchorClass = "", activeAnchorClass = ""
        var showExcerpt = false
        var isChildList = false

        init(_ object: JSObject) {
            func text(_ key: String, _ fallback: String) -> String {
                guard let value = object[key], !value.isUndefined else { return fallback }
                return value.jsString
            }
            listElement = text("listElement", listElement)
            listItemElement = text("listItemElement", listItemElement)
            listClass = text("listClass", listClass)
            listItemClass = text("listItemClass", listItemClass)
            listItemHasChildrenClass = text("listItemHasChildrenClass", listItemHasChildrenClass)
            if let key = object["activeKey"], !key.isUndefined { activeKey = key }
            activeListItemClass = text("activeListItemClass", activeListItemClass)
            anchorClass = text("anchorClass", anchorClass)
            activeAnchorClass = text("activeAnchorClass", activeAnchorClass)
            showExcerpt = object["showExcerpt"]?.isTruthy ?? false
            isChildList = object["isChildList"]?.isTruthy ?? false
        }
    }

    static func html(_ entries: [Value], options: HTMLOptions, url: (String) -> String) throws -> String {
        guard let first = entries.first else { return "" }
        guard case .object(let firstEntry) = first, case .string(pluginType)? = firstEntry["pluginType"] else {
            throw RuntimeError("Incorrect argument passed to eleventyNavigationToHtml filter. You must call `eleventyNavigation` or `eleventyNavigationBreadcrumb` first, like: `collection.all | eleventyNavigation | eleventyNavigationToHtml | safe`")
        }
        var childOptions = options
        childOptions.isChildList = true
        func classAttribute(_ classes: [String]) -> String {
            classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
        }
        var items: [String] = []
        for value in entries {
            let entry: JSObject
            if case .object(let object) = value { entry = object } else { entry = JSObject() }
            var itemClasses: [String] = [], anchorClasses: [String] = []
            if !options.listItemClass.isEmpty { itemClasses.append(options.listItemClass) }
            if !options.anchorClass.isEmpty { anchorClasses.append(options.anchorClass) }
            if Value.strictEquals(options.activeKey, entry["key"] ?? .undefined) {
                if !options.activeListItemClass.isEmpty { itemClasses.append(options.activeListItemClass) }
                if !options.activeAnchorClass.isEmpty { anchorClasses.append(options.activeAnchorClass) }
            }
            let children: [Value]? = {
                if case .array(let array)? = entry["children"] { return array.elements }
                return nil
            }()
            if !options.listItemHasChildrenClass.isEmpty, let children, !children.isEmpty {
                itemClasses.append(options.listItemHasChildrenClass)
            }
            var item = "<\(options.listItemElement)\(classAttribute(itemClasses))>"
            item += "<a href=\"\(url((entry["url"] ?? .undefined).jsString))\"\(classAttribute(anchorClasses))>"
            item += (entry["title"] ?? .undefined).jsString + "</a>"
            if options.showExcerpt, let excerpt = entry["excerpt"], excerpt.isTruthy { item += ": " + excerpt.jsString }
            if let children { item += try html(children, options: childOptions, url: url) }
            item += "</\(options.listItemElement)>"
            items.append(item)
        }
        let listClass = !options.isChildList && !options.listClass.isEmpty ? " class=\"\(options.listClass)\"" : ""
        return "<\(options.listElement)\(listClass)>" + items.joined(separator: "\n") + "</\(options.listElement)>"
    }
}

private extension Double {
    var nanToZero: Double { isNaN ? 0 : self }
}
