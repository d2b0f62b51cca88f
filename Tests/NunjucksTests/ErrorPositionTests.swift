import Testing
@testable import Nunjucks

@Suite struct ErrorPositionTests {
    @Test func unknownFilterNamesTemplateLineAndColumn() throws {
        let error = try #require(renderError("line 1\nline 2\nHi {{ name | uper }}"))
        #expect(error.templateName == "main.njk")
        #expect(error.line == 3)
        #expect(error.column == 14)
        #expect(error.message == "unknown filter \"uper\"")
        #expect(error.description == "main.njk:3:14: unknown filter \"uper\"\nHi {{ name | uper }}\n             ^")
    }

    /// An entry template that is not there has no line to show: no empty
    /// line and lone caret under the message. (A missing include is reported
    /// at the include, whose line is shown.)
    @Test func aMissingTemplateShowsNoExcerpt() throws {
        let error = try #require(renderError(["other.njk": "x"], entry: "gone.njk"))
        #expect(error.description == "gone.njk:1:1: template not found: gone.njk")
        #expect(error.excerpt == nil)
        let included = try #require(renderError(["main.njk": "{% include \"gone.njk\" %}"]))
        #expect(included.description == "main.njk:1:4: template not found: gone.njk\n{% include \"gone.njk\" %}\n   ^")
    }

    @Test func syntaxErrorPosition() throws {
        let error = try #require(renderError("a\n  {% for x items %}{% endfor %}"))
        #expect((error.line, error.column) == (2, 6))
        #expect(error.message == "parseFor: expected \"in\" keyword for loop")
    }

    @Test func callingUndefinedReportsTheCallSite() throws {
        let error = try #require(renderError("{% for x in [1] %}\n  {{ boom() }}{% endfor %}"))
        #expect((error.line, error.column) == (2, 10))  // Nunjucks positions a call at its "("
        #expect(error.message == "Unable to call `boom`, which is undefined or falsey")
    }

    @Test func errorsInsideIncludesAndMacrosNameTheChain() throws {
        let included = try #require(renderError(["main.njk": "x\n{% include \"p.njk\" %}", "p.njk": "{{ 1 | nope }}"]))
        #expect(included.templateName == "p.njk")
        #expect((included.line, included.column) == (1, 8))
        #expect(included.chain == [TemplateError.Location(templateName: "main.njk", line: 2, column: 4)])

        let macro = try #require(renderError(["main.njk": "{% import \"m.njk\" as m %}\n{{ m.f() }}", "m.njk": "{% macro f() %}\n{{ g() }}{% endmacro %}"]))
        #expect(macro.templateName == "m.njk")
        #expect((macro.line, macro.column) == (2, 5))
        #expect(macro.chain.first == TemplateError.Location(templateName: "main.njk", line: 2, column: 7))
        #expect(macro.description.contains("\n  from main.njk:2:7"))
    }

    @Test func errorsInParentTemplatesNameTheChild() throws {
        let error = try #require(renderError(["main.njk": "{% extends \"b.njk\" %}", "b.njk": "\n\n{{ x is nosuch }}"]))
        #expect(error.templateName == "b.njk")
        #expect(error.line == 3)
        #expect(error.chain == [TemplateError.Location(templateName: "main.njk", line: 1, column: 4)])
    }

    @Test func syntaxErrorInIncludedTemplate() throws {
        let error = try #require(renderError(["main.njk": "a{% include \"bad.njk\" %}", "bad.njk": "{% if %}"]))
        #expect(error.templateName == "bad.njk")
        #expect((error.line, error.column) == (1, 7))
        #expect(error.chain.first?.templateName == "main.njk")
    }

    @Test func missingTemplatesAndThrowOnUndefined() throws {
        #expect(renderError("{% include \"gone.njk\" %}")?.message == "template not found: gone.njk")
        let strict = EnvironmentOptions(throwOnUndefined: true)
        let error = try #require(renderError("ok\n {{ nothing }}", options: strict))
        #expect((error.line, error.column) == (2, 2))
        #expect(try render("{{ nothing is defined }}", options: strict) == "false")
    }
}
