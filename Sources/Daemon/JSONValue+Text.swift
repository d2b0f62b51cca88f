import Nunjucks

/// JSON text without Foundation: `JSONSerialization` bridges every value and
/// looks up conformances at run time, a millisecond of every `unjucksd
/// build` for one summary object. The template engine's `JSON.stringify`
/// writes it instead.
extension JSONValue {
    /// Compact JSON; object members in the order given.
    public var text: String { (try? JSON.stringify(templateValue, indent: nil)) ?? "null" }

    /// An object whose members are sorted by key (as `.sortedKeys` writes them).
    public static func sortedObject(_ members: [String: JSONValue]) -> JSONValue {
        .object(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
    }

    public static func integer(_ value: Int) -> JSONValue { .number(Double(value)) }
}
