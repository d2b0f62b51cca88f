extension Compiler {
    mutating func compileInclude(_ name: Expression, ignoreMissing: Bool, position: Position) -> Execute {
        let nameValue = compileExpression(name)
        return { r in
            guard let template = try r.loadTemplate(try nameValue(r), at: position, ignoreMissing: ignoreMissing) else { return }
            let context = r.newContext(variables: r.context.variables, template: template)
            let frame = r.frame.push(isolatesWrites: true)
            frame.isTopLevel = true
            try r.nested(at: position) { try r.runRoot(template, context: context, frame: frame) }
        }
    }

    mutating func compileImport(_ name: Expression, target: String, withContext: Bool, position: Position) -> Execute {
        let nameValue = compileExpression(name)
        let store = compileBinding(target)
        return { r in
            let template = try r.loadTemplate(try nameValue(r), at: position, ignoreMissing: false)!
            let exported = try r.exports(of: template, withContext: withContext, at: position)
            store(r, .object(exported))
        }
    }

    mutating func compileFromImport(_ name: Expression, names: [(name: String, alias: String)], withContext: Bool, position: Position) -> Execute {
        let nameValue = compileExpression(name)
        let stores = names.map { (name: $0.name, store: compileBinding($0.alias)) }
        return { r in
            let template = try r.loadTemplate(try nameValue(r), at: position, ignoreMissing: false)!
            let exported = try r.exports(of: template, withContext: withContext, at: position)
            for entry in stores {
                guard let value = exported[entry.name] else {
                    throw r.error("cannot import '\(entry.name)'", at: position)
                }
                entry.store(r, value)
            }
        }
    }

    /// Where `import`/`from` put a name: a local slot, plus the frame when
    /// nested, else the context.
    private mutating func compileBinding(_ name: String) -> (Renderer, Value) -> Void {
        let slot = bind(name)
        let nested = isNestedScope
        let id = SymbolTable.id(name)
        return { r, value in
            r.locals[slot] = value
            if nested { r.frame.set(id, value) } else { r.context.variables[name] = value }
        }
    }

    mutating func compileExtends(_ name: Expression, position: Position) -> Execute {
        let nameValue = compileExpression(name)
        return { r in
            let parent = try r.loadTemplate(try nameValue(r), at: position, ignoreMissing: false)!
            r.parentTemplate = parent
            r.parentPosition = position
            for block in parent.blocks {
                r.context.blocks[block.definition.name, default: []].append(BlockReference(block: block, template: parent))
            }
        }
    }

    mutating func compileBlockCall(_ definition: BlockDefinition) -> Execute {
        let topLevel = !inBlock
        let name = definition.name
        let position = definition.position
        return { r in
            if topLevel && r.parentTemplate != nil { return }
            guard let reference = r.context.blocks[name]?.first else {
                throw r.error("unknown block \"\(name)\"", at: position)
            }
            try r.runBlock(reference, frame: r.frame, at: position)
        }
    }
}

extension Renderer {
    func newContext(variables: PropertyTable, template: CompiledTemplate) -> RenderContext {
        let context = RenderContext(variables: variables, template: template)
        contexts.append(context)
        return context
    }

    /// Resolves a template name from a tag, relative to the current template.
    func loadTemplate(_ nameValue: Value, at position: Position, ignoreMissing: Bool) throws -> CompiledTemplate? {
        guard case .string(let name) = nameValue else {
            throw error("template names must be a string: \(nameValue.jsString)", at: position)
        }
        let key = template.name + "\u{0}" + name
        if let cached = templateCache[key] { return cached }
        let loaded: CompiledTemplate?
        do {
            loaded = try environment.compiledTemplate(name, relativeTo: template.name)
        } catch var e as TemplateError {
            e.addCaller(templateName: template.name, line: position.line, column: position.column)
            throw e
        } catch {
            throw self.error("could not load template \(name): \(error)", at: position)
        }
        guard let loaded else {
            if ignoreMissing { return nil }
            throw error("template not found: \(name)", at: position)
        }
        noteLoaded(loaded.name)
        templateCache[key] = loaded
        return loaded
    }

    /// Runs `body` one level deeper; errors from inside name this call site.
    func nested(at position: Position, _ body: () throws -> Void) throws {
        try enter(at: position)
        defer { depth -= 1 }
        let callerName = template.name
        do {
            try body()
        } catch var e as TemplateError {
            e.addCaller(templateName: callerName, line: position.line, column: position.column)
            throw e
        }
    }

    /// A template's top level, then its parent's if it extended one (the
    /// child's own output is discarded, as in Nunjucks).
    func runRoot(_ t: CompiledTemplate, context: RenderContext, frame: Frame) throws {
        let saved = (template, self.context, self.frame, locals, parentTemplate, parentPosition, currentBlock, currentSuper)
        defer { (template, self.context, self.frame, locals, parentTemplate, parentPosition, currentBlock, currentSuper) = saved }
        template = t
        self.context = context
        self.frame = frame
        locals = Locals.make(count: t.rootSlots, parent: nil)
        parentTemplate = nil
        currentBlock = nil
        let mark = buffer.count
        try t.root(self)
        if let parent = parentTemplate {
            buffer.truncate(to: mark)
            try nested(at: parentPosition) { try runRoot(parent, context: context, frame: frame) }
        }
    }

    func runBlock(_ reference: BlockReference, frame: Frame, at position: Position) throws {
        let saved = (template, self.frame, locals, currentBlock, currentSuper)
        defer { (template, self.frame, locals, currentBlock, currentSuper) = saved }
        try nested(at: position) {
            template = reference.template
            self.frame = frame.push(isolatesWrites: true)
            locals = Locals.make(count: reference.block.slots, parent: nil)
            currentBlock = reference.block.definition
            currentSuper = .undefined
            if reference.block.definition.liftsSuper {
                let name = reference.block.definition.name
                let chain = context.blocks[name] ?? []
                guard let index = chain.firstIndex(where: { $0.block === reference.block }), index + 1 < chain.count else {
                    throw error("no super block available for \"\(name)\"", at: reference.block.definition.position)
                }
                let blockFrame = self.frame
                let text = try capture { try runBlock(chain[index + 1], frame: blockFrame, at: reference.block.definition.position) }
                currentSuper = .safe(text)
            }
            try reference.block.body(self)
        }
    }

    /// `template.getExported`: runs the template's top level for its exports.
    func exports(of t: CompiledTemplate, withContext: Bool, at position: Position) throws -> JSObject {
        let context = newContext(variables: withContext ? self.context.variables : PropertyTable(), template: t)
        let frame = withContext ? self.frame.push() : Frame()
        frame.isTopLevel = true
        _ = try capture {
            try nested(at: position) { try runRoot(t, context: context, frame: frame) }
        }
        return context.exports()
    }
}
