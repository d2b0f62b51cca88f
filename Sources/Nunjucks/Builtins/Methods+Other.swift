/// `Object.prototype`, `Number.prototype` and `RegExp` members reachable
/// from templates.
enum ObjectMethods {
    static func member(_ object: JSObject, _ name: String) -> Value {
        switch name {
        case "hasOwnProperty", "propertyIsEnumerable":
            return .function(JSFunction(name: name) { arguments in
                let key = arguments.jsPositional.first ?? .undefined
                return .bool(object[key.propertyKey] != nil)
            })
        case "toString", "toLocaleString":
            return .function(JSFunction(name: name) { _ in .string("[object Object]") })
        case "valueOf":
            return .function(JSFunction(name: name) { _ in .object(object) })
        case "isPrototypeOf":
            return .function(JSFunction(name: name) { _ in .bool(false) })
        default:
            return .undefined
        }
    }
}

enum NumberMethods {
    static func member(_ n: Double, _ name: String) -> Value {
        switch name {
        case "toFixed", "toPrecision", "toString", "toExponential", "valueOf", "toLocaleString":
            return .function(JSFunction(name: name) { arguments in
                try call(name, on: n, arguments.jsPositional.first ?? .undefined)
            })
        default:
            return .undefined
        }
    }

    static func call(_ name: String, on n: Double, _ argument: Value) throws -> Value {
        switch name {
        case "toFixed":
            return .string(try JSNumberOps.toFixed(n, digits: Int(clamping: Int64(StringMethods.integer(argument).clamped(-1, 101)))))
        case "toPrecision":
            if argument.isUndefined { return .string(Value.formatNumber(n)) }
            return .string(try JSNumberOps.toPrecision(n, precision: Int(StringMethods.integer(argument).clamped(0, 101))))
        case "toExponential":
            guard n.isFinite else { return .string(Value.formatNumber(n)) }
            if argument.isUndefined {
                // The shortest digits that read back as the same number.
                for digits in 0...16 {
                    let text = String(format: "%.\(digits)e", n)
                    if Double(text) == n { return .string(exponentText(text, trimZeros: false)) }
                }
                return .string(exponentText(String(format: "%.16e", n), trimZeros: false))
            }
            let d = Int(StringMethods.integer(argument).clamped(-1, 101))
            guard (0...100).contains(d) else { throw RuntimeError("RangeError: toExponential() argument must be between 0 and 100") }
            return .string(exponentText(String(format: "%.\(d)e", n), trimZeros: false))
        case "toString":
            let radix = argument.isUndefined ? 10 : Int(StringMethods.integer(argument).clamped(0, 37))
            return .string(try JSNumberOps.toString(n, radix: radix))
        case "toLocaleString":
            return .string(Value.formatNumber(n))
        default:
            return .number(n)
        }
    }

    /// C's `1.5e+02` as JS's `1.5e+2`.
    private static func exponentText(_ c: String, trimZeros: Bool) -> String {
        let parts = c.split(separator: "e")
        let mantissa = String(parts[0])
        let exponent = Int(parts[1])!
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
    }
}

enum RegexMethods {
    static func member(_ regex: JSRegex, _ name: String) -> Value {
        switch name {
        case "source": return .string(regex.source)
        case "flags": return .string(String(regex.flags.sorted()))
        case "global": return .bool(regex.flags.contains("g"))
        case "ignoreCase": return .bool(regex.flags.contains("i"))
        case "multiline": return .bool(regex.flags.contains("m"))
        case "dotAll": return .bool(regex.flags.contains("s"))
        case "sticky": return .bool(regex.flags.contains("y"))
        case "unicode": return .bool(regex.flags.contains("u"))
        case "hasIndices": return .bool(regex.flags.contains("d"))
        case "lastIndex": return .number(0)
        case "test", "exec", "toString":
            return .function(JSFunction(name: name) { arguments in
                let text = (arguments.jsPositional.first ?? .undefined).jsString
                switch name {
                case "test": return .bool(try JSRegexRunner(regex, on: text).match(from: 0) != nil)
                case "exec":
                    let runner = try JSRegexRunner(regex, on: text)
                    return runner.execArray(runner.match(from: 0))
                default: return .string("/\(regex.source)/\(regex.flags)")
                }
            })
        default:
            return .undefined
        }
    }
}

extension Double {
    func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}
