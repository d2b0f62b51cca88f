import Testing
@testable import Nunjucks

@Suite struct LimitsAndMalformedInputTests {
    @Test func infiniteMacroRecursionHitsTheDepthLimit() throws {
        let error = try #require(renderError("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"))
        #expect(error.message.hasPrefix("recursion limit exceeded"))
    }

    @Test func includeAndExtendsCyclesHitTheDepthLimit() {
        #expect(renderError(["main.njk": "{% include \"main.njk\" %}"])?.message.hasPrefix("recursion limit exceeded") == true)
        #expect(renderError(["main.njk": "{% extends \"b.njk\" %}", "b.njk": "{% extends \"main.njk\" %}"])?.message.hasPrefix("recursion limit exceeded") == true)
    }

    @Test func loopIterationsAreCapped() throws {
        let options = EnvironmentOptions(limits: RenderLimits(maxLoopIterations: 1000))
        let error = try #require(renderError("{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}", options: options))
        #expect(error.message.hasPrefix("loop limit exceeded"))
        #expect(try render("{% for i in range(10) %}{{ i }}{% endfor %}", options: options) == "0123456789")
    }

    @Test func outputSizeIsCapped() throws {
        let options = EnvironmentOptions(limits: RenderLimits(maxOutputBytes: 10_000))
        let error = try #require(renderError("{% for i in range(5000) %}xxxx{% endfor %}", options: options))
        #expect(error.message.hasPrefix("output limit exceeded"))
    }

    @Test(arguments: [
        "{{ name", "{% if x ", "{% for x in items %}{{ x }}", "a {# never closed", "{{ 'unterminated }}",
        "{% endif %}", "{{ }}", "{{ [1, 2, }}", "{{ {a: } }}", "{% macro m(\"a\") %}{% endmacro %}", "{%", "{{", "}}{{(",
        "{% set = 1 %}", "{% block %}{% endblock %}", "{{ x | }}", "{% raw %}", "{% call x %}{% endcall %}",
    ])
    func malformedInputIsAnErrorOrText(source: String) {
        // Must return (error or output), never crash.
        _ = try? render(source)
    }

    @Test func malformedInputErrors() {
        for source in ["{{ name", "{% if x ", "{% for x in items %}", "a {# c", "{{ }}", "{{ [1,] }}"] {
            #expect(renderError(source) != nil, "\(source)")
        }
    }

    @Test func deepNestingIsRejectedNotCrashing() throws {
        let parens = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(renderError("{{ \(parens) }}")?.message.hasPrefix("template nested too deeply") == true)
        let ifs = String(repeating: "{% if true %}", count: 10_000) + "x" + String(repeating: "{% endif %}", count: 10_000)
        #expect(renderError(ifs)?.message.hasPrefix("template nested too deeply") == true)
        let nots = String(repeating: "not ", count: 10_000) + "x"
        #expect(renderError("{{ \(nots) }}") != nil)
        let arrays = String(repeating: "[", count: 10_000)
        #expect(renderError("{{ \(arrays) }}") != nil)
        let moderate = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
        #expect(try render("{{ \(moderate) }}") == "1")
    }
}
