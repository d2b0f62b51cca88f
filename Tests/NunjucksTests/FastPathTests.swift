import Testing
@testable import Nunjucks

/// The engine's fast paths (tagged object lookup, interned filter tables,
/// slot-backed frames, the output buffer) must behave exactly like the
/// general paths they shortcut.
@Suite struct JSObjectStorageTests {
    @Test func keepsJSOrderAcrossInsertAndRemove() {
        let object = JSObject()
        object["b"] = 1
        object["10"] = 2
        object["a"] = 3
        object["2"] = 4
        #expect(object.keys == ["2", "10", "b", "a"])
        object["10"] = nil
        #expect(object.keys == ["2", "b", "a"])
        #expect(object["10"] == nil)
        #expect(object["a"].map { Value.strictEquals($0, 3) } == true)
        object["b"] = "x"
        #expect(object.count == 3)
        #expect(object.entries.map(\.key) == ["2", "b", "a"])
    }

    @Test func taggedNameLookupMatchesStringLookup() {
        let object = JSObject([("title", "T"), ("summary", "S")])
        #expect(object[PropertyName("title")]?.jsString == "T")
        #expect(object[PropertyName("summary")]?.jsString == "S")
        #expect(object[PropertyName("missing")] == nil)
        #expect(Value.object(object).member(PropertyName("summary")).jsString == "S")
        // A missing own property still finds Object.prototype methods.
        if case .function = Value.object(object).member(PropertyName("hasOwnProperty")) {} else {
            Issue.record("hasOwnProperty should be a bound method")
        }
    }

    @Test func largeObjectsStayCorrectPastTheIndexThreshold() {
        let object = JSObject()
        let count = JSObject.indexThreshold * 3
        for i in 0..<count { object["key\(i)"] = .number(Double(i)) }
        for i in stride(from: 0, to: count, by: 7) {
            #expect(object[PropertyName("key\(i)")].map { Value.strictEquals($0, .number(Double(i))) } == true)
        }
        object["key5"] = nil
        #expect(object["key5"] == nil)
        #expect(object["key6"].map { Value.strictEquals($0, 6) } == true)
        object["0"] = "first"
        #expect(object.keys.first == "0")
        #expect(object["key40"].map { Value.strictEquals($0, 40) } == true)
        #expect(object.count == count)
        #expect(object.storage.count == count)
    }
}

@Suite struct FastPathRenderingTests {
    @Test func customFilterOverridesBuiltinForCompiledTemplates() throws {
        let environment = Environment(loader: DictionaryLoader(["main.njk": "{{ 'abc' | upper }}|{{ 2 is odd }}"]))
        #expect(try environment.render(name: "main.njk", context: JSObject()).output == "ABC|false")
        environment.addFilter("upper") { value, _, _ in .string("<" + value.jsString + ">") }
        environment.addTest("odd") { _, _, _ in true }
        // Same compiled template, new registry: the call sites see the overrides.
        #expect(try environment.render(name: "main.njk", context: JSObject()).output == "&lt;abc&gt;|true")
    }

    @Test func unknownFilterStillNamesTheTag() {
        let error = renderError("{{ 1 | nosuchfilter }}")
        #expect(error?.message.contains("unknown filter \"nosuchfilter\"") == true)
        #expect(error?.line == 1)
    }

    @Test func loopAndMacroVariablesAreVisibleByNameToIncludes() throws {
        let templates = [
            "main.njk": "{% macro m(x, y) %}{% include 'show.njk' %}{% endmacro %}{% for v in [1, 2] %}{{ m(v, 'y' + v) }}{% endfor %}",
            "show.njk": "[{{ x }}:{{ y }}:{{ v }}]",
        ]
        #expect(try render(templates) == "[1:y1:][2:y2:]")
        let loopInclude = ["main.njk": "{% for v in ['a', 'b'] %}{% include 'show.njk' %}{% endfor %}", "show.njk": "{{ v }}{{ loop.index }}"]
        #expect(try render(loopInclude) == "a1b2")
    }

    @Test func macroArgumentsByPositionKeywordAndExtra() throws {
        let source = "{% macro m(a, b, c=3) %}{{ a }}-{{ b }}-{{ c }}{% endmacro %}"
        #expect(try render(source + "{{ m(1) }}") == "1--3")
        #expect(try render(source + "{{ m(1, c=5, b=2) }}") == "1-2-5")
        #expect(try render(source + "{{ m(1, 2, 9) }}") == "1-2-9")
        #expect(try render(source + "{{ m(b=7) }}") == "-7-3")
    }

