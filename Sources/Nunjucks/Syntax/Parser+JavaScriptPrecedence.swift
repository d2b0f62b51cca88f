/// Nunjucks compiles `a OP b` to the JavaScript text `a OP b` without
/// parentheses (and `not x` to `!x`), so JavaScript's precedence, not the
/// parser's tree, decides how a chain groups: `2 * 10 % 4` is `(2 * 10) % 4`
/// and `not 1 == 2` is `(!1) == 2`. This pass rebuilds each chain the way
/// JavaScript would parse the emitted code.
extension Parser {
    private enum ChainPart {
        case operand(prefixes: [(UnaryOperator, Position)], Expression)
        case infix(Infix, Position)
    }

    private enum Infix {
        case binary(BinaryOperator)
        case compare(CompareOperator)

        /// JavaScript binding power.
        var precedence: Int {
            switch self {
            case .binary(.or): return 3
            case .binary(.and): return 4
            case .compare(.equal), .compare(.notEqual), .compare(.strictEqual), .compare(.strictNotEqual): return 8
            case .compare: return 9
            case .binary(.add), .binary(.subtract), .binary(.concat): return 11
            default: return 12
            }
        }
    }

    static func reassociated(_ expression: Expression) throws(SyntaxFailure) -> Expression {
        switch expression {
        case .binary(.floorDivide, let l, let r, let p):
            return .binary(.floorDivide, try reassociated(l), try reassociated(r), p)
        case .binary(.power, let l, let r, let p):
            return .binary(.power, try reassociated(l), try reassociated(r), p)
        case .binary(.in, let l, let r, let p):
            return .binary(.in, try reassociated(l), try reassociated(r), p)
        case .binary, .compare, .unary, .test:
            var parts: [ChainPart] = []
            try flatten(expression, into: &parts, pendingPrefixes: [])
            var index = 0
            return try parseChain(parts, &index, minimumPrecedence: 0)
        case .conditional(let c, let t, let o, let p):
            return .conditional(condition: try reassociated(c), then: try reassociated(t), otherwise: try o.map { e throws(SyntaxFailure) in try reassociated(e) }, p)
        default:
            return expression
        }
    }

    private static func flatten(_ e: Expression, into parts: inout [ChainPart], pendingPrefixes: [(UnaryOperator, Position)]) throws(SyntaxFailure) {
        switch e {
        case .binary(let op, let l, let r, let p) where op != .floorDivide && op != .power && op != .in:
            try flatten(l, into: &parts, pendingPrefixes: pendingPrefixes)
            if op == .concat {
                // `a ~ b` is emitted as `a + "" + b`.
                parts.append(.infix(.binary(.add), p))
                parts.append(.operand(prefixes: [], .literal(.string(""), p)))
                parts.append(.infix(.binary(.add), p))
            } else {
                parts.append(.infix(.binary(op), p))
            }
            try flatten(r, into: &parts, pendingPrefixes: [])
        case .compare(let first, let rest, let p):
            try flatten(first, into: &parts, pendingPrefixes: pendingPrefixes)
            for (op, operand) in rest {
                parts.append(.infix(.compare(op), p))
                try flatten(operand, into: &parts, pendingPrefixes: [])
            }
        case .unary(let op, let target, let p):
            if let last = pendingPrefixes.last, last.0 == op, op != .not {
                // `- -x` is emitted as `--x`: a JavaScript syntax error.
                throw SyntaxFailure(message: "unexpected token: \(op == .negate ? "-" : "+")", line: p.line, column: p.column)
            }
            try flatten(target, into: &parts, pendingPrefixes: pendingPrefixes + [(op, p)])
        case .test(let subject, let name, let arguments, let p):
            // `x is t` is emitted as `test(x) === true`.
            let call = Expression.test(try reassociated(subject), name: name, try reassociatedArguments(arguments), p)
            parts.append(.operand(prefixes: pendingPrefixes, call))
            parts.append(.infix(.compare(.strictEqual), p))
            parts.append(.operand(prefixes: [], .literal(.bool(true), p)))
        default:
            parts.append(.operand(prefixes: pendingPrefixes, try reassociated(e)))
        }
    }

    private static func reassociatedArguments(_ arguments: CallArguments?) throws(SyntaxFailure) -> CallArguments? {
        arguments
    }

    private static func parseChain(_ parts: [ChainPart], _ index: inout Int, minimumPrecedence: Int) throws(SyntaxFailure) -> Expression {
        guard case .operand(let prefixes, let atom) = parts[index] else {
            preconditionFailure("chains alternate operands and operators")
        }
        index += 1
        var left = atom
        for (op, p) in prefixes.reversed() { left = .unary(op, left, p) }
        while index < parts.count, case .infix(let op, let p) = parts[index], op.precedence > minimumPrecedence {
            index += 1
            let right = try parseChain(parts, &index, minimumPrecedence: op.precedence)
            switch op {
            case .binary(let b): left = .binary(b, left, right, p)
            case .compare(let c): left = .compare(left, [(c, right)], p)
            }
        }
        return left
    }
}
