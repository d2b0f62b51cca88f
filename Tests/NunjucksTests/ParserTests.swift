import Testing
@testable import Nunjucks

@Suite struct ParserTests {
    private func expression(_ source: String) throws -> Expression {
        let tree = try Parser.parse("{{ \(source) }}")
        guard case .output(let e, _) = tree.body[0] else { throw SyntaxFailure(message: "no output", line: 0, column: 0) }
        return e
    }

    @Test func javascriptPrecedenceRegroupsMulAndMod() throws {
        // Nunjucks parses `2 * (10 % 4)`; the emitted JS `2 * 10 % 4` is `(2 * 10) % 4`.
        guard case .binary(.modulo, .binary(.multiply, _, _, _), _, _) = try expression("2 * 10 % 4") else {
            Issue.record("expected (2 * 10) % 4")
            return
        }
    }

    @Test func notAppliesToTheNextOperandOnly() throws {
        guard case .compare(.unary(.not, _, _), _, _) = try expression("not 1 == 2") else {
            Issue.record("expected (!1) == 2")
            return
        }
    }

    @Test func filtersBindToUnaryMinus() throws {
        guard case .filter("abs", .unary(.negate, _, _), _, _) = try expression("-3 | abs") else {
            Issue.record("expected abs(-3)")
            return
        }
    }

    @Test func doubleNegationIsASyntaxError() {
        #expect(throws: SyntaxFailure.self) { _ = try Parser.parse("{{ - -4 }}") }
    }

    @Test func tagsNest() throws {
        let tree = try Parser.parse("{% for x in xs %}{% if x %}{{ x }}{% endif %}{% else %}none{% endfor %}")
        guard case .forLoop(let targets, _, let body, let otherwise, _) = tree.body[0] else {
            Issue.record("expected a for loop")
            return
        }
        #expect(targets == ["x"])
        #expect(body.count == 1)
        #expect(otherwise?.count == 1)
    }

    @Test func blocksAreCollectedAndSuperIsLifted() throws {
        let tree = try Parser.parse("{% block a %}{% block b %}{{ super() }}{% endblock %}{% endblock %}")
        #expect(tree.blocks.map(\.name) == ["b", "a"])
        #expect(tree.blocks.first { $0.name == "a" }?.liftsSuper == true)
        #expect(tree.blocks.first { $0.name == "b" }?.liftsSuper == false)
    }

    @Test func syntaxErrorsCarryNunjucksPositions() {
        #expect(throws: SyntaxFailure(message: "unknown block tag: endif", line: 1, column: 8)) {
            _ = try Parser.parse("text{% endif %}")
        }
        #expect(throws: SyntaxFailure(message: "unexpected token: }}", line: 2, column: 17)) {
            _ = try Parser.parse("line one\nline two {{ 1 + }}\nline three")
        }
    }
}

extension SyntaxFailure: Equatable {
    public static func == (a: SyntaxFailure, b: SyntaxFailure) -> Bool {
        a.message == b.message && a.line == b.line && a.column == b.column
    }
}
