import Testing
@testable import Nunjucks

@Suite struct NumberFormattingTests {
    @Test(arguments: [
        (3.0, "3"), (0.1 + 0.2, "0.30000000000000004"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (-2.5, "-2.5"), (1e-7, "1e-7"), (0.000001, "0.000001"), (123456789.125, "123456789.125"),
        (Double.nan, "NaN"), (-Double.infinity, "-Infinity"), (-0.0, "0"), (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (1e15, "1000000000000000"),
    ])
    func jsNumberToString(value: Double, expected: String) {
        #expect(Value.formatNumber(value) == expected)
    }

    @Test func jsObjectOrdersIntegerKeysFirst() {
        let object = JSObject([("b", .number(1)), ("10", .number(2)), ("a", .number(3)), ("2", .number(4)), ("02", .number(5))])
        #expect(object.keys == ["2", "10", "b", "a", "02"])
    }

    @Test func looseAndStrictEquality() {
        #expect(Value.looseEquals(.number(1), .string("1")))
        #expect(!Value.strictEquals(.number(1), .string("1")))
        #expect(Value.looseEquals(.null, .undefined))
        #expect(Value.jsAdd(.string("a"), .number(1)).jsString == "a1")
    }
}
