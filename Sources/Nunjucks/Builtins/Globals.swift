/// Nunjucks's global functions `range`, `cycler` and `joiner`.
enum BuiltinGlobals {
    static func make() -> [String: Value] {
        [
            "range": .function(JSFunction(name: "range") { arguments in try range(arguments.jsPositional) }),
            "cycler": .function(JSFunction(name: "cycler") { arguments in cycler(arguments.jsPositional) }),
            "joiner": .function(JSFunction(name: "joiner") { arguments in joiner(arguments.jsPositional[argument: 0]) }),
        ]
    }

    /// The most elements `range` builds before giving up (JS would run out of memory).
    static let rangeLimit = 10_000_000

    static func range(_ a: [Value]) throws -> Value {
        var start = a[argument: 0].jsNumber, stop = a[argument: 1].jsNumber, step = a[argument: 2].jsNumber
        if a[argument: 1].isUndefined {
            stop = start
            start = 0
            step = 1
        } else if !a[argument: 2].isTruthy {
            step = 1
        }
        var out: [Value] = []
        var i = start
        if step > 0 {
            while i < stop {
                out.append(.number(i))
                i += step
                if out.count > rangeLimit { throw RuntimeError("range: more than \(rangeLimit) elements") }
            }
        } else {
            while i > stop {
                out.append(.number(i))
                i += step
                if out.count > rangeLimit { throw RuntimeError("range: more than \(rangeLimit) elements") }
            }
        }
        return .array(JSArray(out))
    }

    /// An object with `current` (null until the first `next()`), `next()`
    /// and `reset()`, cycling through the items.
    static func cycler(_ items: [Value]) -> Value {
        final class Position: @unchecked Sendable { var index = -1 }
        let position = Position()
        let object = JSObject([("current", .null)])
        object["next"] = .function(JSFunction(name: "next") { [weak object] _ in
            position.index += 1
            if position.index >= items.count { position.index = 0 }
            let current = items[argument: position.index]
            object?["current"] = current
            return current
        })
        object["reset"] = .function(JSFunction(name: "reset") { [weak object] _ in
            position.index = -1
            object?["current"] = .null
            return .undefined
        })
        return .object(object)
    }

    /// A function returning "" the first time and the separator (default ",") after.
    static func joiner(_ separator: Value) -> Value {
        final class State: @unchecked Sendable { var first = true }
        let state = State()
        let sep = separator.isTruthy ? separator : .string(",")
        return .function(JSFunction(name: "joiner") { _ in
            defer { state.first = false }
            return state.first ? .string("") : sep
        })
    }
}
