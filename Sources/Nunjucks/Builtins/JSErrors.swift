/// The TypeErrors JavaScript raises where a filter touches a value of the
/// wrong type; Nunjucks lets them escape, so a template fails the same way.
enum JSErrors {
    /// `undefined.x` / `null.x`.
    static func readingProperty(_ property: String, of value: Value) -> RuntimeError {
        let what = value.isNullish ? value.jsString : "undefined"
        return RuntimeError("TypeError: Cannot read properties of \(what) (reading '\(property)')")
    }

    /// `receiver.method(...)` where the receiver has no such method.
    static func notAFunction(_ expression: String) -> RuntimeError {
        RuntimeError("TypeError: \(expression) is not a function")
    }

    /// The text of a string receiver, or the TypeError JS throws when
    /// `receiverName.method` is called on something else.
    static func stringReceiver(_ value: Value, method: String, receiverName: String = "str") throws -> String {
        switch value {
        case .string(let s), .safe(let s): return s
        case .undefined, .null: throw readingProperty(method, of: value)
        default: throw notAFunction("\(receiverName).\(method)")
        }
    }
}

extension Value {
    /// Nunjucks's `normalize(value, '')`: undefined, null and false become "".
    var normalizedToEmpty: Value {
        switch self {
        case .undefined, .null, .bool(false): return .string("")
        default: return self
        }
    }

    /// JS `ToPropertyKey`: the string a value names as an object key.
    var propertyKey: String {
        switch self {
        case .string(let s), .safe(let s): return s
        default: return jsString
        }
    }

    /// Nunjucks's `copySafeness(source, result)`: the result is safe when the
    /// source was.
    static func copySafeness(from source: Value, _ result: String) -> Value {
        source.isSafe ? .safe(result) : .string(result)
    }
}
