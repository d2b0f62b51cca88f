/// Nunjucks 3.2.4's tests (`value is name(args)`), as their JS defines them.
enum BuiltinTests {
    private static func second(_ arguments: Arguments) -> Value { arguments.jsPositional[argument: 0] }

    nonisolated(unsafe) static let table: [String: TestFunction] = [
        "callable": { v, _, _ in if case .function = v { return true }; return false },
        "defined": { v, _, _ in !v.isUndefined },
        "undefined": { v, _, _ in v.isUndefined },
        "null": { v, _, _ in if case .null = v { return true }; return false },
        "none": { v, _, _ in if case .null = v { return true }; return false },
        "divisibleby": { v, a, _ in v.jsNumber.truncatingRemainder(dividingBy: second(a).jsNumber) == 0 },
        "escaped": { v, _, _ in v.isSafe },
        "equalto": { v, a, _ in Value.strictEquals(v, second(a)) },
        "eq": { v, a, _ in Value.strictEquals(v, second(a)) },
        "sameas": { v, a, _ in Value.strictEquals(v, second(a)) },
        "ne": { v, a, _ in !Value.strictEquals(v, second(a)) },
        "even": { v, _, _ in v.jsNumber.truncatingRemainder(dividingBy: 2) == 0 },
        "odd": { v, _, _ in v.jsNumber.truncatingRemainder(dividingBy: 2) == 1 },
        "truthy": { v, _, _ in v.isTruthy },
        "falsy": { v, _, _ in !v.isTruthy },
        "ge": { v, a, _ in greaterOrEqual(v, second(a)) },
        "gt": { v, a, _ in Value.lessThan(second(a), v) },
        "greaterthan": { v, a, _ in Value.lessThan(second(a), v) },
        "le": { v, a, _ in greaterOrEqual(second(a), v) },
        "lt": { v, a, _ in Value.lessThan(v, second(a)) },
        "lessthan": { v, a, _ in Value.lessThan(v, second(a)) },
        "lower": { v, _, _ in try caseUnchanged(v, method: "toLowerCase", JSStringOps.lower) },
        "upper": { v, _, _ in try caseUnchanged(v, method: "toUpperCase", JSStringOps.upper) },
        "number": { v, _, _ in if case .number = v { return true }; return false },
        "string": { v, _, _ in if case .string = v { return true }; return false },
        "iterable": { v, _, _ in
            switch v {
            case .array, .string, .safe: return true
            case .undefined, .null: throw JSErrors.readingProperty("Symbol(Symbol.iterator)", of: v)
            default: return false
            }
        },
        "mapping": { v, _, _ in
            switch v {
            case .object, .safe, .regex: return true
            default: return false
            }
        },
    ]

    /// JS `a >= b`: false whenever either side is NaN.
    static func greaterOrEqual(_ a: Value, _ b: Value) -> Bool {
        Value.lessThanOrEqual(b, a)
    }

    /// `value.toLowerCase() === value`: only a primitive string can be equal;
    /// a safe string (an object) never is.
    private static func caseUnchanged(_ v: Value, method: String, _ transform: (String) -> String) throws -> Bool {
        let s = try JSErrors.stringReceiver(v, method: method, receiverName: "value")
        guard case .string = v else { return false }
        return transform(s).utf16.elementsEqual(s.utf16)
    }
}
