import Foundation

/// Nunjucks's recursive-descent parser, rule for rule, so that the same
/// templates are accepted and rejected. Nesting is capped so hostile input
/// fails with an error instead of exhausting the stack.
struct Parser {
    private var tokens: Tokenizer
    private var peeked: Token?
    private var hasPeeked = false
    private var breakOnBlocks: [String]?
    private var dropLeadingWhitespace = false
    private var depth = 0
    private var blockStack: [BlockDefinition] = []
    private var blocks: [BlockDefinition] = []
    /// Tags the host defines (see `Environment.addShortcode`).
    private let shortcodes: ShortcodeTags
    /// Deepest nesting of tags plus brackets accepted.
    static let maxNesting = 96

    init(source: String, trimBlocks: Bool = false, lstripBlocks: Bool = false, shortcodes: ShortcodeTags = ShortcodeTags()) {
        tokens = Tokenizer(source: source, trimBlocks: trimBlocks, lstripBlocks: lstripBlocks)
        self.shortcodes = shortcodes
    }

    /// Parses a whole template.
    static func parse(_ source: String, trimBlocks: Bool = false, lstripBlocks: Bool = false,
                      shortcodes: ShortcodeTags = ShortcodeTags()) throws(SyntaxFailure) -> SyntaxTree {
        var parser = Parser(source: source, trimBlocks: trimBlocks, lstripBlocks: lstripBlocks, shortcodes: shortcodes)
        let body = try parser.parseNodes()
        var seen = Set<String>()
        for block in parser.blocks {
            if !seen.insert(block.name).inserted {
                throw SyntaxFailure(message: "Block \"\(block.name)\" defined more than once.", line: block.position.line, column: block.position.column)
            }
        }
        return SyntaxTree(body: body, blocks: parser.blocks)
    }

    // MARK: - Tokens

    private mutating func rawNext() throws(SyntaxFailure) -> Token? {
        try tokens.nextToken()
    }

    mutating func nextToken(withWhitespace: Bool = false) throws(SyntaxFailure) -> Token? {
        if hasPeeked {
            let token = peeked
            hasPeeked = false
            peeked = nil
            if withWhitespace || token?.kind != .whitespace { return token }
        }
        var token = try rawNext()
        if !withWhitespace {
            while let t = token, t.kind == .whitespace { token = try rawNext() }
        }
        return token
    }

    mutating func peekToken() throws(SyntaxFailure) -> Token? {
        if !hasPeeked {
            peeked = try nextToken()
            hasPeeked = true
        }
        return peeked
    }

    mutating func pushToken(_ token: Token?) {
        peeked = token
        hasPeeked = true
    }

    mutating func fail(_ message: String, at token: Token? = nil) -> SyntaxFailure {
        if let token { return SyntaxFailure(message: message, line: token.line, column: token.column) }
        if let t = try? peekToken() { return SyntaxFailure(message: message, line: t.line, column: t.column) }
        return SyntaxFailure(message: message, line: tokens.line + 1, column: tokens.column + 1)
    }

    mutating func skip(_ kind: Token.Kind) throws(SyntaxFailure) -> Bool {
        let token = try nextToken()
        if let token, token.kind == kind { return true }
        pushToken(token)
        return false
    }

    mutating func skipValue(_ kind: Token.Kind, _ value: String) throws(SyntaxFailure) -> Bool {
        let token = try nextToken()
        if let token, token.kind == kind, token.value == value { return true }
        pushToken(token)
        return false
    }

    mutating func skipSymbol(_ name: String) throws(SyntaxFailure) -> Bool {
        try skipValue(.symbol, name)
    }

    mutating func expect(_ kind: Token.Kind) throws(SyntaxFailure) -> Token {
        guard let token = try nextToken() else {
            throw fail("expected \(kind.nunjucksName), got end of file")
        }
        guard token.kind == kind else {
            throw fail("expected \(kind.nunjucksName), got \(token.kind.nunjucksName)", at: token)
        }
        return token
    }

