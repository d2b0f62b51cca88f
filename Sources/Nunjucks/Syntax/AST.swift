/// A 1-based source position.
struct Position: Sendable, Equatable {
    let line: Int
    let column: Int
    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    init(_ token: Token) {
        self.line = token.line
        self.column = token.column
    }
}

enum UnaryOperator: Sendable { case negate, plus, not }

enum BinaryOperator: Sendable {
    case or, and, add, concat, subtract, multiply, divide, floorDivide, modulo, power, `in`
}

enum CompareOperator: String, Sendable {
    case equal = "==", strictEqual = "===", notEqual = "!=", strictNotEqual = "!=="
    case less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
}

/// Arguments written at a call site: positionals and `name=value` pairs.
struct CallArguments: Sendable {
    var positional: [Expression] = []
    var keywords: [(name: String, value: Expression)] = []
}

/// An expression as parsed. Positions are those Nunjucks reports.
indirect enum Expression: Sendable {
    case literal(Value, Position)
    case symbol(String, Position)
    case array([Expression], Position)
    case dict([(key: String, value: Expression)], Position)
    /// `(a, b)`: a JS comma expression; its value is the last one.
    case group([Expression], Position)
    case member(Expression, Expression, Position)
    /// `callee(args)`; `name` is how Nunjucks names the callee in errors.
    case call(Expression, CallArguments, name: String, Position)
    case filter(name: String, Expression, CallArguments, Position)
    case unary(UnaryOperator, Expression, Position)
    case binary(BinaryOperator, Expression, Expression, Position)
    case compare(Expression, [(CompareOperator, Expression)], Position)
    case test(Expression, name: String, CallArguments?, Position)
    case conditional(condition: Expression, then: Expression, otherwise: Expression?, Position)
    /// Rendered body as a plain string (`{% set %}` capture, `{% filter %}` body).
    case capture([Statement], Position)
    /// The body of a `{% call %}` tag, passed to the macro as `caller`.
    case caller(MacroDefinition)
    /// `super()` lifted out of a block (see `BlockDefinition.liftsSuper`).
    case superOutput(BlockDefinition, Position)

    var position: Position {
        switch self {
        case .literal(_, let p), .symbol(_, let p), .array(_, let p), .dict(_, let p), .group(_, let p),
             .member(_, _, let p), .call(_, _, _, let p), .filter(_, _, _, let p), .unary(_, _, let p),
             .binary(_, _, _, let p), .compare(_, _, let p), .test(_, _, _, let p),
             .conditional(_, _, _, let p), .capture(_, let p), .superOutput(_, let p):
            return p
        case .caller(let m): return m.position
        }
    }
}

/// A statement (tag or text) as parsed.
indirect enum Statement: Sendable {
    case text(String)
    case output(Expression, Position)
    case ifElse(Expression, [Statement], [Statement]?, Position)
    case forLoop(targets: [String], iterable: Expression, body: [Statement], otherwise: [Statement]?, Position)
    case set(targets: [String], value: Expression, Position)
    case macro(MacroDefinition)
    case include(Expression, ignoreMissing: Bool, Position)
    case importAs(Expression, target: String, withContext: Bool, Position)
    case fromImport(Expression, names: [(name: String, alias: String)], withContext: Bool, Position)
    case extends(Expression, Position)
    case block(BlockDefinition)
    case switchCase(Expression, cases: [(Expression, [Statement])], defaultBody: [Statement]?, Position)
}

/// A `{% macro %}` (or the anonymous macro of a `{% call %}` body).
final class MacroDefinition: Sendable {
    let name: String
    /// Parameters without defaults, in order.
    let parameters: [String]
    /// Parameters with defaults, in order.
    let defaults: [(name: String, value: Expression)]
    let body: [Statement]
    let position: Position
    let isCaller: Bool

    init(name: String, parameters: [String], defaults: [(name: String, value: Expression)], body: [Statement], position: Position, isCaller: Bool) {
        self.name = name
        self.parameters = parameters
        self.defaults = defaults
        self.body = body
        self.position = position
        self.isCaller = isCaller
    }
}

/// A `{% block %}`. Its body is set once parsing of the block finishes.
final class BlockDefinition: @unchecked Sendable {
    let name: String
    let position: Position
    var body: [Statement] = []
    /// Nunjucks hoists `super()` to the top of the block: the parent block
    /// renders once, before the body, whether or not the call runs.
    var liftsSuper = false

    init(name: String, position: Position) {
        self.name = name
        self.position = position
    }
}

/// A parsed template: its statements and every block in it.
struct SyntaxTree: Sendable {
    let body: [Statement]
    let blocks: [BlockDefinition]
}
