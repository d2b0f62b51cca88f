import Testing
@testable import Nunjucks

@Suite struct TokenizerTests {
    private func tokens(_ source: String, trimBlocks: Bool = false, lstripBlocks: Bool = false) throws -> [Token] {
        var tokenizer = Tokenizer(source: source, trimBlocks: trimBlocks, lstripBlocks: lstripBlocks)
        var out: [Token] = []
        while let t = try tokenizer.nextToken() {
            if t.kind != .whitespace { out.append(t) }
        }
        return out
    }

    @Test func splitsDataAndVariableTags() throws {
        let t = try tokens("Hi {{ name }}!")
        #expect(t.map(\.kind) == [.data, .variableStart, .symbol, .variableEnd, .data])
        var tokenizer = Tokenizer(source: "Hi {{ name }}!", trimBlocks: false, lstripBlocks: false)
        var kinds: [Token.Kind] = []
        while let token = try tokenizer.nextToken() { kinds.append(token.kind) }
        #expect(kinds == [.data, .variableStart, .whitespace, .symbol, .whitespace, .variableEnd, .data])
    }

    @Test func numbersBooleansNoneAndSymbols() throws {
        var tokenizer = Tokenizer(source: "{{ 42 3.5 1. true none null 1e3 x_1 }}", trimBlocks: false, lstripBlocks: false)
        var found: [(Token.Kind, String)] = []
        while let token = try tokenizer.nextToken(), token.kind != .variableEnd {
            if token.kind != .whitespace && token.kind != .variableStart { found.append((token.kind, token.value)) }
        }
        #expect(found.map(\.0) == [.int, .float, .float, .boolean, .none, .none, .symbol, .symbol])
        #expect(found.map(\.1) == ["42", "3.5", "1.", "true", "none", "null", "1e3", "x_1"])
    }

    @Test func stringEscapesKeepUnknownLetters() throws {
        var tokenizer = Tokenizer(source: #"{{ "a\nb\q\"" }}"#, trimBlocks: false, lstripBlocks: false)
        _ = try tokenizer.nextToken()
        _ = try tokenizer.nextToken()
        let string = try tokenizer.nextToken()
        #expect(string?.kind == .string)
        #expect(string?.value == "a\nbq\"")
    }

    @Test func compoundOperatorsAndRegex() throws {
        var tokenizer = Tokenizer(source: "{{a===b!==c//d**e r/x\\/y/gi}}", trimBlocks: false, lstripBlocks: false)
        var values: [String] = []
        while let token = try tokenizer.nextToken() { values.append(token.value) }
        #expect(values == ["{{", "a", "===", "b", "!==", "c", "//", "d", "**", "e", " ", "x\\/y", "}}"])
    }

    @Test func positionsAreOneBasedLineAndColumn() throws {
        var tokenizer = Tokenizer(source: "ab\n  {{ x }}", trimBlocks: false, lstripBlocks: false)
        _ = try tokenizer.nextToken()
        let start = try tokenizer.nextToken()
        #expect(start?.line == 2)
        #expect(start?.column == 3)
    }

    @Test func strayCommentEndIsAnError() {
        var tokenizer = Tokenizer(source: "a #} b", trimBlocks: false, lstripBlocks: false)
        #expect(throws: SyntaxFailure.self) { _ = try tokenizer.nextToken() }
    }

    @Test func lstripBlocksRemovesIndentationBeforeBlockTagsOnly() throws {
        let t = try tokens("x\n   {% if %}", lstripBlocks: true)
        #expect(t.first?.value == "x\n")
        let kept = try tokens("x\n   {{ y }}", lstripBlocks: true)
        #expect(kept.first?.value == "x\n   ")
    }
}
