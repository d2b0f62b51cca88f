import Foundation

/// Filters on single values: numbers, defaults, escaping and conversion.
enum ValueFilters {
    static func abs(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        .number(Swift.abs(value.jsNumber))
    }

    static func `default`(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let a = arguments.jsPositional
        if a[argument: 1].isTruthy { return value.isTruthy ? value : a[argument: 0] }
        return value.isUndefined ? a[argument: 0] : value
    }

    static func round(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let a = arguments.jsPositional
        let precision = a[argument: 0].isTruthy ? a[argument: 0].jsNumber : 0
        let factor = pow10(precision)
        let x = value.jsNumber * factor
        let rounded: Double
        switch a[argument: 1] {
        case .string("ceil"): rounded = x.rounded(.up)
        case .string("floor"): rounded = x.rounded(.down)
        default: rounded = JSNumberOps.round(x)
        }
        return .number(rounded / factor)
    }

    /// `Math.pow(10, p)`, exact for integer powers.
    private static func pow10(_ p: Double) -> Double {
        if p == 0 { return 1 }
        if p == p.rounded(), Swift.abs(p) <= 22 {
            var r = 1.0
            for _ in 0..<Int(Swift.abs(p)) { r *= 10 }
            return p < 0 ? 1 / r : r
        }
        return Foundation.pow(10, p)
    }

    static func int(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let fallback = CollectionFilters.namedArgument(arguments, 0, "default")
        let baseArgument = CollectionFilters.namedArgument(arguments, 1, "base")
        let base = baseArgument.isUndefined ? Value.number(10) : baseArgument
        let result = JSNumberOps.parseInt(value.jsString, radix: base)
        return result.isNaN ? fallback : .number(result)
    }

    static func float(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let result = JSNumberOps.parseFloat(value.jsString)
        return result.isNaN ? arguments.jsPositional[argument: 0] : .number(result)
    }

    static func escape(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if value.isSafe { return value }
        return .safe(escapeHTML(value.outputString))
    }

    static func forceescape(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        .safe(escapeHTML(value.outputString))
    }

    static func safe(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if value.isSafe { return value }
        return .safe(value.outputString)
    }

    static func string(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        switch value {
        case .safe, .string: return value
        case .undefined, .null: throw JSErrors.readingProperty("toString", of: value)
        default: return .string(value.jsString)
        }
    }

    static func dump(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let spaces = arguments.jsPositional[argument: 0]
        let indent: String
        switch spaces {
        case .number(let n): indent = String(repeating: " ", count: Int(Swift.max(0, Swift.min(10, n.rounded(.towardZero)))))
        case .string(let s): indent = String(s.prefix(10))
        default: indent = ""
        }
        return try JSON.stringify(value, indent: indent).map(Value.string) ?? .undefined
    }
}

