import Foundation

/// Filters over arrays, objects and array-likes, following Nunjucks 3.2.4.
enum CollectionFilters {
    static func batch(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let items = try ArrayLike.indexedOrThrow(value)
        let a = arguments.jsPositional
        let lineCount = a[argument: 0].jsNumber
        let fill = a[argument: 1]
        var rows: [Value] = []
        var row: [Value] = []
        for (i, item) in items.enumerated() {
            if Double(i).truncatingRemainder(dividingBy: lineCount) == 0 && !row.isEmpty {
                rows.append(.array(JSArray(row)))
                row = []
            }
            row.append(item)
        }
        if !row.isEmpty {
            if fill.isTruthy {
                guard lineCount < 10_000_000 else { throw RuntimeError("batch filter: line count too large to fill") }
                while Double(row.count) < lineCount { row.append(fill) }
            }
            rows.append(.array(JSArray(row)))
        }
        return .array(JSArray(rows))
    }

    static func first(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if value.isNullish { throw JSErrors.readingProperty("0", of: value) }
        if case .array(let a) = value { return a.elements.first ?? .undefined }
        return value.member(.number(0))
    }

    static func last(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if value.isNullish { throw JSErrors.readingProperty("length", of: value) }
        if case .array(let a) = value { return a.elements.last ?? .undefined }
        let index = Value.jsAdd(value.member(.string("length")), .number(-1)).jsNumber
        return value.member(.number(index))
    }

    static func random(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if value.isNullish { throw JSErrors.readingProperty("length", of: value) }
        let length = value.member(.string("length")).jsNumber
        return value.member(.number((Double.random(in: 0..<1) * length).rounded(.down)))
    }

    static func length(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        switch value.normalizedToEmpty {
        case .array(let a): return .number(Double(a.elements.count))
        case .string(let s), .safe(let s): return .number(Double(s.utf16.count))
        case .object(let o): return .number(Double(o.count))
        case let other: return other.member(.string("length"))
        }
    }

    static func list(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        switch value {
        case .string: return .array(JSArray(ArrayLike.elements(value)))
        case .array: return value
        case .object, .safe:
            return .array(JSArray(ArrayLike.ownEntries(value).map {
                .object(JSObject([("key", .string($0.key)), ("value", $0.value)]))
            }))
        default:
            throw RuntimeError("list filter: type not iterable")
        }
    }

    static func join(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let a = arguments.jsPositional
        let separatorValue = a[argument: 0]
        let separator = separatorValue.isTruthy ? separatorValue.jsString : ""
        let attribute = a[argument: 1]
        if attribute.isTruthy {
            let picked = try ArrayLike.elements(value).map { try ArrayLike.property($0, attribute) }
            return .string(ArrayMethods.join(picked, separator: separator))
        }
        switch value {
        case .array(let array): return .string(ArrayMethods.join(array.elements, separator: separator))
        case .undefined, .null: throw JSErrors.readingProperty("join", of: value)
        default: throw JSErrors.notAFunction("arr.join")
        }
    }

    static func reverse(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if case .string(let s) = value {
            return .string(JSStringOps.string(s.utf16.reversed()))
        }
        return .array(JSArray(ArrayLike.elements(value).reversed()))
    }

    static func slice(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if value.isNullish { throw JSErrors.readingProperty("length", of: value) }
        let a = arguments.jsPositional
        let slices = a[argument: 0].jsNumber
        let fill = a[argument: 1]
        let length: Double
        switch value {
        case .array(let array): length = Double(array.elements.count)
        case .string(let s): length = Double(s.utf16.count)
        default: throw JSErrors.notAFunction("arr.slice")
        }
        guard slices < 1_000_000 else { throw RuntimeError("slice filter: too many slices") }
        let sliceLength = (length / slices).rounded(.down)
        let extra = length.truncatingRemainder(dividingBy: slices)
        var result: [Value] = []
        var offset = 0.0
        var i = 0.0
        while i < slices {
            let start = offset + i * sliceLength
            if i < extra { offset += 1 }
            let end = offset + (i + 1) * sliceLength
            let piece = try value.member(.string("slice")).callJS([.number(start), .number(end)])
            if fill.isTruthy && i >= extra {
                guard case .array(let pieceArray) = piece else { throw JSErrors.notAFunction("currSlice.push") }
                pieceArray.elements.append(fill)
            }
            result.append(piece)
            i += 1
        }
        return .array(JSArray(result))
    }

