/// Evaluates an expression against the running render.
typealias Evaluate = (Renderer) throws -> Value
/// Runs a statement against the running render.
typealias Execute = (Renderer) throws -> Void

/// A compiled closure held in a class field. Closures kept in arrays are
/// stored at the most general calling convention and, once taken out, are
/// called through reabstraction thunks; a concrete field avoids that.
final class ExecuteBox {
    let run: Execute
    init(_ run: @escaping Execute) { self.run = run }
}

/// An expression closure held in a class field (see `ExecuteBox`).
final class EvaluateBox {
    let run: Evaluate
    init(_ run: @escaping Evaluate) { self.run = run }
}

/// A template parsed and compiled to closures; shared by every render.
final class CompiledTemplate: @unchecked Sendable {
    let name: String
    let source: String
    let root: Execute
    let rootSlots: Int
    let blocks: [CompiledBlock]

    init(name: String, source: String, root: @escaping Execute, rootSlots: Int, blocks: [CompiledBlock]) {
        self.name = name
        self.source = source
        self.root = root
        self.rootSlots = rootSlots
        self.blocks = blocks
    }
}

/// One `{% block %}`, compiled as its own function.
final class CompiledBlock: @unchecked Sendable {
    let definition: BlockDefinition
    let body: Execute
    let slots: Int

    init(definition: BlockDefinition, body: @escaping Execute, slots: Int) {
        self.definition = definition
        self.body = body
        self.slots = slots
    }
}

/// A block and the template it came from, as a render context lists them.
struct BlockReference {
    let block: CompiledBlock
    let template: CompiledTemplate
}

/// Nunjucks's `Context`: the variables of one template render (a copy of
/// the includer's for includes), its blocks by name (child first), and the
/// names it exports to `import`.
final class RenderContext {
    @exclusivity(unchecked) var variables: PropertyTable
    @exclusivity(unchecked) var blocks: [String: [BlockReference]] = [:]
    @exclusivity(unchecked) var exported: [String] = []

    init(variables: PropertyTable, template: CompiledTemplate) {
        self.variables = variables
        for block in template.blocks {
            blocks[block.definition.name, default: []].append(BlockReference(block: block, template: template))
        }
    }

    func addExport(_ name: String) {
        if !exported.contains(name) { exported.append(name) }
    }

    /// `context.getExported()`.
    func exports() -> JSObject {
        let object = JSObject()
        for name in exported { object[name] = variables[name] ?? .undefined }
        return object
    }
}