    @discardableResult
    private mutating func advanceAfterBlockEnd(_ name: String? = nil) throws(SyntaxFailure) -> Token {
        var name = name
        if name == nil {
            guard let token = try peekToken() else { throw fail("unexpected end of file") }
            guard token.kind == .symbol else {
                throw fail("advanceAfterBlockEnd: expected symbol token or explicit name to be passed")
            }
            name = try nextToken()?.value
        }
        let token = try nextToken()
        guard let token, token.kind == .blockEnd else {
            // Nunjucks reports the token after the offending one.
            throw fail("expected block end in \(name ?? "") statement")
        }
        if token.value.hasPrefix("-") { dropLeadingWhitespace = true }
        return token
    }

    private mutating func advanceAfterVariableEnd() throws(SyntaxFailure) {
        let token = try nextToken()
        guard let token, token.kind == .variableEnd else {
            pushToken(token)
            throw fail("expected variable end", at: token)
        }
        dropLeadingWhitespace = token.value.hasPrefix("-")
    }

    mutating func enterNesting(_ token: Token?) throws(SyntaxFailure) {
        depth += 1
        if depth > Parser.maxNesting {
            throw fail("template nested too deeply (more than \(Parser.maxNesting) levels of tags or brackets)", at: token)
        }
    }

    mutating func leaveNesting() { depth -= 1 }

    /// The outermost block being parsed: Nunjucks binds `super()` to it.
    var outermostBlock: BlockDefinition? { blockStack.first }

    // MARK: - Template structure

    private mutating func parseUntilBlocks(_ names: String...) throws(SyntaxFailure) -> [Statement] {
        let previous = breakOnBlocks
        breakOnBlocks = names
        defer { breakOnBlocks = previous }
        return try parseNodes()
    }

    mutating func parseNodes() throws(SyntaxFailure) -> [Statement] {
        var body: [Statement] = []
        while let token = try nextToken() {
            switch token.kind {
            case .data:
                var data = token.value
                let next = try peekToken()
                if dropLeadingWhitespace {
                    data = Parser.trimLeadingJSWhitespace(data)
                    dropLeadingWhitespace = false
                }
                if let next,
                   (next.kind == .blockStart && next.value.hasSuffix("-"))
                    || (next.kind == .variableStart && next.value == "{{-")
                    || (next.kind == .comment && next.value.hasPrefix("{#-")) {
                    data = Parser.trimTrailingJSWhitespace(data)
                }
                // Kept even when empty: a `{% case %}` with any body does not fall through.
                body.append(.text(data))
            case .blockStart:
                dropLeadingWhitespace = false
                guard let statement = try parseStatement() else { return body }
                body.append(statement)
            case .variableStart:
                let expression = try parseExpression()
                dropLeadingWhitespace = false
                try advanceAfterVariableEnd()
                body.append(.output(expression, Position(token)))
            case .comment:
                let value = token.value
                dropLeadingWhitespace = value.count >= 3 && value.dropLast(2).hasSuffix("-")
            default:
                throw fail("Unexpected token at top-level: \(token.kind.nunjucksName)", at: token)
            }
        }
        return body
    }

