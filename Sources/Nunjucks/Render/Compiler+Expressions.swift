import Foundation

extension Compiler {
    mutating func compileExpression(_ expression: Expression) -> Evaluate {
        switch expression {
        case .literal(let value, _):
            return { _ in value }
        case .symbol(let name, _):
            if let address = resolve(name) {
                if address.hops == 0 {
                    let slot = address.slot
                    return { r in r.locals[slot] }
                }
                return { r in r.local(address) }
            }
            let id = SymbolTable.id(name)
            let property = PropertyName(name)
            return { r in r.lookup(id, property) }
        case .array(let items, _):
            let elements = items.map { compileExpression($0) }
            return { r in .array(JSArray(try elements.map { try $0(r) })) }
        case .dict(let pairs, _):
            let entries = pairs.map { (key: $0.key, value: compileExpression($0.value)) }
            return { r in
                let object = JSObject()
                for entry in entries { object[entry.key] = try entry.value(r) }
                return .object(object)
            }
        case .group(let items, _):
            let parts = items.map { compileExpression($0) }
            return { r in
                var last = Value.undefined
                for part in parts { last = try part(r) }
                return last
            }
        case .member(.symbol("loop", _), .literal(.string(let field), _), _) where resolve("loop") == nil:
            let loop = PropertyName("loop")
            return { r in r.frame.lookupLoopField(field) ?? r.contextLookup(loop).member(.string(field)) }
        case .member(let target, .literal(.string(let key), _), _):
            let object = compileExpression(target)
            let name = PropertyName(key)
            return { r in try object(r).member(name) }
        case .member(let target, .literal(let key, _), _):
            let object = compileExpression(target)
            return { r in try object(r).member(key) }
        case .member(let target, let key, _):
            let object = compileExpression(target)
            let property = compileExpression(key)
            return { r in
                let o = try object(r)
                return o.member(try property(r))
            }
        case .call(let callee, let arguments, let name, let position):
            return compileCall(callee, arguments, name: name, position: position)
        case .filter(let name, let input, let arguments, let position):
            return compileFilter(name, input, arguments, position: position)
        case .unary(let op, let operand, _):
            let value = compileExpression(operand)
            switch op {
            case .not: return { r in .bool(!(try value(r).isTruthy)) }
            case .negate: return { r in .number(-(try value(r).primitive.jsNumber)) }
            case .plus: return { r in .number(try value(r).primitive.jsNumber) }
            }
        case .binary(let op, let left, let right, let position):
            return compileBinary(op, left, right, position: position)
        case .compare(let first, let rest, _):
            // `x is test` parses as `test(x) === true`; a test always yields a boolean.
            if rest.count == 1, case .strictEqual = rest[0].0, case .literal(.bool(true), _) = rest[0].1, case .test = first {
                return compileExpression(first)
            }
            let head = compileExpression(first)
            if rest.count == 1 {
                let op = rest[0].0
                let other = compileExpression(rest[0].1)
                return { r in
                    let a = try head(r)
                    return .bool(Compiler.compare(op, a, try other(r)))
                }
            }
            let tail = rest.map { (op: $0.0, value: EvaluateBox(compileExpression($0.1))) }
            return { r in
                var result = try head(r)
                for step in tail {
                    let b = try step.value.run(r)
                    result = .bool(Compiler.compare(step.op, result, b))
                }
                return result
            }
        case .test(let subject, let name, let arguments, let position):
            let value = compileExpression(subject)
            let args = compileArguments(arguments ?? CallArguments())
            let testID = NameInterner.tests.id(name)
            return { r in
                guard let test = r.registry.testTable[testID] else {
                    throw r.error("unknown test \"\(name)\"", at: position)
                }
                let v = try value(r)
                let a = try args(r)
                do {
                    return .bool(try test.call(v, a, r))
                } catch {
                    throw r.positioned(error, at: position)
                }
            }
        case .conditional(let condition, let then, let otherwise, _):
            let test = compileExpression(condition)
            let yes = compileExpression(then)
            let no = otherwise.map { compileExpression($0) }
            return { r in
                if try test(r).isTruthy { return try yes(r) }
                return try no?(r) ?? .string("")
            }
        case .capture(let body, _):
            let run = compileBody(body)
            return { r in .string(try r.capture { try run(r) }) }
        case .caller(let definition):
            return compileCaller(definition)
        case .superOutput(let block, _):
            let hidden = SymbolTable.id("super:" + block.name)
            return { r in
                if r.currentBlock === block { return r.currentSuper }
                return r.frame.lookup(hidden) ?? .undefined
            }
        }
    }

