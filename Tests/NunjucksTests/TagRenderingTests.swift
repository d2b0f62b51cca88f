import Testing
@testable import Nunjucks

@Suite struct TagRenderingTests {
    @Test func ifElifElse() throws {
        let source = "{% for n in [1, 2, 3] %}{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %} {% endfor %}"
        #expect(try render(source) == "one two many ")
    }

    @Test func forLoopVariablesAndElse() throws {
        #expect(try render("{% for x in [7, 8] %}{{ loop.index }}/{{ loop.revindex0 }}{{ ',' if not loop.last }}{% endfor %}") == "1/1,2/0")
        #expect(try render("{% for x in [] %}x{% else %}empty{% endfor %}") == "empty")
        #expect(try render("{% for k, v in {b: 1, a: 2} %}{{ k }}={{ v }};{% endfor %}") == "b=1;a=2;")
        #expect(try render("{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }} {% endfor %}") == "3 7 ")
    }

    @Test func setScopingFollowsNunjucks() throws {
        #expect(try render("{% set t = 0 %}{% for n in [1, 2] %}{% set t = t + n %}{% endfor %}{{ t }}") == "3")
        #expect(try render("{% for x in [1] %}{% set y = 5 %}{% endfor %}[{{ y }}]") == "[]")
        #expect(try render("{% set a, b = 1 %}{{ a }}{{ b }}") == "11")
        #expect(try render("{% set s %}<b>{{ 1 }}</b>{% endset %}{{ s }}") == "&lt;b&gt;1&lt;/b&gt;")
    }

    @Test func macrosWithDefaultsKeywordsAndCaller() throws {
        let source = """
        {% macro f(a, b=2, c=3) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ f(1, c=9) }}|\
        {% macro w(cls="x") %}<i class="{{ cls }}">{{ caller() }}</i>{% endmacro %}{% call w(cls="y") %}body{% endcall %}
        """
        #expect(try render(source) == "129|<i class=\"y\">body</i>")
        #expect(try render("{% macro m(x) %}{{ x }}{% endmacro %}{{ m(\"<b>\") }}") == "&lt;b&gt;")
        #expect(try render("{% macro e(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(v) e([1, 2]) %}<{{ v }}>{% endcall %}") == "<1><2>")
    }

    @Test func includeImportAndFrom() throws {
        let templates = [
            "main.njk": "{% import \"m.njk\" as m %}{% from \"m.njk\" import hi as hello %}{{ m.hi(\"a\") }}{{ hello(\"b\") }}[{% include \"p.njk\" %}]",
            "m.njk": "{% macro hi(n) %}hi {{ n }};{% endmacro %}",
            "p.njk": "{{ who }}",
        ]
        #expect(try render(templates, context: #"{"who": "me"}"#) == "hi a;hi b;[me]")
        #expect(try render(["main.njk": "a{% include \"none.njk\" ignore missing %}b"]) == "ab")
    }

    @Test func extendsBlocksAndSuper() throws {
        let templates = [
            "main.njk": "{% extends \"mid.njk\" %}{% block a %}[{{ super() }}]{% endblock %}",
            "mid.njk": "{% extends \"root.njk\" %}{% block a %}mid{{ super() }}{% endblock %}",
            "root.njk": "<{% block a %}root{% endblock %}|{% block b %}B{% endblock %}>",
        ]
        #expect(try render(templates) == "<[midroot]|B>")
        #expect(try render(["main.njk": "{% extends name %}{% block x %}!{% endblock %}", "l.njk": "({% block x %}{% endblock %})"],
                           context: #"{"name": "l.njk"}"#) == "(!)")
    }

    @Test func rawVerbatimSwitchFilterBlockAndComments() throws {
        #expect(try render("{% raw %}{{ x }}{% endraw %}") == "{{ x }}")
        #expect(try render("{% verbatim %}{% if %}{% endverbatim %}") == "{% if %}")
        #expect(try render("{% switch 2 %}{% case 1 %}one{% case 2 %}two{% default %}d{% endswitch %}") == "two")
        #expect(try render("{% switch 1 %}{% case 1 %}{% case 2 %}both{% endswitch %}") == "both")
        #expect(try render("{% filter upper %}ab{% endfilter %}") == "AB")
        #expect(try render("a{# note {{ x }} #}b") == "ab")
    }

    @Test func whitespaceControlAndOptions() throws {
        #expect(try render("a  {%- if true -%}  b  {%- endif -%}  c") == "abc")
        #expect(try render("{{ 'x' -}}   \n y") == "xy")
        #expect(try render("{% if true %}\nyes\n{% endif %}\n", options: .init(trimBlocks: true)) == "yes\n")
        #expect(try render("  {% if true %}x{% endif %}", options: .init(lstripBlocks: true)) == "x")
        #expect(try render("{{ '<&>' }}", options: .init(autoescape: false)) == "<&>")
        #expect(try render("{{ '<&>\"\\'\\\\' }}") == "&lt;&amp;&gt;&quot;&#39;&#92;")
    }

    @Test func javascriptSemantics() throws {
        #expect(try render("{{ \"a\" + 1 }}|{{ 2 * 10 % 4 }}|{{ \"n=\" ~ 5 - 2 }}|{{ not 1 == 2 }}|{{ 2 ** 3 ** 2 }}|{{ 7 // 2 }}") == "a1|0|NaN|false|64|3")
        #expect(try render("{{ [1, [2, 3]] }}|{{ {} }}|{{ 0.1 + 0.2 }}|{{ 1 / 0 }}|{{ (1, 2) }}") == "1,2,3|[object Object]|0.30000000000000004|Infinity|2")
        #expect(try render("{{ 1 in [1] }}|{{ 'b' in 'abc' }}|{{ 'k' in {k: 1} }}|{{ 3 not in [1] }}") == "true|true|true|true")
    }

    @Test func customFiltersTestsAndGlobals() throws {
        let environment = Environment(loader: DictionaryLoader(["main.njk": "{{ 'a' | twice }}|{{ 3 is big }}|{{ answer }}"]))
        environment.addFilter("twice") { value, _, _ in .string(value.jsString + value.jsString) }
        environment.addTest("big") { value, _, _ in value.jsNumber > 2 }
        environment.addGlobal("answer", .number(42))
        let result = try environment.render(name: "main.njk", context: JSObject())
        #expect(result.output == "aa|true|42")
        #expect(result.loadedTemplates == ["main.njk"])
    }

    @Test func loadedTemplatesRecordEveryDependency() throws {
        let environment = Environment(loader: DictionaryLoader([
            "main.njk": "{% extends \"base.njk\" %}{% block b %}{% include \"p.njk\" %}{% endblock %}",
            "base.njk": "{% import \"m.njk\" as m %}{% block b %}{% endblock %}",
            "p.njk": "p", "m.njk": "",
        ]))
        let result = try environment.render(name: "main.njk", context: JSObject())
        #expect(result.output == "p")
        #expect(result.loadedTemplates == ["main.njk", "base.njk", "m.njk", "p.njk"])
    }

    @Test func renderStringAndCompileCacheAreReused() throws {
        let environment = Environment(loader: DictionaryLoader([:]))
        let a = try environment.renderString("{{ x }}", name: "inline", context: JSObject([("x", .number(1))]))
        let b = try environment.renderString("{{ x }}", name: "inline", context: JSObject([("x", .number(2))]))
        #expect(a.output == "1")
        #expect(b.output == "2")
    }
}