    static func trimLeadingJSWhitespace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !Value.jsWhitespace.contains($0) }) else { return "" }
        return String(scalars[first...])
    }

    static func trimTrailingJSWhitespace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let last = scalars.lastIndex(where: { !Value.jsWhitespace.contains($0) }) else { return "" }
        return String(scalars[...last])
    }

    /// nil when the tag is one the enclosing construct stops at.
    private mutating func parseStatement() throws(SyntaxFailure) -> Statement? {
        guard let token = try peekToken() else { throw fail("unexpected end of file") }
        guard token.kind == .symbol else { throw fail("tag name expected", at: token) }
        if let stops = breakOnBlocks, stops.contains(token.value) { return nil }
        try enterNesting(token)
        defer { depth -= 1 }
        switch token.value {
        case "raw": return try parseRaw("raw")
        case "verbatim": return try parseRaw("verbatim")
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "block": return try parseBlock()
        case "extends": return try parseExtends()
        case "include": return try parseInclude()
        case "set": return try parseSet()
        case "macro": return try parseMacro()
        case "call": return try parseCall()
        case "import": return try parseImport()
        case "from": return try parseFrom()
        case "filter": return try parseFilterStatement()
        case "switch": return try parseSwitch()
        default:
            if let paired = shortcodes.tags[token.value] { return try parseShortcode(paired: paired) }
            throw fail("unknown block tag: \(token.value)", at: token)
        }
    }

    /// `{% name args %}` or, paired, `{% name args %}body{% endname %}`: a
    /// call of the shortcode's function (registered as the filter
    /// `ShortcodeTags.filterName(name)`) with the rendered body, or nothing,
    /// as its input. Arguments are written bare (`{% getBundle "css", "x" %}`)
    /// or in parentheses, as Nunjucks extensions take them.
    private mutating func parseShortcode(paired: Bool) throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let position = Position(tag)
        var arguments = CallArguments()
        if try peekToken()?.kind == .leftParen {
            arguments = try parseSignature()
        } else {
            while let next = try peekToken(), next.kind != .blockEnd {
                if !arguments.positional.isEmpty, !(try skip(.comma)) {
                    throw fail("expected comma between the arguments of \(tag.value)", at: next)
                }
                arguments.positional.append(try parseExpression())
            }
        }
        try advanceAfterBlockEnd(tag.value)
        let filter = ShortcodeTags.filterName(tag.value)
        guard paired else {
            return .output(.filter(name: filter, .literal(.undefined, position), arguments, position), position)
        }
        let body = try parseUntilBlocks("end" + tag.value)
        guard try peekToken() != nil else { throw fail("unexpected end of file: \(tag.value) without end\(tag.value)", at: tag) }
        try advanceAfterBlockEnd()
        return .output(.filter(name: filter, .capture(body, position), arguments, position), position)
    }

    private mutating func parseRaw(_ tag: String) throws(SyntaxFailure) -> Statement {
        try advanceAfterBlockEnd()
        var level = 1
        var text = ""
        // Mirrors Nunjucks's loop: the closing tag is matched a second time
        // (and so consumed) by the check that ends the loop.
        while let segment = tokens.extractRawSegment(tag: tag) {
            tokens.advance(to: segment.matchEnd)
            if level <= 0 { break }
            level += segment.name == tag ? 1 : -1
            if level == 0 {
                text += segment.before
                tokens.rewind(to: segment.matchStart)
            } else {
                text += segment.before + tokens.text(segment.matchStart, segment.matchEnd)
            }
        }
        return .text(text)
    }

    private mutating func parseIf() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let condition = try parseExpression()
        try advanceAfterBlockEnd(tag.value)
        let body = try parseUntilBlocks("elif", "elseif", "else", "endif")
        let next = try peekToken()
        switch next?.value {
        case "elif", "elseif":
            return .ifElse(condition, body, [try parseIf()], Position(tag))
        case "else":
            try advanceAfterBlockEnd()
            let otherwise = try parseUntilBlocks("endif")
            try advanceAfterBlockEnd()
            return .ifElse(condition, body, otherwise, Position(tag))
        case "endif":
            try advanceAfterBlockEnd()
            return .ifElse(condition, body, nil, Position(tag))
        default:
            throw fail("parseIf: expected elif, else, or endif, got end of file")
        }
    }

    private mutating func parseFor() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        var targets: [String] = []
        let first = try parsePrimary()
        guard case .symbol(let name, _) = first else {
            throw fail("parseFor: variable name expected for loop")
        }
        targets.append(name)
        if try peekToken()?.kind == .comma {
            while try skip(.comma) {
                let next = try parsePrimary()
                guard case .symbol(let name, _) = next else {
                    throw fail("parseFor: variable name expected for loop", at: nil)
                }
                targets.append(name)
            }
        }
        guard try skipSymbol("in") else {
            throw fail("parseFor: expected \"in\" keyword for loop", at: tag)
        }
        let iterable = try parseExpression()
        try advanceAfterBlockEnd(tag.value)
        let body = try parseUntilBlocks("endfor", "else")
        var otherwise: [Statement]?
        if try skipSymbol("else") {
            try advanceAfterBlockEnd("else")
            otherwise = try parseUntilBlocks("endfor")
        }
        try advanceAfterBlockEnd()
        return .forLoop(targets: targets, iterable: iterable, body: body, otherwise: otherwise, Position(tag))
    }

    private mutating func parseMacro() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let nameExpression = try parsePrimary(noPostfix: true)
        guard case .symbol(let name, _) = nameExpression else {
            throw fail("macro name expected", at: tag)
        }
        let (parameters, defaults) = try parseParameters(try parseSignature())
        try advanceAfterBlockEnd(tag.value)
        let body = try parseUntilBlocks("endmacro")
        try advanceAfterBlockEnd()
        return .macro(MacroDefinition(name: name, parameters: parameters, defaults: defaults, body: body, position: Position(tag), isCaller: false))
    }

    /// Macro parameters must be names; `name=default` gives a default.
    private func parseParameters(_ signature: CallArguments) throws(SyntaxFailure) -> ([String], [(name: String, value: Expression)]) {
        var parameters: [String] = []
        for argument in signature.positional {
            guard case .symbol(let name, _) = argument else {
                let p = argument.position
                throw SyntaxFailure(message: "assertType: invalid type: \(Parser.typeName(argument))", line: p.line, column: p.column)
            }
            parameters.append(name)
        }
        return (parameters, signature.keywords)
    }

    static func typeName(_ expression: Expression) -> String {
        switch expression {
        case .literal: return "Literal"
        case .symbol: return "Symbol"
        case .array: return "Array"
        case .dict: return "Dict"
        case .group: return "Group"
        case .member: return "LookupVal"
        case .call: return "FunCall"
        case .filter: return "Filter"
        default: return "Expression"
        }
    }

    private mutating func parseCall() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        var callerSignature = CallArguments()
        if try peekToken()?.kind == .leftParen {
            callerSignature = try parseSignature()
        }
        let (parameters, defaults) = try parseParameters(callerSignature)
        let macroCall = try parsePrimary()
        try advanceAfterBlockEnd(tag.value)
        let body = try parseUntilBlocks("endcall")
        try advanceAfterBlockEnd()
        guard case .call(let callee, var arguments, let name, let position) = macroCall else {
            throw fail("call tag: expected a macro call", at: tag)
        }
        let caller = MacroDefinition(name: "caller", parameters: parameters, defaults: defaults, body: body, position: Position(tag), isCaller: true)
        arguments.keywords.append((name: "caller", value: .caller(caller)))
        return .output(.call(callee, arguments, name: name, position), Position(tag))
    }

    private mutating func parseWithContext() throws(SyntaxFailure) -> Bool? {
        let token = try peekToken()
        var withContext: Bool?
        if try skipSymbol("with") {
            withContext = true
        } else if try skipSymbol("without") {
            withContext = false
        }
        if withContext != nil, !(try skipSymbol("context")) {
            throw fail("parseFrom: expected context after with/without", at: token)
        }
        return withContext
    }

    private mutating func parseImport() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let template = try parseExpression()
        guard try skipSymbol("as") else { throw fail("parseImport: expected \"as\" keyword", at: tag) }
        let target = try parseExpression()
        guard case .symbol(let name, _) = target else {
            throw fail("parseImport: expected a name after \"as\"", at: tag)
        }
        let withContext = try parseWithContext() ?? false
        try advanceAfterBlockEnd(tag.value)
        return .importAs(template, target: name, withContext: withContext, Position(tag))
    }

    private mutating func parseFrom() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let template = try parseExpression()
        guard try skipSymbol("import") else { throw fail("parseFrom: expected import", at: tag) }
        var names: [(name: String, alias: String)] = []
        var withContext: Bool?
        while true {
            guard let next = try peekToken() else { throw fail("unexpected end of file") }
            if next.kind == .blockEnd {
                if names.isEmpty { throw fail("parseFrom: Expected at least one import name", at: tag) }
                if next.value.hasPrefix("-") { dropLeadingWhitespace = true }
                _ = try nextToken()
                break
            }
            if !names.isEmpty, !(try skip(.comma)) {
                throw fail("parseFrom: expected comma", at: tag)
            }
            let nameToken = try peekToken()
            guard case .symbol(let name, _) = try parsePrimary() else {
                throw fail("parseFrom: expected a name to import", at: nameToken)
            }
            if name.hasPrefix("_") {
                throw fail("parseFrom: names starting with an underscore cannot be imported", at: nameToken)
            }
            if try skipSymbol("as") {
                guard case .symbol(let alias, _) = try parsePrimary() else {
                    throw fail("parseFrom: expected a name after \"as\"", at: nameToken)
                }
                names.append((name, alias))
            } else {
                names.append((name, name))
            }
            withContext = try parseWithContext()
        }
        return .fromImport(template, names: names, withContext: withContext ?? false, Position(tag))
    }

    private mutating func parseBlock() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        guard case .symbol(let name, _) = try parsePrimary() else {
            throw fail("parseBlock: variable name expected", at: tag)
        }
        let block = BlockDefinition(name: name, position: Position(tag))
        try advanceAfterBlockEnd(tag.value)
        blockStack.append(block)
        block.body = try parseUntilBlocks("endblock")
        blockStack.removeLast()
        blocks.append(block)
        _ = try skipSymbol("endblock")
        _ = try skipSymbol(name)
        guard let end = try peekToken() else { throw fail("parseBlock: expected endblock, got end of file") }
        try advanceAfterBlockEnd(end.value)
        return .block(block)
    }

    private mutating func parseExtends() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let template = try parseExpression()
        try advanceAfterBlockEnd(tag.value)
        return .extends(template, Position(tag))
    }

    private mutating func parseInclude() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let template = try parseExpression()
        var ignoreMissing = false
        if try skipSymbol("ignore"), try skipSymbol("missing") { ignoreMissing = true }
        try advanceAfterBlockEnd(tag.value)
        return .include(template, ignoreMissing: ignoreMissing, Position(tag))
    }

    private mutating func parseSet() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        var targets: [String] = []
        while true {
            let targetToken = try peekToken()
            let target = try parsePrimary()
            guard case .symbol(let name, _) = target else {
                throw fail("set: only plain variable names can be assigned", at: targetToken)
            }
            targets.append(name)
            if !(try skip(.comma)) { break }
        }
        if try skipValue(.operator, "=") {
            let value = try parseExpression()
            try advanceAfterBlockEnd(tag.value)
            return .set(targets: targets, value: value, Position(tag))
        }
        guard try skip(.blockEnd) else {
            throw fail("parseSet: expected = or block end in set tag", at: tag)
        }
        let body = try parseUntilBlocks("endset")
        try advanceAfterBlockEnd()
        return .set(targets: targets, value: .capture(body, Position(tag)), Position(tag))
    }

    private mutating func parseSwitch() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        guard tag.value == "switch" else {
            throw fail("parseSwitch: expected \"switch,\" \"case\" or \"default\"", at: tag)
        }
        let subject = try parseExpression()
        try advanceAfterBlockEnd("switch")
        _ = try parseUntilBlocks("case", "default", "endswitch")
        var next = try peekToken()
        var cases: [(Expression, [Statement])] = []
        var defaultBody: [Statement]?
        repeat {
            _ = try skipSymbol("case")
            let condition = try parseExpression()
            try advanceAfterBlockEnd("switch")
            let body = try parseUntilBlocks("case", "default", "endswitch")
            cases.append((condition, body))
            next = try peekToken()
        } while next?.value == "case"
        switch next?.value {
        case "default":
            try advanceAfterBlockEnd()
            defaultBody = try parseUntilBlocks("endswitch")
            try advanceAfterBlockEnd()
        case "endswitch":
            try advanceAfterBlockEnd()
        default:
            throw fail("parseSwitch: expected \"case,\" \"default\" or \"endswitch,\" got EOF.")
        }
        return .switchCase(subject, cases: cases, defaultBody: defaultBody, Position(tag))
    }

    private mutating func parseFilterStatement() throws(SyntaxFailure) -> Statement {
        let tag = try nextToken()!
        let (name, position) = try parseFilterName()
        var arguments = CallArguments()
        if try peekToken()?.kind == .leftParen { arguments = try parseSignature() }
        try advanceAfterBlockEnd(tag.value)
        let body = try parseUntilBlocks("endfilter")
        try advanceAfterBlockEnd()
        return .output(.filter(name: name, .capture(body, position), arguments, position), position)
    }
}
