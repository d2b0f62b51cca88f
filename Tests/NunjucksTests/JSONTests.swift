import Testing
@testable import Nunjucks

@Suite struct JSONTests {
    @Test func parseKeepsJSKeyOrderAndTypes() throws {
        guard case .object(let o) = try JSON.parse(#"{"b": 1, "10": [true, null, "x\u00e9\n"], "2": {}, "a": -1.5e2}"#) else {
            Issue.record("expected an object")
            return
        }
        #expect(o.keys == ["2", "10", "b", "a"])
        #expect(o["a"]?.jsNumber == -150)
        guard case .array(let a)? = o["10"] else { Issue.record("expected an array"); return }
        #expect(a.elements.count == 3)
        #expect(a.elements[2].stringValue == "xé\n")
    }

    @Test func surrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83d\ude00""#).stringValue == "😀")
    }

    @Test func errorsCarryLineAndColumn() {
        #expect(throws: JSON.ParseError(message: "expected ',' or '}' in an object", line: 2, column: 3)) {
            _ = try JSON.parse("{\"a\": 1\n  \"b\": 2}")
        }
        #expect(throws: JSON.ParseError.self) { _ = try JSON.parse("[1, 2,]") }
        #expect(throws: JSON.ParseError.self) { _ = try JSON.parse(String(repeating: "[", count: 100_000)) }
    }

    @Test func stringifyFollowsJavaScript() throws {
        let object = JSObject([("a", .undefined), ("b", .array(JSArray([.undefined, .number(1.5)]))), ("c", .string("q\"<"))])
        #expect(try JSON.stringify(.object(object), indent: nil) == #"{"b":[null,1.5],"c":"q\"<"}"#)
        #expect(try JSON.stringify(.undefined, indent: nil) == nil)
        #expect(try JSON.stringify(.array(JSArray([.number(1)])), indent: "  ") == "[\n  1\n]")
        #expect(try JSON.stringify(.safe("ab"), indent: nil) == #"{"val":"ab","length":2}"#, "a SafeString is an object in Nunjucks")
        let cycle = JSArray()
        cycle.elements.append(.array(cycle))
        #expect(throws: RuntimeError.self) { _ = try JSON.stringify(.array(cycle), indent: nil) }
    }
}
