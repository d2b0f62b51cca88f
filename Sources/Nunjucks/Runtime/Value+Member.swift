/// JS property access as Nunjucks templates see it (`obj.key`, `obj[key]`):
/// own properties of objects and arrays, string indexes, and the built-in
/// JS methods and properties of each type. Nunjucks's `memberLookup` binds
/// a method to its receiver, so a found method comes back as a bound
/// `JSFunction`. Lookups on undefined and null give undefined.
extension Value {
    /// `value.name` for a name fixed in the template: objects are searched by
    /// the name's precomputed tag.
    @inline(__always)
    public func member(_ name: PropertyName) -> Value {
        if case .object(let object) = self {
            if let value = object[name] { return value }
            if let lazy = object.lazyProperties, let value = lazy.value(of: object, named: name.string) { return value }
            return ObjectMethods.member(object, name.string)
        }
        return member(.string(name.string))
    }

    public func member(_ key: Value) -> Value {
        switch self {
        case .object(let object):
            if case .string(let name) = key, let value = object[name] { return value }
            let name = key.propertyKey
            if let value = object[name] { return value }
            if let lazy = object.lazyProperties, let value = lazy.value(of: object, named: name) { return value }
            return ObjectMethods.member(object, name)
        case .array(let array):
            if case .number(let n) = key, n >= 0, n < Double(array.elements.count), n == n.rounded(.towardZero) {
                return array.elements[Int(n)]
            }
            let name = key.propertyKey
            if let index = JSObject.arrayIndex(name) {
                return Int(index) < array.elements.count ? array.elements[Int(index)] : .undefined
            }
            if name == "length" { return .number(Double(array.elements.count)) }
            return ArrayMethods.member(array, name)
        case .string(let text):
            if case .number(let n) = key {
                guard n >= 0, n == n.rounded(.towardZero), n < Double(Int.max) else { return .undefined }
                return JSStringOps.unit(text, at: Int(n)).map(Value.string) ?? .undefined
            }
            let name = key.propertyKey
            if name == "length" { return .number(Double(text.utf16.count)) }
            if let index = JSObject.arrayIndex(name) {
                return JSStringOps.unit(text, at: Int(index)).map(Value.string) ?? .undefined
            }
            return StringMethods.member(text, name)
        case .safe(let text):
            // A SafeString object: own `val` and `length`, String.prototype methods, no indexes.
            let name = key.propertyKey
            switch name {
            case "length": return .number(Double(text.utf16.count))
            case "val": return .string(text)
            default: return StringMethods.member(text, name)
            }
        case .number(let n):
            return NumberMethods.member(n, key.propertyKey)
        case .bool(let b):
            switch key.propertyKey {
            case "toString": return .function(JSFunction(name: "toString") { _ in .string(b ? "true" : "false") })
            case "valueOf": return .function(JSFunction(name: "valueOf") { _ in .bool(b) })
            default: return .undefined
            }
        case .regex(let regex):
            return RegexMethods.member(regex, key.propertyKey)
        case .function(let function):
            switch key.propertyKey {
            case "name": return .string(function.name)
            case "length": return .number(0)
            default: return .undefined
            }
        case .undefined, .null:
            return .undefined
        }
    }
}
