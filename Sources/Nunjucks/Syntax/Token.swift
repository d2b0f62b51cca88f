/// One token of Nunjucks source, as the tokenizer hands it to the parser.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case string, whitespace, data, comment
        case blockStart, blockEnd, variableStart, variableEnd
        case leftParen, rightParen, leftBracket, rightBracket, leftCurly, rightCurly
        case `operator`, comma, colon, tilde, pipe
        case int, float, boolean, none, symbol, regex

        /// The name Nunjucks uses in its messages ("expected symbol, got variable-end").
        var nunjucksName: String {
            switch self {
            case .string: return "string"
            case .whitespace: return "whitespace"
            case .data: return "data"
            case .comment: return "comment"
            case .blockStart: return "block-start"
            case .blockEnd: return "block-end"
            case .variableStart: return "variable-start"
            case .variableEnd: return "variable-end"
            case .leftParen: return "left-paren"
            case .rightParen: return "right-paren"
            case .leftBracket: return "left-bracket"
            case .rightBracket: return "right-bracket"
            case .leftCurly: return "left-curly"
            case .rightCurly: return "right-curly"
            case .operator: return "operator"
            case .comma: return "comma"
            case .colon: return "colon"
            case .tilde: return "tilde"
            case .pipe: return "pipe"
            case .int: return "int"
            case .float: return "float"
            case .boolean: return "boolean"
            case .none: return "none"
            case .symbol: return "symbol"
            case .regex: return "regex"
            }
        }
    }

    let kind: Kind
    /// The token text (string tokens: the unescaped content; regex: the body).
    let value: String
    /// Regex flags (regex tokens only).
    var flags: String = ""
    /// 1-based position of the token's first character.
    let line: Int
    let column: Int

    func isSymbol(_ name: String) -> Bool { kind == .symbol && value == name }
}

/// A syntax error before the template name is attached.
struct SyntaxFailure: Error {
    let message: String
    let line: Int
    let column: Int
}
