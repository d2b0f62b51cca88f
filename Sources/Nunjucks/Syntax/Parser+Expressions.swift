import Foundation

/// Expression rules, in Nunjucks's precedence order (which is not JS's;
/// `reassociated` fixes up what JavaScript would make of the emitted code).
extension Parser {
    mutating func parseExpression() throws(SyntaxFailure) -> Expression {
        try Parser.reassociated(parseInlineIf())
    }

    private mutating func parseInlineIf() throws(SyntaxFailure) -> Expression {
        var node = try parseOr()
        if try skipSymbol("if") {
            let condition = try parseOr()
            var otherwise: Expression?
            if try skipSymbol("else") { otherwise = try parseOr() }
            node = .conditional(condition: condition, then: node, otherwise: otherwise, node.position)
        }
        return node
    }

    private mutating func parseOr() throws(SyntaxFailure) -> Expression {
        var node = try parseAnd()
        while try skipSymbol("or") {
            node = .binary(.or, node, try parseAnd(), node.position)
        }
        return node
    }

    private mutating func parseAnd() throws(SyntaxFailure) -> Expression {
        var node = try parseNot()
        while try skipSymbol("and") {
            node = .binary(.and, node, try parseNot(), node.position)
        }
        return node
    }

    private mutating func parseNot() throws(SyntaxFailure) -> Expression {
        let token = try peekToken()
        if try skipSymbol("not") {
            try enterNesting(token)
            defer { leaveNesting() }
            return .unary(.not, try parseNot(), Position(token!))
        }
        return try parseIn()
    }

    private mutating func parseIn() throws(SyntaxFailure) -> Expression {
        var node = try parseIs()
        while true {
            guard let token = try nextToken() else { break }
            let invert = token.isSymbol("not")
            if !invert { pushToken(token) }
            if try skipSymbol("in") {
                let right = try parseIs()
                node = .binary(.in, node, right, node.position)
                if invert { node = .unary(.not, node, node.position) }
            } else {
                if invert { pushToken(token) }
                break
            }
        }
        return node
    }

    private mutating func parseIs() throws(SyntaxFailure) -> Expression {
        var node = try parseCompare()
        if try skipSymbol("is") {
            let negated = try skipSymbol("not")
            let right = try parseCompare()
            let name: String
            var arguments: CallArguments?
            switch right {
            case .symbol(let n, _): name = n
            case .call(.symbol(let n, _), let args, _, _):
                name = n
                arguments = args
            case .literal(let v, _): name = v.isNullish ? "null" : v.jsString
            case .call(let callee, let args, _, _):
                name = Parser.testName(callee)
                arguments = args
            default: name = "undefined"
            }
            node = .test(node, name: name, arguments, node.position)
            if negated { node = .unary(.not, node, node.position) }
        }
        return node
    }

    private static func testName(_ e: Expression) -> String {
        if case .literal(let v, _) = e { return v.isNullish ? "null" : v.jsString }
        return "undefined"
    }

    private mutating func parseCompare() throws(SyntaxFailure) -> Expression {
        let first = try parseConcat()
        var operations: [(CompareOperator, Expression)] = []
        var position = first.position
        while true {
            guard let token = try nextToken() else { break }
            if token.kind == .operator, let op = CompareOperator(rawValue: token.value) {
                if operations.isEmpty { position = Position(token) }
                operations.append((op, try parseConcat()))
            } else {
                pushToken(token)
                break
            }
        }
        return operations.isEmpty ? first : .compare(first, operations, position)
    }

    private mutating func parseConcat() throws(SyntaxFailure) -> Expression {
        var node = try parseBinary(level: 0)
        while try skipValue(.tilde, "~") {
            node = .binary(.concat, node, try parseBinary(level: 0), node.position)
        }
        return node
    }

