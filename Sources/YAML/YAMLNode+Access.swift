import Foundation

extension YAMLNode {
    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The resolved scalar value, when this node is a scalar.
    public var value: YAMLScalarValue? { scalar?.value }

    /// The items, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The pairs, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The string, when this node is a scalar that resolved to a string.
    public var string: String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    public var isNull: Bool { value == .null }

    /// The value of the pair whose key's `keyString` is `key`.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.keyString == key }?.value
    }

    /// The item at `index` of a sequence, nil when out of range.
    public subscript(index: Int) -> YAMLNode? {
        guard let items = sequence, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The property name js-yaml would give this node as a mapping key
    /// (JavaScript's `String(value)`): `null`, `true`, `12`, `1.5`, the text
    /// of strings and timestamps; collections get a bracketed rendering.
    public var keyString: String {
        switch content {
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return "null"
            case .bool(let flag): return flag ? "true" : "false"
            case .int(let number): return String(number)
            case .float(let number): return YAMLNumberText.javaScript(number)
            case .string(let text): return text
            case .timestamp(let stamp): return stamp.text
            }
        case .sequence(let items):
            return items.map(\.keyString).joined(separator: ",")
        case .mapping:
            return "[object Object]"
        }
    }
}

/// JavaScript-like printing of doubles, for key names.
enum YAMLNumberText {
    static func javaScript(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        if number == number.rounded(), abs(number) < 1e21 {
            return String(format: "%.0f", number == 0 ? 0 : number)
        }
        return "\(number)"
    }
}
