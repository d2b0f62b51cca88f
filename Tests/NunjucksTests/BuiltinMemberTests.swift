import Testing
@testable import Nunjucks

/// `receiver.name(args)` through `Value.member`, as a template call would.
func invoke(_ receiver: Value, _ name: String, _ args: Value...) throws -> Value {
    guard case .function(let f) = receiver.member(.string(name)) else {
        throw RuntimeError("no method \(name)")
    }
    return try f.call(Arguments(args))
}

@Suite struct BuiltinMemberTests {
    @Test func objectPropertiesAndPrototype() throws {
        let o = object(("a", 1), ("1", "one"))
        #expect(o.member("a").jsString == "1")
        #expect(o.member(1).jsString == "one")
        #expect(o.member("missing").isUndefined)
        #expect(try invoke(o, "hasOwnProperty", "a").isTruthy)
        #expect(try !invoke(o, "hasOwnProperty", "b").isTruthy)
        #expect(o.member("keys").isUndefined)  // only Nunjucks's jinja-compat adds keys()
        #expect(Value.undefined.member("x").isUndefined)
        #expect(Value.null.member("x").isUndefined)
    }

    @Test func stringIndexesAndLength() throws {
        let s: Value = "abc"
        #expect(s.member(1).jsString == "b")
        #expect(s.member("1").jsString == "b")
        #expect(s.member(5).isUndefined)
        #expect(s.member("length").jsString == "3")
        #expect(Value.string("😀").member("length").jsString == "2")
    }

    @Test func safeStringIsAnObject() throws {
        let s = Value.safe("abc")
        #expect(s.member(0).isUndefined)
        #expect(s.member("length").jsString == "3")
        #expect(s.member("val").jsString == "abc")
        #expect(try !invoke(s, "toUpperCase").isSafe)
        #expect(try invoke(s, "toUpperCase").jsString == "ABC")
    }

    @Test func stringMethods() throws {
        #expect(try invoke("template", "slice", 0, 4).jsString == "temp")
        #expect(try invoke("template", "slice", -3).jsString == "ate")
        #expect(try invoke("a-b-c", "replace", "-", "+").jsString == "a+b-c")
        #expect(try invoke("a-b-c", "replaceAll", "-", "+").jsString == "a+b+c")
        #expect(try invoke("a-b-c", "replace", .regex(JSRegex(source: "-", flags: "g")), "+").jsString == "a+b+c")
        #expect(try invoke("  x ", "trim").jsString == "x")
        #expect(try invoke("a,b", "split", ",").jsString == "a,b")
        #expect(try render("length", invoke("a,b,,c", "split", ",")) == "4")
        #expect(try render("join", invoke("a1b2c", "split", .regex(JSRegex(source: "(\\d)", flags: ""))), "|") == "a|1|b|2|c")
        #expect(try render("length", invoke("abc", "split", "")) == "3")
        #expect(try invoke("hello", "includes", "ell").isTruthy)
        #expect(try invoke("hello", "indexOf", "l").jsString == "2")
        #expect(try invoke("hello", "lastIndexOf", "l").jsString == "3")
        #expect(try invoke("hello", "substring", 3, 1).jsString == "el")
        #expect(try invoke("hello", "substr", -3, 2).jsString == "ll")
        #expect(try invoke("hello", "toUpperCase").jsString == "HELLO")
        #expect(try invoke("hello", "startsWith", "he").isTruthy)
        #expect(try invoke("hello", "endsWith", "lo").isTruthy)
        #expect(try invoke("hello", "charAt", 1).jsString == "e")
        #expect(try invoke("hello", "charCodeAt", 1).jsString == "101")
        #expect(try invoke("5", "padStart", 3, "0").jsString == "005")
        #expect(try invoke("5", "padEnd", 3).jsString == "5  ")
        #expect(try invoke("ab", "repeat", 3).jsString == "ababab")
        #expect(try invoke("a", "concat", "b", 1).jsString == "ab1")
        #expect(try invoke("x1y22", "match", .regex(JSRegex(source: "\\d+", flags: "g"))).jsString == "1,22")
        #expect(try invoke("xyz", "match", .regex(JSRegex(source: "q", flags: ""))).isNullish)
        #expect(try invoke("xyz", "search", .regex(JSRegex(source: "z", flags: ""))).jsString == "2")
        #expect(try invoke("a", "localeCompare", "b").jsString == "-1")
        #expect(try invoke("é", "at", -1).jsString == "é")
    }

    @Test func regexTranslationKeepsJSMeaning() throws {
        // \d and \w are ASCII in JS; ICU's would match these digits and letters.
        #expect(try invoke("a٣b", "replace", .regex(JSRegex(source: "\\d", flags: "g")), "#").jsString == "a٣b")
        #expect(try invoke("é_x", "replace", .regex(JSRegex(source: "\\w+", flags: "g")), "#").jsString == "é#")
        // $ without m is the very end; ICU's would also match before a final newline.
        #expect(try invoke("ab\n", "replace", .regex(JSRegex(source: "b$", flags: "")), "#").jsString == "ab\n")
        #expect(try invoke("a\nb", "replace", .regex(JSRegex(source: "^b", flags: "m")), "#").jsString == "a\n#")
        #expect(try invoke("a\nb", "replace", .regex(JSRegex(source: "a.b", flags: "s")), "#").jsString == "#")
        #expect(try invoke("a{b", "replace", .regex(JSRegex(source: "a{b", flags: "")), "#").jsString == "#")
        #expect(try invoke("x[y", "replace", .regex(JSRegex(source: "[[]", flags: "")), "#").jsString == "x#y")
        #expect(try invoke("2024-01", "replace", .regex(JSRegex(source: "(?<y>\\d+)-(?<m>\\d+)", flags: "")), "$<m>/$<y>").jsString == "01/2024")
        #expect(try invoke("aaa", "replace", .regex(JSRegex(source: "a", flags: "g")), "$&$$").jsString == "a$a$a$")
    }

