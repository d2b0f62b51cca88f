import Testing
@testable import YAML

@Suite struct YAMLSyntaxErrorTests {
    private func error(_ yaml: String) -> YAMLError? {
        do {
            _ = try YAML.parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func badIndentation() {
        let failure = error("a: 1\n b: 2\n")
        #expect(failure == YAMLError(message: "mapping values are not allowed in this context", line: 2, column: 3))
        #expect(failure?.description == "2:3: mapping values are not allowed in this context")
    }

    @Test func unclosedQuote() {
        #expect(error("title: \"unclosed\nnext: 1\n") ==
            YAMLError(message: "found unexpected end of stream (while scanning a quoted scalar at 1:8)", line: 3, column: 1))
    }

    @Test func tabIndentation() {
        #expect(error("a:\n\tb: 1\n") ==
            YAMLError(message: "found character that cannot start any token (while scanning for the next token at 2:1)", line: 2, column: 1))
    }

    @Test func unclosedFlowSequence() {
        #expect(error("key: [1, 2\nother: 3\n") ==
            YAMLError(message: "did not find expected ',' or ']' (while parsing a flow sequence at 1:6)", line: 2, column: 6))
    }

    @Test func sequenceInsideMapping() {
        #expect(error("- a\nb: 1\n") ==
            YAMLError(message: "did not find expected '-' indicator (while parsing a block collection at 1:1)", line: 2, column: 1))
    }

    @Test func invalidEncodingAndControlCharacters() {
        #expect(error("bad: \u{01}\n") == YAMLError(message: "control characters are not allowed (byte 0x1)", line: 1, column: 6))
        let invalid = Array("ok: 1\nbad: ".utf8) + [0xFF, 0x0A]
        let failure: YAMLError?
        do { _ = try YAML.parse(bytes: invalid); failure = nil } catch { failure = error }
        #expect(failure?.line == 2)
        #expect(failure?.column == 6)
        #expect(failure?.message.contains("UTF-8") == true)
    }

    @Test func arbitraryBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab: -[]{},&*!|>'\"\n\t #%@`?~".utf8)
        for _ in 0..<300 {
            let bytes = (0..<200).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            _ = try? YAML.parse(bytes: bytes)
        }
    }
}