    /// add, sub, mul, div, floordiv, mod, pow: one Nunjucks rule each, in this order.
    private static let binaryLevels: [(String, BinaryOperator)] = [
        ("+", .add), ("-", .subtract), ("*", .multiply), ("/", .divide), ("//", .floorDivide), ("%", .modulo), ("**", .power),
    ]

    private mutating func parseBinary(level: Int) throws(SyntaxFailure) -> Expression {
        if level == Parser.binaryLevels.count { return try parseUnary() }
        let (symbol, op) = Parser.binaryLevels[level]
        var node = try parseBinary(level: level + 1)
        while try skipValue(.operator, symbol) {
            node = .binary(op, node, try parseBinary(level: level + 1), node.position)
        }
        return node
    }

    private mutating func parseUnary(noFilters: Bool = false) throws(SyntaxFailure) -> Expression {
        let token = try peekToken()
        var node: Expression
        if try skipValue(.operator, "-") {
            try enterNesting(token)
            defer { leaveNesting() }
            node = .unary(.negate, try parseUnary(noFilters: true), Position(token!))
        } else if try skipValue(.operator, "+") {
            try enterNesting(token)
            defer { leaveNesting() }
            node = .unary(.plus, try parseUnary(noFilters: true), Position(token!))
        } else {
            node = try parsePrimary()
        }
        if !noFilters { node = try parseFilter(node) }
        return node
    }

    mutating func parsePrimary(noPostfix: Bool = false) throws(SyntaxFailure) -> Expression {
        guard let token = try nextToken() else {
            throw fail("expected expression, got end of file")
        }
        let position = Position(token)
        var node: Expression
        switch token.kind {
        case .string: node = .literal(.string(token.value), position)
        case .int: node = .literal(.number(Double(token.value) ?? .nan), position)
        case .float: node = .literal(.number(Double(token.value.hasSuffix(".") ? token.value + "0" : token.value) ?? .nan), position)
        case .boolean: node = .literal(.bool(token.value == "true"), position)
        case .none: node = .literal(.null, position)
        case .regex:
            let regex = JSRegex(source: token.value, flags: token.flags)
            if let problem = RegexSyntax.problem(in: regex) {
                throw SyntaxFailure(message: "SyntaxError: Invalid regular expression: /\(token.value)/: \(problem)", line: token.line, column: token.column)
            }
            node = .literal(.regex(regex), position)
        case .symbol: node = .symbol(token.value, position)
        default:
            pushToken(token)
            guard let aggregate = try parseAggregate() else {
                throw SyntaxFailure(message: "unexpected token: \(token.value)", line: token.line, column: token.column)
            }
            node = aggregate
        }
        if !noPostfix { node = try parsePostfix(node) }
        return node
    }

    private mutating func parsePostfix(_ start: Expression) throws(SyntaxFailure) -> Expression {
        var node = start
        while let token = try peekToken() {
            if token.kind == .leftParen {
                let arguments = try parseSignature()
                if case .symbol("super", _) = node, let block = outermostBlock {
                    block.liftsSuper = true
                    node = .superOutput(block, Position(token))
                } else {
                    node = .call(node, arguments, name: Parser.calleeName(node), Position(token))
                }
            } else if token.kind == .leftBracket {
                let opener = try peekToken()
                guard case .array(let items, _)? = try parseAggregate() else { break }
                if items.count != 1 { throw fail("invalid index", at: opener) }
                node = .member(node, items[0], Position(token))
            } else if token.kind == .operator && token.value == "." {
                _ = try nextToken()
                guard let name = try nextToken() else { throw fail("expected name as lookup value, got end of file") }
                guard name.kind == .symbol else {
                    throw fail("expected name as lookup value, got \(name.value)", at: name)
                }
                node = .member(node, .literal(.string(name.value), Position(name)), Position(token))
            } else {
                break
            }
        }
        return node
    }