    static func sum(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let a = arguments.jsPositional
        let attribute = a[argument: 0]
        let start = a[argument: 1].isUndefined ? Value.number(0) : a[argument: 1]
        let items: [Value]
        if attribute.isTruthy {
            items = try ArrayLike.elements(value).map { try ArrayLike.property($0, attribute) }
        } else {
            switch value {
            case .array(let array): items = array.elements
            case .undefined, .null: throw JSErrors.readingProperty("reduce", of: value)
            default: throw JSErrors.notAFunction("arr.reduce")
            }
        }
        var total = Value.number(0)
        for item in items { total = Value.jsAdd(total, item) }
        return Value.jsAdd(start, total)
    }

    static func selectattr(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        try filterByAttribute(value, arguments, keep: true)
    }

    static func rejectattr(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        try filterByAttribute(value, arguments, keep: false)
    }

    private static func filterByAttribute(_ value: Value, _ arguments: Arguments, keep: Bool) throws -> Value {
        let attribute = arguments.jsPositional[argument: 0]
        guard case .array(let array) = value else {
            if value.isNullish { throw JSErrors.readingProperty("filter", of: value) }
            throw JSErrors.notAFunction("arr.filter")
        }
        return .array(JSArray(try array.elements.filter { try ArrayLike.property($0, attribute).isTruthy == keep }))
    }

    static func select(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        try filterByTest(value, arguments, context, expected: true)
    }

    static func reject(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        try filterByTest(value, arguments, context, expected: false)
    }

    private static func filterByTest(_ value: Value, _ arguments: Arguments, _ context: CallContext, expected: Bool) throws -> Value {
        let a = arguments.jsPositional
        let name = a[argument: 0].isUndefined ? "truthy" : a[argument: 0].propertyKey
        guard let test = context.test(named: name) else { throw RuntimeError("Error: test not found: \(name)") }
        if value.isNullish { throw RuntimeError("TypeError: Array.prototype.slice called on null or undefined") }
        let testArguments = Arguments([a[argument: 1]])
        return .array(JSArray(try ArrayLike.elements(value).filter { try test($0, testArguments, context) == expected }))
    }

    static func dictsort(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        switch value {
        case .object, .safe: break
        default: throw RuntimeError("dictsort filter: val must be an object")
        }
        let a = arguments.jsPositional
        let caseSensitive = a[argument: 0].isTruthy
        let slot: Int
        switch a[argument: 1] {
        case .undefined, .string("key"): slot = 0
        case .string("value"): slot = 1
        default: throw RuntimeError("dictsort filter: You can only sort by either key or value")
        }
        let pairs: [(key: Value, pair: Value)] = ArrayLike.ownEntries(value).map { entry in
            var key = slot == 0 ? Value.string(entry.key) : entry.value
            if !caseSensitive, case .string(let s) = key { key = .string(JSStringOps.upper(s)) }
            return (key, .array(JSArray([.string(entry.key), entry.value])))
        }
        let sorted = stableSort(pairs) { x, y in
            Value.lessThan(y.key, x.key) ? 1 : (Value.strictEquals(x.key, y.key) ? 0 : -1)
        }
        return .array(JSArray(sorted.map(\.pair)))
    }

    static func groupby(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let items = try ArrayLike.indexedOrThrow(value)
        let attribute = arguments.jsPositional[argument: 0]
        let getter = ArrayLike.attributeGetter(attribute)
        let strict = context.throwOnUndefined
        let groups = JSObject()
        for item in items {
            let key = try getter(item)
            if key.isUndefined && strict {
                throw RuntimeError("TypeError: groupby: attribute \"\(attribute.jsString)\" resolved to undefined")
            }
            let name = key.propertyKey
            if case .array(let group)? = groups[name] {
                group.elements.append(item)
            } else {
                groups[name] = .array(JSArray([item]))
            }
        }
        return .object(groups)
    }