    @Test func arrayMethods() throws {
        let items = array(1, 2, 3)
        #expect(try invoke(items, "indexOf", 2).jsString == "1")
        #expect(try invoke(items, "slice", 1).jsString == "2,3")
        #expect(try invoke(items, "concat", array(4)).jsString == "1,2,3,4")
        #expect(try invoke(items, "includes", 3).isTruthy)
        #expect(try invoke(items, "join", "-").jsString == "1-2-3")
        #expect(items.member("length").jsString == "3")
        #expect(items.member(-1).isUndefined)
        #expect(try invoke(items, "push", 4).jsString == "4")
        #expect(items.jsString == "1,2,3,4")
        #expect(try invoke(items, "pop").jsString == "4")
        #expect(try invoke(items, "shift").jsString == "1")
        #expect(try invoke(items, "unshift", 0).jsString == "3")
        #expect(try invoke(items, "reverse").jsString == "3,2,0")
        #expect(try invoke(array(10, 9, 1, .undefined), "sort").jsString == "1,10,9,")
        #expect(try invoke(array(1, 2, 3, 4), "splice", 1, 2).jsString == "2,3")
        #expect(try invoke(array(array(1, array(2)), 3), "flat").member("length").jsString == "3")
    }

    @Test func numberMethods() throws {
        #expect(try invoke(3.14159, "toFixed", 2).jsString == "3.14")
        #expect(try invoke(2, "toFixed", 1).jsString == "2.0")
        #expect(try invoke(1.005, "toFixed", 2).jsString == "1.00")
        #expect(try invoke(2.5, "toFixed", 0).jsString == "3")
        #expect(try invoke(-2.5, "toFixed", 0).jsString == "-3")
        #expect(try invoke(255, "toString", 16).jsString == "ff")
        #expect(try invoke(0.5, "toString", 2).jsString == "0.1")
        #expect(try invoke(123.456, "toPrecision", 4).jsString == "123.5")
        #expect(try invoke(0.000123, "toPrecision", 2).jsString == "0.00012")
        #expect(try invoke(123456, "toPrecision", 2).jsString == "1.2e+5")
        #expect(try invoke(12345, "toExponential", 2).jsString == "1.23e+4")
        #expect(throws: RuntimeError.self) { try invoke(1, "toFixed", 101) }
    }

    @Test func regexProperties() throws {
        let r = Value.regex(JSRegex(source: "ab", flags: "gi"))
        #expect(r.member("flags").jsString == "gi")
        #expect(r.member("source").jsString == "ab")
        #expect(r.member("global").isTruthy)
        #expect(!Value.regex(JSRegex(source: "x", flags: "")).member("global").isTruthy)
        #expect(try invoke(r, "test", "xAB").isTruthy)
    }
}

@Suite struct BuiltinRegexBoundaryTests {
    @Test func wordBoundariesAreASCII() throws {
        #expect(try invoke("café bar", "replace", .regex(JSRegex(source: "\\b", flags: "g")), "|").jsString == "|caf|é |bar|")
        #expect(try invoke("ab", "replace", .regex(JSRegex(source: "\\B", flags: "")), "-").jsString == "a-b")
        #expect(try render("striptags", "x<bé>y") == "xy")
    }
}

@Suite struct BuiltinHostileInputTests {
    /// Arguments that would make JS run out of memory fail cleanly instead.
    @Test func hugeCountsThrowInsteadOfCrashing() throws {
        #expect(throws: RuntimeError.self) { try invoke("", "repeat", .number(1e300)) }
        #expect(throws: RuntimeError.self) { try invoke("a", "repeat", -1) }
        #expect(throws: RuntimeError.self) { try applyFilter("batch", array(1), .number(1e12), "x") }
        #expect(throws: RuntimeError.self) { try applyFilter("slice", array(1), .number(1e12)) }
        #expect(try invoke("abc", "substr", 1, .number(.infinity)).jsString == "bc")
        #expect(try invoke("abc", "slice", .number(-.infinity), .number(.nan)).jsString == "")
        #expect(try invoke(array(1, 2), "at", .number(1e300)).isUndefined)
        #expect(throws: RuntimeError.self) { try invoke(5, "toString", .number(.infinity)) }
    }

    @Test func everyFilterSurvivesEveryKindOfValue() {
        let samples: [Value] = [.undefined, .null, .bool(true), .number(-0.5), .number(.nan), "", "a b", .safe("<s>"),
                                array(1, "x", .null), object(("k", 1)), .regex(JSRegex(source: "a", flags: "g")),
                                Builtins.globals()["range"]!]
        for (name, filter) in Builtins.filters where name != "random" {
            for value in samples {
                for args in [[], [Value.number(2)], ["x", "y"], [.null, .bool(true), .number(3)]] {
                    // Either a value or a RuntimeError: never a crash.
                    _ = try? filter(value, Arguments(args), BuiltinTestContext())
                }
            }
        }
        for (_, test) in Builtins.tests {
            for value in samples { _ = try? test(value, Arguments([.number(2)]), BuiltinTestContext()) }
        }
        for value in samples {
            for key: Value in ["length", 0, "toString", "val", "split", .number(-1), .null] { _ = value.member(key) }
        }
        #expect(Builtins.filters.count == 43)
        #expect(Builtins.tests.count == 27)
    }
}