    @Test func shortMacroCallsInOutputPosition() throws {
        let source = "{% macro one(a) %}<{{ a }}>{% endmacro %}{% macro two(a, b) %}<{{ a }},{{ b }}>{% endmacro %}"
        #expect(try render(source + "{{ one(1) }}{{ two(1) }}{{ two(1, 2) }}") == "<1><1,><1,2>")
        // More arguments than parameters: the extra one is dropped, as in Nunjucks.
        #expect(try render(source + "{{ one(1, 2) }}") == "<1>")
        // Not a macro: the value is called and written.
        #expect(try render("{{ range(3) | join }}{{ cycler('a', 'b').next() }}") == "012a")
        // Errors inside the macro keep their position and name the call site.
        let error = renderError("{% macro bad(x) %}{{ nope(x) }}{% endmacro %}\n{{ bad(1) }}")
        #expect(error?.message.contains("Unable to call `nope`") == true)
        #expect(error?.line == 1)
        #expect(error.map { String(describing: $0) }?.contains("main.njk:2:") == true)
    }

    @Test func setInsideLoopUpdatesTheSlotAndTheFrame() throws {
        #expect(try render("{% for x in [1, 2] %}{% set x = x * 10 %}{{ x }},{% endfor %}") == "10,20,")
        #expect(try render("{% set t = 0 %}{% for p in [1, 2, 3] %}{% set t = t + p %}{% endfor %}{{ t }}") == "6")
    }

    @Test func capturedOutputDoesNotLeakIntoThePage() throws {
        let source = "a{% set c %}inner{{ 1 + 1 }}{% endset %}b{{ c | upper }}c"
        #expect(try render(source) == "abINNER2c")
        let macro = "{% macro m() %}x{{ caller() }}y{% endmacro %}1{% call m() %}body{% endcall %}2"
        #expect(try render(macro) == "1xbodyy2")
    }

    @Test func outputCallbackSeesTheSameBytesAsTheString() throws {
        let environment = Environment(loader: DictionaryLoader(["main.njk": "{% for i in range(3000) %}<b>{{ i }}&é</b>{% endfor %}"]))
        let text = try environment.render(name: "main.njk", context: JSObject()).output
        var bytes: [UInt8] = []
        let loaded = try environment.render(name: "main.njk", context: JSObject()) { bytes.append(contentsOf: $0) }
        #expect(loaded == ["main.njk"])
        #expect(bytes == Array(text.utf8))
        #expect(text.hasSuffix("<b>2999&é</b>"))
    }

    @Test func testsAndSingleComparisons() throws {
        #expect(try render("{{ 3 is odd }}|{{ 2 is odd }}|{{ 'odd' if 5 is odd else 'even' }}") == "true|false|odd")
        #expect(try render("{{ 1 < 2 }}|{{ 2 == '2' }}|{{ 2 === '2' }}|{{ 1 < 2 < 3 }}|{{ 3 > 2 > 1 }}") == "true|true|false|true|false")
        #expect(try render("{% if n is divisibleby(3) %}fizz{% endif %}", context: #"{"n": 9}"#) == "fizz")
    }

    @Test func escapingReplacesEveryHTMLSpecialByte() throws {
        #expect(try render("{{ s }}", context: #"{"s": "a<b>&\"c'd\\e"}"#) == "a&lt;b&gt;&amp;&quot;c&#39;d&#92;e")
    }
}

@Suite struct FastFilterTests {
    @Test func shortStringSortIsStableAndFoldsCase() throws {
        #expect(try render("join", applyFilter("sort", array("b", "B", "a", "A")), ",") == "a,A,b,B")
        #expect(try render("join", applyFilter("sort", array("b", "B", "a", "A"), .bool(true)), ",") == "b,B,a,A")
        #expect(try render("join", applyFilter("sort", array("b", "B", "a", "A"), .bool(false), .bool(true)), ",") == "A,B,a,b")
        #expect(try render("join", applyFilter("sort", array("x")), ",") == "x")
        #expect(try render("join", applyFilter("sort", array("é", "e", "z")), ",") == "e,z,é")
    }

