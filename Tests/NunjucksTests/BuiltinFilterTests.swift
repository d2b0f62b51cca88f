import Testing
@testable import Nunjucks

/// A minimal `CallContext`: the builtin tests, no autoescape, and the
/// `throwOnUndefined` switch.
final class BuiltinTestContext: CallContext {
    let autoescape = false
    let throwOnUndefined: Bool
    init(throwOnUndefined: Bool = false) { self.throwOnUndefined = throwOnUndefined }
    func test(named name: String) -> TestFunction? { Builtins.tests[name] }
    func call(_ function: Value, _ arguments: Arguments) throws -> Value {
        guard case .function(let f) = function else { throw RuntimeError("not callable") }
        return try f.call(arguments)
    }
}

/// Applies a builtin filter as `{{ value | name(args) }}` would.
func applyFilter(_ name: String, _ value: Value, _ args: Value..., keywords: [(String, Value)] = [], strict: Bool = false) throws -> Value {
    let filter = try #require(Builtins.filters[name])
    return try filter(value, Arguments(args, keywords: keywords), BuiltinTestContext(throwOnUndefined: strict))
}

/// What `{{ value | name(args) }}` prints (before escaping).
func render(_ name: String, _ value: Value, _ args: Value...) throws -> String {
    let filter = try #require(Builtins.filters[name])
    return try filter(value, Arguments(args), BuiltinTestContext()).outputString
}

func array(_ items: Value...) -> Value { .array(JSArray(items)) }
func object(_ pairs: (String, Value)...) -> Value { .object(JSObject(pairs)) }
extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
}

let people: Value = array(
    object(("name", "Ann"), ("age", 31), ("city", "Oslo"), ("active", .bool(true))),
    object(("name", "bob"), ("age", 25), ("city", "Rome"), ("active", .bool(false))),
    object(("name", "Cid"), ("age", 40), ("city", "Oslo"), ("active", .bool(true))),
    object(("name", "dee"), ("age", 25), ("city", "Lima"), ("active", .bool(false)))
)

@Suite struct BuiltinTextFilterTests {
    @Test func capitalizeLowersTheRest() throws {
        #expect(try render("capitalize", "hello WORLD") == "Hello world")
        #expect(try render("capitalize", " lead") == " lead")
        #expect(try applyFilter("capitalize", .safe("<b>")).isSafe)
        #expect(throws: RuntimeError.self) { try applyFilter("capitalize", 5) }
    }

    @Test func centerPadsLikeLibRepeat() throws {
        #expect(try render("center", "abc", 9) == "   abc   ")
        #expect(try render("center", "abcdef", 4) == "abcdef")
        #expect(try render("center", "x") == String(repeating: " ", count: 39) + "x" + String(repeating: " ", count: 40))
        #expect(try render("center", .safe("<i>"), 5) == " <i> ")
        #expect(try applyFilter("center", .safe("<i>"), 5).isSafe)
    }

    @Test func lowerUpperUseFullCaseMappingAndDropSafety() throws {
        #expect(try render("lower", "ÉCOLE") == "école")
        #expect(try render("upper", "straße") == "STRASSE")
        #expect(try render("upper", "ǆ ﬁ") == "Ǆ FI")
        #expect(try render("lower", .undefined) == "")
        #expect(try !applyFilter("upper", .safe("<b>")).isSafe)
    }

    @Test func titleSplitsOnSpacesOnly() throws {
        #expect(try render("title", "hELLO-wORLD o'neil") == "Hello-world O'neil")
        #expect(try render("title", "école  été") == "École  Été")
        #expect(try render("title", "aB c") == "Ab C")
        #expect(try render("title", "a long ASCII title WITH many words") == "A Long Ascii Title With Many Words")
        #expect(try applyFilter("title", .safe("<b>x</b>")).isSafe)
    }

    @Test func trimKeepsSafetyAndRejectsNumbers() throws {
        #expect(try render("trim", " a  b ") == "a  b")
        #expect(try render("trim", "\u{A0} x\n") == "x")
        #expect(try applyFilter("trim", .safe("  <b>x</b> ")).isSafe)
        #expect(throws: RuntimeError("TypeError: str.replace is not a function")) { try applyFilter("trim", 5) }
    }

    @Test func truncateAtWordsOrHard() throws {
        let text: Value = "Hello world, how are you"
        #expect(try render("truncate", text, 12) == "Hello world,...")
        #expect(try render("truncate", text, 12, .bool(true)) == "Hello world,...")
        #expect(try render("truncate", text, 12, .bool(false), " [more]") == "Hello world, [more]")
        #expect(try render("truncate", "abcdefghijkl", 5) == "abcde...")
        #expect(try render("truncate", "one two three", 7, .bool(false), "") == "one two")
        #expect(try applyFilter("truncate", "Hello world foo", 8, keywords: [("end", "!")]).outputString == "Hello wo...")
        #expect(try render("truncate", .safe("<b>abc def</b>"), 8) == "<b>abc...")
        #expect(try render("truncate", .undefined) == "")
        let long = Value.string(String(repeating: "word ", count: 80))
        #expect(try render("length", applyFilter("truncate", long)) == "257")
    }

    @Test func indentIndentsBlankLines() throws {
        #expect(try render("indent", "a\nb\nc") == "a\n    b\n    c")
        #expect(try render("indent", "a\n\nb\n", 2) == "a\n  \n  b\n  ")
        #expect(try render("indent", "", 4, .bool(true)) == "")
        #expect(try render("indent", .undefined) == "")
        #expect(try render("indent", "x\ny", 1, .bool(true)) == " x\n y")
    }

