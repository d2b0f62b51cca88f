import Nunjucks
import YAML

extension Value {
    /// Mappings with the same keys (the front matter of a site's pages)
    /// share one key list.
    static let yamlShapes = JSObjectShapes()

    /// A YAML tree as template data. Mappings keep their order (then JS key
    /// order); timestamps stay the text written (see `PageDate`).
    public init(yaml node: YAMLNode) {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.value {
            case .null: self = .null
            case .bool(let b): self = .bool(b)
            case .int(let i): self = .number(Double(i))
            case .float(let d): self = .number(d)
            case .string(let s): self = .string(s)
            case .timestamp(let t): self = .string(t.text)
            }
        case .sequence(let items):
            self = .array(JSArray(items.map { Value(yaml: $0) }))
        case .mapping(let pairs):
            let object = JSObject()
            for pair in pairs {
                object[Value(yaml: pair.key).jsString] = Value(yaml: pair.value)
            }
            self = .object(Value.yamlShapes.sharingKeys(object))
        }
    }
}
