/// Compile-time scope: names bound to local slots (what Nunjucks's compiler
/// turns into JavaScript variables) and whether the scope is nested.
final class CompileScope {
    var names: [String: Int] = [:]
    let parent: CompileScope?
    let function: FunctionScope

    init(parent: CompileScope?, function: FunctionScope) {
        self.parent = parent
        self.function = function
    }
}

/// One compiled function's slot count; call bodies chain to their definer.
final class FunctionScope {
    var slotCount = 0
    let parent: FunctionScope?
    init(parent: FunctionScope?) { self.parent = parent }

    func newSlot() -> Int {
        slotCount += 1
        return slotCount - 1
    }
}

/// Turns a syntax tree into closures over `Renderer`.
struct Compiler {
    var scope: CompileScope
    /// Compiling the body of a block function (nested blocks always render).
    var inBlock = false

    init() {
        scope = CompileScope(parent: nil, function: FunctionScope(parent: nil))
    }

    static func compile(_ tree: SyntaxTree, name: String, source: String) -> CompiledTemplate {
        var compiler = Compiler()
        let root = compiler.compileBody(tree.body)
        let rootSlots = compiler.scope.function.slotCount
        var blocks: [CompiledBlock] = []
        for definition in tree.blocks {
            var blockCompiler = Compiler()
            blockCompiler.inBlock = true
            let body = blockCompiler.compileBody(definition.body)
            blocks.append(CompiledBlock(definition: definition, body: body, slots: blockCompiler.scope.function.slotCount))
        }
        return CompiledTemplate(name: name, source: source, root: root, rootSlots: rootSlots, blocks: blocks)
    }

    /// Finds a compile-time binding: how many call-body boundaries up, and the slot.
    func resolve(_ name: String) -> (hops: Int, slot: Int)? {
        var s: CompileScope? = scope
        var hops = 0
        var function = scope.function
        while let current = s {
            if current.function !== function {
                hops += 1
                function = current.function
            }
            if let slot = current.names[name] { return (hops, slot) }
            s = current.parent
        }
        return nil
    }

    mutating func bind(_ name: String) -> Int {
        if let slot = scope.names[name] { return slot }
        let slot = scope.function.newSlot()
        scope.names[name] = slot
        return slot
    }

    var isNestedScope: Bool { scope.parent != nil }

    mutating func compileBody(_ statements: [Statement]) -> Execute {
        var steps: [ExecuteBox] = []
        for statement in statements {
            if case .text(let s) = statement, s.isEmpty { continue }
            steps.append(ExecuteBox(compileStatement(statement)))
        }
        return Compiler.sequence(steps[...])
    }

    /// Runs steps in order as a tree of closures that call their captured
    /// steps directly (iterating an array of closures retains each one).
    static func sequence(_ steps: ArraySlice<ExecuteBox>) -> Execute {
        let s = steps.startIndex
        switch steps.count {
        case 0: return { _ in }
        case 1: return steps[s].run
        case 2:
            let a = steps[s].run, b = steps[s + 1].run
            return { r in try a(r); try b(r) }
        case 3:
            let a = steps[s].run, b = steps[s + 1].run, c = steps[s + 2].run
            return { r in try a(r); try b(r); try c(r) }
        case 4:
            let a = steps[s].run, b = steps[s + 1].run
            let c = steps[s + 2].run, d = steps[s + 3].run
            return { r in try a(r); try b(r); try c(r); try d(r) }
        default:
            let middle = steps.startIndex + steps.count / 2
            let first = sequence(steps[..<middle]), second = sequence(steps[middle...])
            return { r in try first(r); try second(r) }
        }
    }