    /// How Nunjucks names a callee in "Unable to call `...`".
    static func calleeName(_ e: Expression) -> String {
        switch e {
        case .symbol(let name, _): return name
        case .call(let callee, _, _, _): return "the return value of (\(calleeName(callee)))"
        case .member(let target, let key, _): return "\(calleeName(target))[\"\(calleeName(key))\"]"
        case .literal(let v, _): return v.isNullish ? "null" : v.jsString
        default: return "--expression--"
        }
    }

    mutating func parseFilterName() throws(SyntaxFailure) -> (String, Position) {
        let token = try expect(.symbol)
        var name = token.value
        while try skipValue(.operator, ".") {
            name += "." + (try expect(.symbol)).value
        }
        return (name, Position(token))
    }

    private mutating func parseFilter(_ start: Expression) throws(SyntaxFailure) -> Expression {
        var node = start
        while try skip(.pipe) {
            let (name, position) = try parseFilterName()
            var arguments = CallArguments()
            if try peekToken()?.kind == .leftParen { arguments = try parseSignature() }
            node = .filter(name: name, node, arguments, position)
        }
        return node
    }

    private mutating func parseAggregate() throws(SyntaxFailure) -> Expression? {
        guard let open = try nextToken() else { return nil }
        let position = Position(open)
        enum Kind { case group, array, dict }
        let kind: Kind
        switch open.kind {
        case .leftParen: kind = .group
        case .leftBracket: kind = .array
        case .leftCurly: kind = .dict
        default: return nil
        }
        try enterNesting(open)
        defer { leaveNesting() }
        var items: [Expression] = []
        var pairs: [(key: String, value: Expression)] = []
        while true {
            guard let next = try peekToken() else { throw fail("unexpected end of file") }
            if next.kind == .rightParen || next.kind == .rightBracket || next.kind == .rightCurly {
                _ = try nextToken()
                break
            }
            if !items.isEmpty || !pairs.isEmpty {
                if !(try skip(.comma)) {
                    throw fail("parseAggregate: expected comma after expression", at: open)
                }
            }
            if kind == .dict {
                let key = try parsePrimary()
                if !(try skip(.colon)) {
                    throw fail("parseAggregate: expected colon after dict key", at: open)
                }
                let value = try parseExpression()
                switch key {
                case .symbol(let name, _): pairs.append((name, value))
                case .literal(.string(let name), _): pairs.append((name, value))
                default:
                    let p = key.position
                    throw SyntaxFailure(message: "compilePair: Dict keys must be strings or names", line: p.line, column: p.column)
                }
            } else {
                items.append(try parseExpression())
            }
        }
        switch kind {
        case .group:
            if items.isEmpty { throw SyntaxFailure(message: "unexpected token: )", line: open.line, column: open.column + 1) }
            return .group(items, position)
        case .array: return .array(items, position)
        case .dict: return .dict(pairs, position)
        }
    }

    mutating func parseSignature() throws(SyntaxFailure) -> CallArguments {
        guard let open = try peekToken(), open.kind == .leftParen else {
            throw fail("expected arguments")
        }
        _ = try nextToken()
        try enterNesting(open)
        defer { leaveNesting() }
        var arguments = CallArguments()
        var checkComma = false
        while true {
            guard let token = try peekToken() else { throw fail("unexpected end of file") }
            if token.kind == .rightParen {
                _ = try nextToken()
                break
            }
            if checkComma, !(try skip(.comma)) {
                throw fail("parseSignature: expected comma after expression", at: token)
            }
            let argument = try parseExpression()
            if try skipValue(.operator, "=") {
                let value = try parseExpression()
                switch argument {
                case .symbol(let name, _), .literal(.string(let name), _):
                    arguments.keywords.append((name, value))
                default:
                    let p = argument.position
                    throw SyntaxFailure(message: "compilePair: Dict keys must be strings or names", line: p.line, column: p.column)
                }
            } else {
                arguments.positional.append(argument)
            }
            checkComma = true
        }
        return arguments
    }
}
