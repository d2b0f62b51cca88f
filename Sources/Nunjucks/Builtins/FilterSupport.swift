extension Array where Element == Value {
    /// The i-th argument as JS sees it: undefined when not passed.
    @inline(__always)
    subscript(argument i: Int) -> Value { i < count ? self[i] : .undefined }
}

/// How filters walk their input the way Nunjucks's JS does.
enum ArrayLike {
    /// `lib.map(value, x => x)`: an array's elements, a string's code units,
    /// `value[i]` for `i < value.length` otherwise; nothing for null/undefined.
    static func elements(_ value: Value) -> [Value] {
        switch value {
        case .array(let a): return a.elements
        case .undefined, .null: return []
        case .string(let s): return s.utf16.map { .string(JSStringOps.string(CollectionOfOne($0))) }
        default: return indexed(value)
        }
    }

    /// `for (i = 0; i < value.length; i++) value[i]`, which throws on
    /// undefined and null.
    static func indexedOrThrow(_ value: Value) throws -> [Value] {
        if value.isNullish { throw JSErrors.readingProperty("length", of: value) }
        return elements(value)
    }

    private static func indexed(_ value: Value) -> [Value] {
        let length = value.member(.string("length"))
        guard case .number(let n) = length, n > 0 else { return [] }
        let count = Int(min(n.rounded(.up), 10_000_000))
        return (0..<count).map { value.member(.number(Double($0))) }
    }

    /// Own enumerable properties in JS order (`Object.keys` / `for in`).
    static func ownEntries(_ value: Value) -> [(key: String, value: Value)] {
        switch value {
        case .object(let o): return o.entries
        case .safe(let s): return [("val", .string(s)), ("length", .number(Double(s.utf16.count)))]
        case .array(let a): return a.elements.enumerated().map { (String($0.offset), $0.element) }
        case .string(let s): return elements(.string(s)).enumerated().map { (String($0.offset), $0.element) }
        default: return []
        }
    }

    /// `Object.prototype.hasOwnProperty.call(value, key)`.
    static func hasOwn(_ value: Value, _ key: String) throws -> Bool {
        switch value {
        case .undefined, .null: throw RuntimeError("TypeError: Cannot convert undefined or null to object")
        case .object(let o): return o[key] != nil
        case .array(let a):
            if key == "length" { return true }
            return JSObject.arrayIndex(key).map { Int($0) < a.elements.count } ?? false
        case .string(let s):
            if key == "length" { return true }
            return JSObject.arrayIndex(key).map { Int($0) < s.utf16.count } ?? false
        case .safe: return key == "val" || key == "length"
        case .function: return key == "name" || key == "length"
        default: return false
        }
    }

    /// Nunjucks's `lib.getAttrGetter`: follows a dotted path of own
    /// properties; undefined as soon as one is missing.
    static func attributeGetter(_ attribute: Value) -> (Value) throws -> Value {
        let parts: [String]
        if !attribute.isTruthy {
            parts = []
        } else if case .string(let s) = attribute {
            parts = JSStringOps.split(s, separator: ".")
        } else {
            parts = [attribute.propertyKey]
        }
        return { item in
            var current = item
            for part in parts {
                guard try hasOwn(current, part) else { return .undefined }
                current = current.member(.string(part))
            }
            return current
        }
    }

    /// `item[attribute]`, which throws when the item is undefined or null.
    static func property(_ item: Value, _ attribute: Value) throws -> Value {
        if item.isNullish { throw JSErrors.readingProperty(attribute.propertyKey, of: item) }
        return item.member(attribute)
    }
}

/// `lib.repeat(' ', n)`: a loop `for (i = 0; i < n; i++)`.
func jsRepeatSpaces(_ n: Double) -> String {
    guard n > 0 else { return "" }
    return String(repeating: " ", count: Int(min(n.rounded(.up), 100_000_000)))
}