    /// `sort(reverse, case_sensitive, attribute)`; the one filter besides
    /// `int` that takes keyword arguments by name.
    static func sort(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let reversed = namedArgument(arguments, 0, "reverse").isTruthy
        let caseSensitive = namedArgument(arguments, 1, "case_sensitive").isTruthy
        let attribute = namedArgument(arguments, 2, "attribute")
        let useAttribute = attribute.isTruthy
        let items = ArrayLike.elements(value)
        if !useAttribute, let sorted = sortShortASCII(items, reversed: reversed, caseSensitive: caseSensitive) {
            return .array(JSArray(sorted))
        }
        // Keys are read once; strings compare as (possibly lower-cased) UTF-16.
        var raw = items
        if useAttribute {
            let getter = ArrayLike.attributeGetter(attribute)
            let strict = context.throwOnUndefined
            raw = try items.map { item in
                let x = try getter(item)
                if strict && x.isUndefined {
                    throw RuntimeError("TypeError: sort: attribute \"\(attribute.jsString)\" resolved to undefined")
                }
                return x
            }
        }
        // Common case: every key an ASCII string, where byte order is UTF-16
        // order and lower-casing can be folded into the comparison.
        var asciiKeys: [String] = []
        asciiKeys.reserveCapacity(raw.count)
        for x in raw {
            guard case .string(let s) = x, s.utf8.count == s.utf16.count else { asciiKeys = []; break }
            asciiKeys.append(s)
        }
        if asciiKeys.count == raw.count {
            if items.count < 2 { return .array(JSArray(items)) }
            var order = Array(items.indices)
            order.sort { i, j in
                let c = JSStringOps.compareASCII(asciiKeys[i], asciiKeys[j], foldingCase: !caseSensitive)
                if c == 0 { return i < j }
                return reversed ? c > 0 : c < 0
            }
            return .array(JSArray(order.map { items[$0] }))
        }
        let text: [[UInt16]?] = raw.map { x in
            guard case .string(let s) = x else { return nil }
            return Array((caseSensitive ? s : JSStringOps.lower(s)).utf16)
        }
        func less(_ i: Int, _ j: Int) -> Bool {
            if let a = text[i], let b = text[j] { return a.lexicographicallyPrecedes(b) }
            return Value.lessThan(raw[i], raw[j])
        }
        let order = stableSort(Array(items.indices)) { i, j in
            if less(i, j) { return reversed ? 1 : -1 }
            if less(j, i) { return reversed ? -1 : 1 }
            return 0
        }
        return .array(JSArray(order.map { items[$0] }))
    }

    /// Few plain ASCII strings (a tag list): a stable insertion sort in place,
    /// comparing bytes (UTF-16 order for ASCII). Nil for anything else.
    static func sortShortASCII(_ items: [Value], reversed: Bool, caseSensitive: Bool) -> [Value]? {
        if items.count < 2 { return items }
        guard items.count <= 16 else { return nil }
        for item in items {
            guard case .string(let s) = item, s.utf8.count == s.utf16.count else { return nil }
        }
        var sorted = items
        sorted.withUnsafeMutableBufferPointer { buffer in
            for i in 1..<buffer.count {
                var j = i
                while j > 0 {
                    guard case .string(let a) = buffer[j - 1], case .string(let b) = buffer[j] else { break }
                    let c = JSStringOps.compareASCII(a, b, foldingCase: !caseSensitive)
                    guard reversed ? c < 0 : c > 0 else { break }
                    buffer.swapAt(j - 1, j)
                    j -= 1
                }
            }
        }
        return sorted
    }

    /// Nunjucks's `makeMacro` for builtin filters: the argument in slot
    /// `index` (after the input value) if passed positionally, else the
    /// keyword argument of that name.
    @inline(__always)
    static func namedArgument(_ arguments: Arguments, _ index: Int, _ name: String) -> Value {
        if index < arguments.positional.count { return arguments.positional[index] }
        if arguments.keywords.isEmpty { return .undefined }
        return arguments.keywords.last(where: { $0.0 == name })?.1 ?? .undefined
    }
}

private extension Value {
    /// Calls a bound method found by `member` with plain positional arguments.
    func callJS(_ positional: [Value]) throws -> Value {
        guard case .function(let f) = self else { throw JSErrors.notAFunction("value") }
        return try f.call(Arguments(positional))
    }
}
