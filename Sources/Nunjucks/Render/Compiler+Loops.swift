extension Compiler {
    /// `{% for %}`: arrays by index (live length, as JS does), objects by key
    /// for `k, v` targets, strings by UTF-16 unit; anything else runs `else`.
    mutating func compileFor(targets: [String], iterable: Expression, body: [Statement], otherwise: [Statement]?, position: Position) -> Execute {
        let items = compileExpression(iterable)
        let saved = scope
        scope = CompileScope(parent: scope, function: scope.function)
        let slots = targets.map { bind($0) }
        let ids = targets.map { SymbolTable.id($0) }
        let slotBindings = zip(ids, slots).map { SlotBinding(id: $0.0, slot: $0.1) }
        let run = compileBody(body)
        let fallback = otherwise.map { compileBody($0) }
        scope = saved
        let isTuple = targets.count > 1

        return { r in
            let outer = r.frame
            var frame = r.framePool.make(parent: outer, isolatesWrites: false)
            r.frame = frame
            defer {
                r.frame = outer
                r.framePool.recycle(&frame)
            }
            let value = try items(r)
            var length: Int?
            // The loop variables live in slots; the frame shows them by name
            // from the first iteration on, as Nunjucks's `frame.set` would.
            let locals = r.locals
            var bound = false

            func iterate(_ index: Int, _ count: Int, bind: () -> Void) throws {
                r.iterations += 1
                if r.iterations > r.options.limits.maxLoopIterations {
                    throw r.error("loop limit exceeded (more than \(r.options.limits.maxLoopIterations) iterations)", at: position)
                }
                if !bound {
                    frame.bindSlots(slotBindings, in: locals)
                    bound = true
                }
                bind()
                frame.loop = LoopState(index0: index, length: count)
                try run(r)
            }
            @inline(__always)
            func bindOne(_ i: Int, _ v: Value) {
                locals[slots[i]] = v
            }

            if value.isTruthy {
                var array: JSArray?
                switch value {
                case .array(let a): array = a
                case .safe(let s): array = JSArray(s.unicodeScalars.map { .string(String($0)) })
                default: break
                }
                if let array {
                    let count = array.elements.count
                    length = count
                    var i = 0
                    while i < array.elements.count {
                        let element = array.elements[i]
                        try iterate(i, count) {
                            if isTuple {
                                for u in 0..<ids.count { bindOne(u, element.member(.number(Double(u)))) }
                            } else {
                                bindOne(0, element)
                            }
                        }
                        i += 1
                    }
                } else if isTuple {
                    var pairs: [(String, Value)] = []
                    switch value {
                    case .object(let o): pairs = o.entries.map { ($0.key, $0.value) }
                    case .string(let s): pairs = s.utf16.enumerated().map { (String($0.offset), .string(String(decoding: [$0.element], as: UTF16.self))) }
                    default: break
                    }
                    length = pairs.count
                    for (i, pair) in pairs.enumerated() {
                        try iterate(i, pairs.count) {
                            bindOne(0, .string(pair.0))
                            bindOne(1, pair.1)
                            for u in 2..<max(2, ids.count) { bindOne(u, .undefined) }
                        }
                    }
                } else if case .string(let s) = value {
                    let units = Array(s.utf16)
                    length = units.count
                    for (i, unit) in units.enumerated() {
                        try iterate(i, units.count) { bindOne(0, .string(String(decoding: [unit], as: UTF16.self))) }
                    }
                }
            }
            if let fallback, (length ?? 0) == 0 { try fallback(r) }
        }
    }
}