    mutating func compileStatement(_ statement: Statement) -> Execute {
        switch statement {
        case .text(let text):
            let position = Position(line: 0, column: 0)
            let bytes = Array(text.utf8)
            return { r in
                r.append(bytes: bytes)
                if r.bytesWritten > r.options.limits.maxOutputBytes { try r.checkOutputLimit(at: position) }
            }
        case .output(let expression, let position):
            return compileOutput(expression, position)
        case .ifElse(let condition, let body, let otherwise, _):
            let test = compileExpression(condition)
            let then = compileBody(body)
            if let otherwise {
                let other = compileBody(otherwise)
                return { r in if try test(r).isTruthy { try then(r) } else { try other(r) } }
            }
            return { r in if try test(r).isTruthy { try then(r) } }
        case .forLoop(let targets, let iterable, let body, let otherwise, let position):
            return compileFor(targets: targets, iterable: iterable, body: body, otherwise: otherwise, position: position)
        case .set(let targets, let value, _):
            return compileSet(targets: targets, value: value)
        case .macro(let definition):
            return compileMacroDefinition(definition)
        case .include(let name, let ignoreMissing, let position):
            return compileInclude(name, ignoreMissing: ignoreMissing, position: position)
        case .importAs(let name, let target, let withContext, let position):
            return compileImport(name, target: target, withContext: withContext, position: position)
        case .fromImport(let name, let names, let withContext, let position):
            return compileFromImport(name, names: names, withContext: withContext, position: position)
        case .extends(let name, let position):
            return compileExtends(name, position: position)
        case .block(let definition):
            return compileBlockCall(definition)
        case .switchCase(let subject, let cases, let defaultBody, _):
            return compileSwitch(subject, cases: cases, defaultBody: defaultBody)
        }
    }

    private mutating func compileOutput(_ expression: Expression, _ position: Position) -> Execute {
        if case .call(let callee, let arguments, let name, let callPosition) = expression {
            return compileCallOutput(callee, arguments, name: name, callPosition: callPosition, position: position)
        }
        let value = compileExpression(expression)
        if case .literal(let constant, _) = expression, !constant.isNullish {
            return { r in r.write(constant) }
        }
        return { r in
            let v = try value(r)
            if r.options.throwOnUndefined, v.isNullish {
                throw r.error("attempted to output null or undefined value", at: position)
            }
            r.write(v)
            if r.bytesWritten > r.options.limits.maxOutputBytes { try r.checkOutputLimit(at: position) }
        }
    }

    private mutating func compileSet(targets: [String], value: Expression) -> Execute {
        let compute = compileExpression(value)
        let bindings: [(name: String, id: Int, slot: (hops: Int, slot: Int)?)] = targets.map { ($0, SymbolTable.id($0), resolve($0)) }
        return { r in
            let v = try compute(r)
            for binding in bindings {
                if let slot = binding.slot { r.setLocal(slot, v) }
                r.frame.assign(binding.id, v)
                if r.frame.isTopLevel {
                    r.context.variables[binding.name] = v
                    if !binding.name.hasPrefix("_") { r.context.addExport(binding.name) }
                }
            }
        }
    }

    private mutating func compileSwitch(_ subject: Expression, cases: [(Expression, [Statement])], defaultBody: [Statement]?) -> Execute {
        let value = compileExpression(subject)
        let compiled: [(test: Evaluate, body: Execute, breaks: Bool)] = cases.map { (compileExpression($0.0), compileBody($0.1), !$0.1.isEmpty) }
        let fallback = defaultBody.map { compileBody($0) }
        return { r in
            let v = try value(r)
            var start: Int?
            for (i, c) in compiled.enumerated() where Value.strictEquals(v, try c.test(r)) {
                start = i
                break
            }
            if let start {
                for c in compiled[start...] {
                    try c.body(r)
                    if c.breaks { return }
                }
            }
            try fallback?(r)
        }
    }
}

extension Renderer {
    @inline(__always)
    func local(_ address: (hops: Int, slot: Int)) -> Value {
        var l = locals
        var h = address.hops
        while h > 0 { l = l.parent!; h -= 1 }
        return l[address.slot]
    }

    @inline(__always)
    func setLocal(_ address: (hops: Int, slot: Int), _ value: Value) {
        var l = locals
        var h = address.hops
        while h > 0 { l = l.parent!; h -= 1 }
        l[address.slot] = value
    }
}
