/// Nunjucks 3.2.4's tests (`value is name(args)`), as their JS defines them.
enum BuiltinTests {
    private static func second(_ arguments: Arguments) -> Value { arguments.jsPositional[argument: 0] }

    nonisolated(unsafe) static let table: [(String, TestBox)] = [
        ("callable", TestBox { v, _, _ in if case .function = v { return true }; return false }),
        ("defined", TestBox { v, _, _ in !v.isUndefined }),
        ("undefined", TestBox { v, _, _ in v.isUndefined }),
        ("null", TestBox { v, _, _ in if case .null = v { return true }; return false }),
        ("none", TestBox { v, _, _ in if case .null = v { return true }; return false }),
        ("divisibleby", TestBox { v, a, _ in v.jsNumber.truncatingRemainder(dividingBy: second(a).jsNumber) == 0 }),
        ("escaped", TestBox { v, _, _ in v.isSafe }),
        ("equalto", TestBox { v, a, _ in Value.strictEquals(v, second(a)) }),
        ("eq", TestBox { v, a, _ in Value.strictEquals(v, second(a)) }),
        ("sameas", TestBox { v, a, _ in Value.strictEquals(v, second(a)) }),
        ("ne", TestBox { v, a, _ in !Value.strictEquals(v, second(a)) }),
        ("even", TestBox { v, _, _ in v.jsNumber.truncatingRemainder(dividingBy: 2) == 0 }),
        ("odd", TestBox { v, _, _ in v.jsNumber.truncatingRemainder(dividingBy: 2) == 1 }),
        ("truthy", TestBox { v, _, _ in v.isTruthy }),
        ("falsy", TestBox { v, _, _ in !v.isTruthy }),
        ("ge", TestBox { v, a, _ in greaterOrEqual(v, second(a)) }),
        ("gt", TestBox { v, a, _ in Value.lessThan(second(a), v) }),
        ("greaterthan", TestBox { v, a, _ in Value.lessThan(second(a), v) }),
        ("le", TestBox { v, a, _ in greaterOrEqual(second(a), v) }),
        ("lt", TestBox { v, a, _ in Value.lessThan(v, second(a)) }),
        ("lessthan", TestBox { v, a, _ in Value.lessThan(v, second(a)) }),
        ("lower", TestBox { v, _, _ in try caseUnchanged(v, method: "toLowerCase", JSStringOps.lower) }),
        ("upper", TestBox { v, _, _ in try caseUnchanged(v, method: "toUpperCase", JSStringOps.upper) }),
        ("number", TestBox { v, _, _ in if case .number = v { return true }; return false }),
        ("string", TestBox { v, _, _ in if case .string = v { return true }; return false }),
        ("iterable", TestBox { v, _, _ in
            switch v {
            case .array, .string, .safe: return true
            case .undefined, .null: throw JSErrors.readingProperty("Symbol(Symbol.iterator)", of: v)
            default: return false
            }
        }),
        ("mapping", TestBox { v, _, _ in
            switch v {
            case .object, .safe, .regex: return true
            default: return false
            }
        }),
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
