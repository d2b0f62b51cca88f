/// `Array.prototype` methods reachable from templates (those without a JS
/// callback; a template function may serve as `sort`'s comparator).
enum ArrayMethods {
    static let names: Set<String> = [
        "at", "concat", "fill", "flat", "includes", "indexOf", "join", "lastIndexOf", "pop",
        "push", "reverse", "shift", "slice", "sort", "splice", "toString", "unshift", "valueOf",
    ]

    static func member(_ array: JSArray, _ name: String) -> Value {
        guard names.contains(name) else { return .undefined }
        return .function(JSFunction(name: name) { arguments in
            try call(name, on: array, arguments.jsPositional)
        })
    }

    static func call(_ name: String, on array: JSArray, _ a: [Value]) throws -> Value {
        func arg(_ i: Int) -> Value { i < a.count ? a[i] : .undefined }
        let count = array.elements.count
        switch name {
        case "at":
            var i = StringMethods.integer(arg(0))
            if i < 0 { i += Double(count) }
            guard i >= 0, i < Double(count) else { return .undefined }
            return array.elements[Int(i)]
        case "concat":
            var out = array.elements
            for value in a {
                if case .array(let other) = value { out += other.elements } else { out.append(value) }
            }
            return .array(JSArray(out))
        case "fill":
            let start = JSStringOps.relative(arg(1), length: count, default: 0)
            let end = JSStringOps.relative(arg(2), length: count, default: count)
            if start < end { for i in start..<end { array.elements[i] = arg(0) } }
            return .array(array)
        case "flat":
            let depth = arg(0).isUndefined ? 1 : StringMethods.integer(arg(0))
            return .array(JSArray(flatten(array.elements, depth: depth)))
        case "includes":
            let start = JSStringOps.relative(arg(1), length: count, default: 0)
            let target = arg(0)
            for i in start..<max(start, count) {
                if sameValueZero(array.elements[i], target) { return .bool(true) }
            }
            return .bool(false)
        case "indexOf":
            let start = JSStringOps.relative(arg(1), length: count, default: 0)
            for i in start..<max(start, count) where Value.strictEquals(array.elements[i], arg(0)) {
                return .number(Double(i))
            }
            return .number(-1)
        case "lastIndexOf":
            var i = count - 1
            if !arg(1).isUndefined {
                let n = StringMethods.integer(arg(1))
                i = Int(n < 0 ? max(-1, Double(count) + n) : min(n, Double(count - 1)))
            }
            while i >= 0 {
                if Value.strictEquals(array.elements[i], arg(0)) { return .number(Double(i)) }
                i -= 1
            }
            return .number(-1)
        case "join":
            return .string(join(array.elements, separator: arg(0).isUndefined ? "," : arg(0).jsString))
        case "toString":
            return .string(join(array.elements, separator: ","))
        case "valueOf":
            return .array(array)
        case "pop":
            return array.elements.popLast() ?? .undefined
        case "push":
            array.elements += a
            return .number(Double(array.elements.count))
        case "reverse":
            array.elements.reverse()
            return .array(array)
        case "shift":
            return array.elements.isEmpty ? .undefined : array.elements.removeFirst()
        case "unshift":
            array.elements.insert(contentsOf: a, at: 0)
            return .number(Double(array.elements.count))
        case "slice":
            let start = JSStringOps.relative(arg(0), length: count, default: 0)
            let end = JSStringOps.relative(arg(1), length: count, default: count)
            return .array(JSArray(start < end ? Array(array.elements[start..<end]) : []))
        case "splice":
            let start = JSStringOps.relative(arg(0), length: count, default: 0)
            let deleteCount: Int
            if a.isEmpty { deleteCount = 0 }
            else if a.count == 1 { deleteCount = count - start }
            else { deleteCount = Int(max(0, min(StringMethods.integer(arg(1)), Double(count - start)))) }
            let removed = Array(array.elements[start..<(start + deleteCount)])
            array.elements.replaceSubrange(start..<(start + deleteCount), with: a.dropFirst(2))
            return .array(JSArray(removed))
        case "sort":
            array.elements = try sortDefault(array.elements, comparator: arg(0))
            return .array(array)
        default:
            return .undefined
        }
    }

    /// `Array.prototype.join`: undefined and null elements print as "".
    static func join(_ elements: [Value], separator: String) -> String {
        var out = ""
        for (i, element) in elements.enumerated() {
            if i > 0 { out += separator }
            if !element.isNullish { out += element.jsString }
        }
        return out
    }

    /// `Array.prototype.sort`: undefined last; the rest by a comparator
    /// function's sign, or by their strings in UTF-16 order. Stable.
    static func sortDefault(_ elements: [Value], comparator: Value) throws -> [Value] {
        let defined = elements.filter { !$0.isUndefined }
        let undefinedCount = elements.count - defined.count
        var sorted: [Value]
        if case .function(let f) = comparator {
            sorted = try stableSort(defined) { x, y in
                let r = try f.call(Arguments([x, y])).jsNumber
                return r.isNaN ? 0 : (r < 0 ? -1 : (r > 0 ? 1 : 0))
            }
        } else {
            let keyed = defined.map { ($0, Array($0.jsString.utf16)) }
            sorted = stableSort(keyed) { x, y in
                x.1.lexicographicallyPrecedes(y.1) ? -1 : (y.1.lexicographicallyPrecedes(x.1) ? 1 : 0)
            }.map { $0.0 }
        }
        sorted += Array(repeating: .undefined, count: undefinedCount)
        return sorted
    }

    private static func flatten(_ elements: [Value], depth: Double) -> [Value] {
        var out: [Value] = []
        for element in elements {
            if case .array(let inner) = element, depth >= 1 {
                out += flatten(inner.elements, depth: depth - 1)
            } else {
                out.append(element)
            }
        }
        return out
    }

    static func sameValueZero(_ a: Value, _ b: Value) -> Bool {
        if case .number(let x) = a, case .number(let y) = b, x.isNaN, y.isNaN { return true }
        return Value.strictEquals(a, b)
    }
}

/// A stable merge sort driven by a JS-style three-way comparator.
func stableSort<T>(_ items: [T], by compare: (T, T) throws -> Int) rethrows -> [T] {
    if items.count < 2 { return items }
    var source = items
    var buffer = items
    var width = 1
    while width < source.count {
        var start = 0
        while start < source.count {
            let mid = min(start + width, source.count), end = min(start + 2 * width, source.count)
            var i = start, j = mid, k = start
            while i < mid && j < end {
                if try compare(source[j], source[i]) < 0 { buffer[k] = source[j]; j += 1 } else { buffer[k] = source[i]; i += 1 }
                k += 1
            }
            while i < mid { buffer[k] = source[i]; i += 1; k += 1 }
            while j < end { buffer[k] = source[j]; j += 1; k += 1 }
            start = end
        }
        swap(&source, &buffer)
        width *= 2
    }
    return source
}
