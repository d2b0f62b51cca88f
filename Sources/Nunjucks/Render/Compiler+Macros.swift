/// A compiled macro or call body (a class: a call reads it without
/// copying, and so without retaining, each field).
final class MacroCode {
    let definition: MacroDefinition
    let body: Execute
    let slots: Int
    let parameterIDs: [Int]
    let parameterSlots: [Int]
    /// The parameters as the macro's frame shows them by name.
    let parameterBindings: [SlotBinding]
    let defaults: [(name: String, id: Int, value: Evaluate)]

    init(definition: MacroDefinition, body: @escaping Execute, slots: Int, parameterIDs: [Int], parameterSlots: [Int],
         parameterBindings: [SlotBinding], defaults: [(name: String, id: Int, value: Evaluate)]) {
        self.definition = definition
        self.body = body
        self.slots = slots
        self.parameterIDs = parameterIDs
        self.parameterSlots = parameterSlots
        self.parameterBindings = parameterBindings
        self.defaults = defaults
    }
}

/// A macro value's closure: its code and what it was defined with.
final class MacroBinding {
    let code: MacroCode
    let context: RenderContext
    let template: CompiledTemplate
    let callerFrame: Frame?
    let callerLocals: Locals?

    init(code: MacroCode, context: RenderContext, template: CompiledTemplate, callerFrame: Frame?, callerLocals: Locals?) {
        self.code = code
        self.context = context
        self.template = template
        self.callerFrame = callerFrame
        self.callerLocals = callerLocals
    }
}

extension Compiler {
    /// Compiles a macro body as its own function. Call bodies (`keepsFrame`)
    /// see the definer's bindings; macros see only the context.
    mutating func compileMacro(_ definition: MacroDefinition, keepsFrame: Bool) -> MacroCode {
        let saved = scope
        scope = keepsFrame
            ? CompileScope(parent: scope, function: FunctionScope(parent: scope.function))
            : CompileScope(parent: nil, function: FunctionScope(parent: nil))
        let parameterSlots = definition.parameters.map { bind($0) }
        let defaults = definition.defaults.map { (name: $0.name, id: SymbolTable.id($0.name), value: compileExpression($0.value)) }
        let body = compileBody(definition.body)
        let slots = scope.function.slotCount
        scope = saved
        let parameterIDs = definition.parameters.map { SymbolTable.id($0) }
        return MacroCode(definition: definition, body: body, slots: slots,
                         parameterIDs: parameterIDs, parameterSlots: parameterSlots,
                         parameterBindings: zip(parameterIDs, parameterSlots).map { SlotBinding(id: $0.0, slot: $0.1) },
                         defaults: defaults)
    }

    mutating func compileMacroDefinition(_ definition: MacroDefinition) -> Execute {
        let code = compileMacro(definition, keepsFrame: false)
        let slot = bind(definition.name)
        let nested = isNestedScope
        let name = definition.name
        let id = SymbolTable.id(name)
        return { r in
            let macro = r.makeMacro(code, callerFrame: nil, callerLocals: nil)
            r.locals[slot] = macro
            if nested {
                r.frame.set(id, macro)
            } else {
                if !name.hasPrefix("_") { r.context.addExport(name) }
                r.context.variables[name] = macro
            }
        }
    }

    mutating func compileCaller(_ definition: MacroDefinition) -> Evaluate {
        let code = compileMacro(definition, keepsFrame: true)
        return { r in r.makeMacro(code, callerFrame: r.frame, callerLocals: r.locals) }
    }
}

extension Renderer {
    func makeMacro(_ code: MacroCode, callerFrame: Frame?, callerLocals: Locals?) -> Value {
        let binding = MacroBinding(code: code, context: context, template: template, callerFrame: callerFrame, callerLocals: callerLocals)
        let function = JSFunction(name: code.definition.name, isMacro: true) { [weak self] arguments in
            guard let renderer = self else { throw RuntimeError("macro \(code.definition.name) called after its render finished") }
            return try renderer.invokeMacro(binding, arguments, streaming: false)
        }
        function.macroBinding = binding
        return .function(function)
    }

    /// Runs a macro as Nunjucks's `makeMacro` wrapper does: positionals fill
    /// parameters then defaults; keywords fill what positionals left.
    /// `streaming` renders into the current output and returns undefined.
    func invokeMacro(_ binding: MacroBinding, _ arguments: Arguments, streaming: Bool) throws -> Value {
        let code = binding.code
        let positional = arguments.positional
        let parameterCount = code.parameterSlots.count
        if arguments.keywords.isEmpty && positional.count <= parameterCount {
            // The common call: positionals only, no more than the parameters.
            return try runMacro(binding, keywords: nil, streaming: streaming) { locals in
                for i in 0..<positional.count { locals[code.parameterSlots[i]] = positional[i] }
            }
        }
        // Parameters: positionals in order, then keywords by name; extra
        // positionals fill the defaults in order.
        var named: [String: Value] = [:]
        for (k, v) in arguments.keywords { named[k] = v }
        var values: [Value] = []
        values.reserveCapacity(parameterCount)
        for i in 0..<parameterCount {
            values.append(i < positional.count ? positional[i] : named.removeValue(forKey: code.definition.parameters[i]) ?? .undefined)
        }
        if positional.count > parameterCount {
            for (i, extra) in positional[parameterCount...].enumerated() where i < code.defaults.count {
                named[code.defaults[i].name] = extra
            }
        }
        return try runMacro(binding, keywords: named, streaming: streaming) { locals in
            for i in 0..<parameterCount { locals[code.parameterSlots[i]] = values[i] }
        }
    }

    /// Calls a macro with one or two positional arguments already evaluated
    /// (no argument array), when it has at least that many parameters.
    @inline(__always)
    func invokeMacro(_ binding: MacroBinding, _ first: Value, _ second: Value?, streaming: Bool) throws -> Value {
        let slots = binding.code.parameterSlots
        return try runMacro(binding, keywords: nil, streaming: streaming) { locals in
            locals[slots[0]] = first
            if let second { locals[slots[1]] = second }
        }
    }

    /// The body of a macro call: a fresh frame and locals (`fill` sets the
    /// parameters), the defaults, then the body in the macro's context.
    private func runMacro(_ binding: MacroBinding, keywords: [String: Value]?, streaming: Bool, fill: (Locals) -> Void) throws -> Value {
        let code = binding.code
        try enter(at: code.definition.position)
        defer { depth -= 1 }
        var frame = binding.callerFrame.map { framePool.make(parent: $0, isolatesWrites: true) }
            ?? framePool.make(parent: nil, isolatesWrites: false)
        let locals = Locals.make(count: code.slots, parent: binding.callerLocals)
        fill(locals)
        frame.bindSlots(code.parameterBindings, in: locals)

        let saved = (self.frame, self.locals, context, template, currentBlock, currentSuper)
        self.frame = frame
        self.locals = locals
        context = binding.context
        template = binding.template
        currentBlock = nil
        defer {
            (self.frame, self.locals, context, template, currentBlock, currentSuper) = saved
            framePool.recycle(&frame)
        }

        if let caller = keywords?["caller"], !code.parameterIDs.contains(SymbolTable.caller) {
            frame.set(SymbolTable.caller, caller)
        }
        for d in code.defaults {
            let v = try keywords?[d.name] ?? d.value(self)
            frame.set(d.id, v)
        }
        if streaming {
            try code.body(self)
            return .undefined
        }
        let text = try capture { try code.body(self) }
        return .safe(text)
    }
}
