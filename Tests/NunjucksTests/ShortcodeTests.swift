import Testing
@testable import Nunjucks

/// Host-defined tags (`Environment.addShortcode`), the way Eleventy adds
/// shortcodes to Nunjucks.
@Suite struct ShortcodeTests {
    static func environment() -> Environment {
        let environment = Environment(loader: DictionaryLoader([:]))
        environment.addShortcode("year", paired: false) { _, arguments, _ in
            .string("Y" + arguments.positional.map(\.jsString).joined(separator: "+"))
        }
        environment.addShortcode("shout", paired: true) { body, arguments, _ in
            .string(body.outputString.uppercased() + (arguments.positional.first?.jsString ?? "") + "<br>")
        }
        return environment
    }

    func render(_ source: String) throws -> String {
        try Self.environment().renderString(source, name: "t.njk", context: JSObject([("who", .string("ann"))])).output
    }

    @Test func singleAndPairedTags() throws {
        #expect(try render("{% year %}|{% year 1, who %}|{% year(2, 3) %}") == "Y|Y1+ann|Y2+3")
        #expect(try render("{% shout \"!\" %}hi {{ who }}{% endshout %}") == "HI ANN!<br>", "output is not escaped (Eleventy: SafeString)")
        #expect(try render("{%- shout -%}  a  {%- endshout -%}") == "A<br>")
        #expect(try render("{% shout %}{% shout %}in{% endshout %}{% endshout %}") == "IN<BR><br>")
    }

    @Test func errorsPointAtTheTag() {
        func error(_ source: String) -> TemplateError? {
            do { _ = try render(source); return nil } catch { return error as? TemplateError }
        }
        let missingEnd = error("x\n{% shout %}text")
        #expect(missingEnd?.message.contains("shout without endshout") == true)
        #expect(missingEnd?.line == 2)
        #expect(error("{% year 1 2 %}")?.message.contains("expected comma") == true)
        #expect(error("{% year %}{% endyear %}")?.message == "unknown block tag: endyear")
        #expect(renderError("{% year %}")?.message == "unknown block tag: year", "a plain environment has no shortcodes")
    }
}