    static func compare(_ op: CompareOperator, _ a: Value, _ b: Value) -> Bool {
        switch op {
        case .equal: return Value.looseEquals(a, b)
        case .notEqual: return !Value.looseEquals(a, b)
        case .strictEqual: return Value.strictEquals(a, b)
        case .strictNotEqual: return !Value.strictEquals(a, b)
        case .less: return Value.lessThan(a, b)
        case .greater: return Value.lessThan(b, a)
        case .lessOrEqual: return Value.lessThanOrEqual(a, b)
        case .greaterOrEqual: return Value.lessThanOrEqual(b, a)
        }
    }

    private mutating func compileBinary(_ op: BinaryOperator, _ left: Expression, _ right: Expression, position: Position) -> Evaluate {
        let a = compileExpression(left)
        let b = compileExpression(right)
        switch op {
        case .or: return { r in let x = try a(r); return x.isTruthy ? x : try b(r) }
        case .and: return { r in let x = try a(r); return x.isTruthy ? try b(r) : x }
        case .add: return { r in Value.jsAdd(try a(r), try b(r)) }
        case .concat: return { r in Value.jsAdd(Value.jsAdd(try a(r), .string("")), try b(r)) }
        case .subtract: return { r in .number(try a(r).primitive.jsNumber - b(r).primitive.jsNumber) }
        case .multiply: return { r in .number(try a(r).primitive.jsNumber * b(r).primitive.jsNumber) }
        case .divide: return { r in .number(try a(r).primitive.jsNumber / b(r).primitive.jsNumber) }
        case .modulo:
            return { r in .number((try a(r).primitive.jsNumber).truncatingRemainder(dividingBy: try b(r).primitive.jsNumber)) }
        case .floorDivide:
            return { r in .number(((try a(r).primitive.jsNumber) / (try b(r).primitive.jsNumber)).rounded(.down)) }
        case .power:
            return { r in .number(Compiler.jsPow(try a(r).primitive.jsNumber, try b(r).primitive.jsNumber)) }
        case .in:
            return { r in
                let key = try a(r)
                let container = try b(r)
                do {
                    return .bool(try Compiler.jsIn(key, container))
                } catch {
                    throw r.positioned(error, at: position)
                }
            }
        }
    }

    /// `Math.pow`, which differs from C `pow` for NaN exponents and ±1 bases.
    static func jsPow(_ x: Double, _ y: Double) -> Double {
        if y.isNaN { return .nan }
        if y == 0 { return 1 }
        if (x == 1 || x == -1) && y.isInfinite { return .nan }
        return pow(x, y)
    }

    /// `runtime.inOperator`.
    static func jsIn(_ key: Value, _ container: Value) throws -> Bool {
        switch container {
        case .array(let a): return a.elements.contains { Value.strictEquals($0, key) }
        case .string(let s), .safe(let s):
            let needle = key.jsString
            return needle.isEmpty || s.contains(needle)
        case .object(let o): return o[key.jsString] != nil
        default:
            throw RuntimeError("Cannot use \"in\" operator to search for \"\(key.jsString)\" in unexpected types.")
        }
    }

    mutating func compileArguments(_ arguments: CallArguments) -> (Renderer) throws -> Arguments {
        let positional = arguments.positional.map { EvaluateBox(compileExpression($0)) }
        return assembleArguments(arguments, positional: positional)
    }

    /// The argument-list closure over positional arguments already compiled.
    mutating func assembleArguments(_ arguments: CallArguments, positional: [EvaluateBox]) -> (Renderer) throws -> Arguments {
        let keywords = arguments.keywords.map { (name: $0.name, value: EvaluateBox(compileExpression($0.value))) }
        if keywords.isEmpty {
            if positional.isEmpty { return { _ in Arguments() } }
            // Literal-only argument lists are built once, not per call.
            let constants = arguments.positional.compactMap { expression -> Value? in
                if case .literal(let value, _) = expression { return value }
                return nil
            }
            if constants.count == positional.count {
                let fixed = Arguments(constants)
                return { _ in fixed }
            }
            switch positional.count {
            case 1:
                let a = positional[0].run
                return { r in Arguments([try a(r)]) }
            case 2:
                let a = positional[0].run, b = positional[1].run
                return { r in Arguments([try a(r), try b(r)]) }
            case 3:
                let a = positional[0].run, b = positional[1].run, c = positional[2].run
                return { r in Arguments([try a(r), try b(r), try c(r)]) }
            default: break
            }
            return { r in Arguments(try positional.map { try $0.run(r) }) }
        }
        return { r in
            Arguments(try positional.map { try $0.run(r) }, keywords: try keywords.map { ($0.name, try $0.value.run(r)) })
        }
    }