    @Test func sortReturnsANewArray() throws {
        let input = JSArray(["b", "a"])
        let sorted = try applyFilter("sort", .array(input))
        #expect(input.elements.map(\.jsString) == ["b", "a"])
        guard case .array(let out) = sorted else { Issue.record("sort returned \(sorted)"); return }
        #expect(out !== input)
    }

    @Test func truncateCutsAtWordsForASCIIAndOtherText() throws {
        #expect(try render("truncate", "alpha beta gamma", 12) == "alpha beta...")
        #expect(try render("truncate", "alpha beta gamma", 12, .bool(true)) == "alpha beta g...")
        #expect(try render("truncate", "alpha beta gamma", 12, .bool(false), " [more]") == "alpha beta [more]")
        #expect(try render("truncate", "ünïcödé wörds hére", 12) == "ünïcödé...")
        #expect(try render("truncate", "ünïcödé wörds hére", 14) == "ünïcödé wörds...")
        #expect(try render("truncate", "short", 12) == "short")
        #expect(try render("truncate", "nospaceatall", 4) == "nosp...")
    }
}

@Suite struct PropertyTableTests {
    @Test func setGetRemoveAndValueSemantics() {
        var table = PropertyTable()
        table["a"] = 1
        table[PropertyName("b")] = "two"
        var copy = table
        copy["a"] = 9
        #expect(table["a"].map { Value.strictEquals($0, 1) } == true)
        #expect(copy["a"].map { Value.strictEquals($0, 9) } == true)
        #expect(table[PropertyName("b")]?.jsString == "two")
        table["a"] = nil
        #expect(table["a"] == nil)
        #expect(table.keys == ["b"])
        table.removeAll()
        #expect(table.count == 0)
    }

    @Test func manyNamesUseTheIndexAndStayFindable() {
        var table = PropertyTable()
        for i in 0..<100 { table["v\(i)"] = .number(Double(i)) }
        table["v50"] = nil
        #expect(table["v50"] == nil)
        #expect(table["v99"].map { Value.strictEquals($0, 99) } == true)
        #expect(table[PropertyName("v51")].map { Value.strictEquals($0, 51) } == true)
        #expect(table.count == 99)
    }

    @Test func contextVariablesAndGlobalsResolveThroughTheTable() throws {
        #expect(try render("{{ a }}{{ b }}{% set a = 3 %}{{ a }}{{ range(2) | join }}", context: #"{"a": 1, "b": 2}"#) == "12301")
    }
}

@Suite struct FramePoolTests {
    @Test func reusedFramesStartEmpty() throws {
        // The second loop must not see the first loop's bindings or `loop`.
        let source = "{% for a in [1] %}{% set inner = 'x' %}{% endfor %}{% for b in [2] %}[{{ a }}{{ inner }}{{ b }}{{ loop.index }}]{% endfor %}[{{ loop.index }}]"
        #expect(try render(source) == "[21][]")
    }

    @Test func framesHeldByCallBodiesAreNotReused() throws {
        let source = """
        {% macro twice() %}{{ caller() }}{{ caller() }}{% endmacro %}\
        {% for x in ['a', 'b'] %}{% call twice() %}{% for y in [1, 2] %}{{ x }}{{ y }}{% endfor %}{% endcall %};{% endfor %}
        """
        #expect(try render(source) == "a1a2a1a2;b1b2b1b2;")
    }

    @Test func recursiveMacrosKeepTheirOwnFrames() throws {
        let source = "{% macro down(n) %}{{ n }}{% if n > 0 %}({{ down(n - 1) }}){% endif %}{{ n }}{% endmacro %}{{ down(3) }}"
        #expect(try render(source) == "3(2(1(0 0)1)2)3".replacingOccurrences(of: " ", with: ""))
    }

    @Test func includesInsideLoopsSeeTheCurrentIteration() throws {
        let templates = [
            "main.njk": "{% for r in [1, 2] %}{% for c in ['a', 'b'] %}{% include 'cell.njk' %}{% endfor %}|{% endfor %}",
            "cell.njk": "{{ r }}{{ c }}{{ loop.index }} ",
        ]
        #expect(try render(templates) == "1a1 1b2 |2a1 2b2 |")
    }
}