    @Test func nl2brKeepsPlainPlain() throws {
        #expect(try render("nl2br", "a\nb\r\nc") == "a<br />\nb<br />\nc")
        #expect(try !applyFilter("nl2br", "a\nb").isSafe)
        #expect(try applyFilter("nl2br", .safe("x\ny")).isSafe)
        #expect(try render("nl2br", .undefined) == "")
    }

    @Test func striptagsRemovesTagsAndComments() throws {
        #expect(try render("striptags", "<p>Hello <b>world</b></p>") == "Hello world")
        #expect(try render("striptags", "x<!-- hidden -->y<br/>z") == "xyz")
        #expect(try render("striptags", "<p>x &amp; y</p>") == "x &amp; y")
        #expect(try render("striptags", " a \n\n\n\n b  c ", .bool(true)) == "a\n\nb c")
        #expect(try render("striptags", .undefined) == "")
    }

    @Test func wordcountCountsAsciiWordRuns() throws {
        #expect(try render("wordcount", "Hello world, this is nunjucks") == "5")
        #expect(try render("wordcount", "it's a well-known fact_1") == "6")
        #expect(try same(applyFilter("wordcount", "  ..  "), .null))
        #expect(try render("wordcount", "") == "")
    }

    @Test func replaceStrings() throws {
        #expect(try render("replace", "aaaa", "a", "b", 2) == "bbaa")
        #expect(try render("replace", "aaaa", "a", "b", 0) == "aaaa")
        #expect(try render("replace", "abc", "", "-") == "-a-b-c-")
        #expect(try render("replace", 1231, 1, "x") == "x23x")
        #expect(try render("replace", 1231, "3", 0) == "1201")
        #expect(try render("replace", "abc", .null, "x") == "abc")
        #expect(try render("replace", "a,b", array(","), ";") == "a,b")
        #expect(try render("replace", .undefined, "a", "b") == "")
        #expect(try applyFilter("replace", .safe("<b>x</b>"), "x", "y").isSafe)
    }

    @Test func replaceRegexes() throws {
        #expect(try render("replace", "a1b22c333", .regex(JSRegex(source: "[0-9]+", flags: "g")), "#") == "a#b#c#")
        #expect(try render("replace", "a1b2", .regex(JSRegex(source: "[0-9]", flags: "")), "#") == "a#b2")
        #expect(try render("replace", "Hello HELLO hello", .regex(JSRegex(source: "hello", flags: "gi")), "x") == "x x x")
        #expect(try render("replace", "a/b/c", .regex(JSRegex(source: "\\/", flags: "g")), "-") == "a-b-c")
        #expect(try render("replace", "john smith", .regex(JSRegex(source: "(\\w+) (\\w+)", flags: "")), "$2, $1") == "smith, john")
        #expect(throws: RuntimeError.self) { try applyFilter("replace", "a", .regex(JSRegex(source: "(", flags: "")), "b") }
    }

    @Test func urlencodeStringsPairsAndObjects() throws {
        #expect(try render("urlencode", "a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9")
        #expect(try render("urlencode", "!*'();:@&=+$,/?#[]~-_.") == "!*'()%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D~-_.")
        #expect(try render("urlencode", array(array("k", "v 1"), array("k", "v2"))) == "k=v%201&k=v2")
        #expect(try render("urlencode", object(("a", "1"), ("b", "<2>"))) == "a=1&b=%3C2%3E")
    }

    @Test func urlizeLinksWords() throws {
        #expect(try render("urlize", "go to http://example.com") == "go to <a href=\"http://example.com\">http://example.com</a>")
        #expect(try render("urlize", "visit example.net today") == "visit <a href=\"http://example.net\">example.net</a> today")
        #expect(try render("urlize", "http://example.com/a/very/long/path", 15) == "<a href=\"http://example.com/a/very/long/path\">http://example.</a>")
        #expect(try render("urlize", "(http://example.com), http://example.org.") == "<a href=\"http://example.com)\">http://example.com)</a> <a href=\"http://example.org\">http://example.org</a>")
        #expect(try render("urlize", "nothing here\nat all") == "nothing here\nat all")
        #expect(try render("urlize", "a  https://x.io/?q=1&r=2  b") == "a  <a href=\"https://x.io/?q=1&r=2\">https://x.io/?q=1&r=2</a>  b")
        #expect(try render("urlize", "mail me@example.com") == "mail <a href=\"mailto:me@example.com\">me@example.com</a>")
        #expect(try render("urlize", "www.x.org", .undefined, .bool(true)) == "<a href=\"http://www.x.org\" rel=\"nofollow\">www.x.org</a>")
        #expect(throws: RuntimeError("TypeError: str.split is not a function")) { try applyFilter("urlize", 5) }
    }
}

/// Structural equality for expectations (arrays and objects by content).
func same(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.array(let x), .array(let y)): return x.elements.count == y.elements.count && zip(x.elements, y.elements).allSatisfy(same)
    case (.object(let x), .object(let y)): return x.keys == y.keys && x.keys.allSatisfy { same(x[$0]!, y[$0]!) }
    case (.safe(let x), .safe(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
    default: return Value.strictEquals(a, b)
    }
}