    mutating func compileCall(_ callee: Expression, _ arguments: CallArguments, name: String, position: Position) -> Evaluate {
        let function = compileExpression(callee)
        let args = compileArguments(arguments)
        return { r in try Compiler.call(try function(r), args, r, name: name, position: position) }
    }

    /// `runtime.callWrap`: calls `value` or explains why it cannot be called.
    static func call(_ value: Value, _ args: (Renderer) throws -> Arguments, _ r: Renderer, name: String, position: Position) throws -> Value {
        guard case .function(let f) = value else {
            if value.isTruthy {
                throw r.error("Unable to call `\(name)`, which is not a function", at: position)
            }
            throw r.error("Unable to call `\(name)`, which is undefined or falsey", at: position)
        }
        let a = try args(r)
        do {
            return try f.call(a)
        } catch var e as TemplateError {
            if f.isMacro { e.addCaller(templateName: r.template.name, line: position.line, column: position.column) }
            throw e
        } catch {
            throw r.positioned(error, at: position)
        }
    }

    /// `{{ f(args) }}`: a macro renders straight into the output.
    mutating func compileCallOutput(_ callee: Expression, _ arguments: CallArguments, name: String, callPosition: Position, position: Position) -> Execute {
        let function = compileExpression(callee)
        let positional = arguments.positional.map { EvaluateBox(compileExpression($0)) }
        let args = assembleArguments(arguments, positional: positional)
        /// Not a macro: call it and write what it returns.
        func callAndWrite(_ value: Value, _ r: Renderer) throws {
            let v = try Compiler.call(value, args, r, name: name, position: callPosition)
            if r.options.throwOnUndefined, v.isNullish {
                throw r.error("attempted to output null or undefined value", at: position)
            }
            r.write(v)
        }
        func run(_ r: Renderer, _ call: () throws -> Value) throws {
            do {
                _ = try call()
            } catch var e as TemplateError {
                e.addCaller(templateName: r.template.name, line: callPosition.line, column: callPosition.column)
                throw e
            }
            if r.bytesWritten > r.options.limits.maxOutputBytes { try r.checkOutputLimit(at: position) }
        }
        // One or two positional arguments go to the macro without an array.
        if arguments.keywords.isEmpty && (positional.count == 1 || positional.count == 2) {
            let first = positional[0].run
            let second = positional.count == 2 ? positional[1].run : nil
            let count = positional.count
            return { r in
                let value = try function(r)
                guard case .function(let f) = value, let binding = f.macroBinding as? MacroBinding else {
                    return try callAndWrite(value, r)
                }
                guard binding.code.parameterSlots.count >= count else {
                    let a = try args(r)
                    return try run(r) { try r.invokeMacro(binding, a, streaming: true) }
                }
                let a = try first(r)
                let b = try second.map { try $0(r) }
                try run(r) { try r.invokeMacro(binding, a, b, streaming: true) }
            }
        }
        return { r in
            let value = try function(r)
            guard case .function(let f) = value, let binding = f.macroBinding as? MacroBinding else {
                return try callAndWrite(value, r)
            }
            let a = try args(r)
            try run(r) { try r.invokeMacro(binding, a, streaming: true) }
        }
    }

    private mutating func compileFilter(_ name: String, _ input: Expression, _ arguments: CallArguments, position: Position) -> Evaluate {
        let value = compileExpression(input)
        let args = compileArguments(arguments)
        let filterID = NameInterner.filters.id(name)
        return { r in
            guard let filter = r.registry.filterTable[filterID] else {
                throw r.error("unknown filter \"\(name)\"", at: position)
            }
            let v = try value(r)
            let a = try args(r)
            do {
                return try filter.call(v, a, r)
            } catch {
                throw r.positioned(error, at: position)
            }
        }
    }
}
