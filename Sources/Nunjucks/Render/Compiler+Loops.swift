extension Compiler {
    /// `{% for %}`: arrays by index (live length, as JS does), objects by key
    /// for `k, v` targets, strings by UTF-16 unit; anything else runs `else`.
    mutating func compileFor(targets: [String], iterable: Expression, body: [Statement], otherwise: [Statement]?, position: Position) -> Execute {
        let items = compileExpression(iterable)
        let saved = scope
        scope = CompileScope(parent: scope, function: scope.function)
        let slots = targets.map { bind($0) }
        let ids = targets.map { SymbolTable.id($0) }
        let loop = LoopCode(slots: slots, bindings: zip(ids, slots).map { SlotBinding(id: $0.0, slot: $0.1) },
                            body: compileBody(body), position: position)
        let fallback = otherwise.map { compileBody($0) }
        scope = saved

        return { r in
            let outer = r.frame
            var frame = r.framePool.make(parent: outer, isolatesWrites: false)
            r.frame = frame
            let count: Int
            do {
                count = try r.runLoop(loop, over: try items(r), in: frame)
                if let fallback, count == 0 { try fallback(r) }
            } catch {
                r.frame = outer
                throw error
            }
            r.frame = outer
            r.framePool.recycle(&frame)
        }
    }
}

/// A compiled `for` loop: its variables' slots (and ids), and its body.
final class LoopCode {
    let slots: [Int]
    let bindings: [SlotBinding]
    let body: Execute
    let position: Position
    var isTuple: Bool { slots.count > 1 }

    init(slots: [Int], bindings: [SlotBinding], body: @escaping Execute, position: Position) {
        self.slots = slots
        self.bindings = bindings
        self.body = body
        self.position = position
    }
}

extension Renderer {
    /// Runs `loop` over `value` in `frame`; returns how many items there
    /// were (none runs the `else` body). The loop variables live in slots;
    /// the frame shows them by name from the first iteration on, as
    /// Nunjucks's `frame.set` would.
    func runLoop(_ loop: LoopCode, over value: Value, in frame: Frame) throws -> Int {
        guard value.isTruthy else { return 0 }
        let locals = self.locals
        switch value {
        case .array(let array):
            return try runLoop(loop, over: array, in: frame, locals: locals)
        case .safe(let s):
            return try runLoop(loop, over: JSArray(s.unicodeScalars.map { .string(String($0)) }), in: frame, locals: locals)
        case .object(let object) where loop.isTuple:
            let pairs = object.entries
            for (i, pair) in pairs.enumerated() {
                try startIteration(loop, i, pairs.count, frame, locals)
                locals[loop.slots[0]] = .string(pair.key)
                locals[loop.slots[1]] = pair.value
                for u in 2..<max(2, loop.slots.count) { locals[loop.slots[u]] = .undefined }
                try loop.body(self)
            }
            return pairs.count
        case .string(let s) where loop.isTuple:
            let units = Array(s.utf16)
            for (i, unit) in units.enumerated() {
                try startIteration(loop, i, units.count, frame, locals)
                locals[loop.slots[0]] = .string(String(i))
                locals[loop.slots[1]] = .string(String(decoding: [unit], as: UTF16.self))
                for u in 2..<max(2, loop.slots.count) { locals[loop.slots[u]] = .undefined }
                try loop.body(self)
            }
            return units.count
        case .string(let s):
            let units = Array(s.utf16)
            for (i, unit) in units.enumerated() {
                try startIteration(loop, i, units.count, frame, locals)
                locals[loop.slots[0]] = .string(String(decoding: [unit], as: UTF16.self))
                try loop.body(self)
            }
            return units.count
        default:
            return 0
        }
    }

    /// Arrays by index, re-reading the length each time (a body may push).
    private func runLoop(_ loop: LoopCode, over array: JSArray, in frame: Frame, locals: Locals) throws -> Int {
        let count = array.elements.count
        var i = 0
        while i < array.elements.count {
            try startIteration(loop, i, count, frame, locals)
            if loop.isTuple {
                let element = array.elements[i]
                for u in 0..<loop.slots.count { locals[loop.slots[u]] = element.member(.number(Double(u))) }
            } else {
                locals[loop.slots[0]] = array.elements[i]
            }
            try loop.body(self)
            i += 1
        }
        return count
    }

    @inline(__always)
    private func startIteration(_ loop: LoopCode, _ index: Int, _ count: Int, _ frame: Frame, _ locals: Locals) throws {
        iterations += 1
        if iterations > options.limits.maxLoopIterations {
            throw error("loop limit exceeded (more than \(options.limits.maxLoopIterations) iterations)", at: loop.position)
        }
        if index == 0 { frame.bindSlots(loop.bindings, in: locals) }
        frame.loop = LoopState(index0: index, length: count)
    }
}
