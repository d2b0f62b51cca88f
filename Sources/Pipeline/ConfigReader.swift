import Site
import YAML

/// Reads typed values out of YAML nodes, collecting one error per bad node
/// (with its position) instead of stopping at the first.
struct ConfigReader {
    let file: String
    /// Added to YAML lines (front matter starts on line 2 of its file).
    var lineOffset = 0
    var errors: [SiteError] = []

    init(file: String, lineOffset: Int = 0) {
        self.file = file
        self.lineOffset = lineOffset
    }

    mutating func error(_ message: String, at mark: YAMLMark) {
        errors.append(SiteError(file: file, line: mark.line + lineOffset, column: mark.column, message: message))
    }

    /// A scalar as text (numbers as written); nil (and an error) for null,
    /// booleans and collections.
    mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        guard let scalar = node.scalar else {
            error("\(what) must be a string, not a \(node.kindName)", at: node.mark)
            return nil
        }
        switch scalar.value {
        case .string(let text): return text
        case .int, .float, .timestamp: return scalar.text
        case .null, .bool:
            error("\(what) must be a string, not \(scalar.text.isEmpty ? "empty" : scalar.text)", at: node.mark)
            return nil
        }
    }

    mutating func located(_ node: YAMLNode, _ what: String) -> Located<String>? {
        string(node, what).map { Located($0, at: node.mark) }
    }

    mutating func bool(_ node: YAMLNode, _ what: String) -> Bool? {
        if case .bool(let flag)? = node.value { return flag }
        error("\(what) must be true or false", at: node.mark)
        return nil
    }

    mutating func int(_ node: YAMLNode, _ what: String, in range: ClosedRange<Int>) -> Int? {
        if case .int(let number)? = node.value, range.contains(Int(number)) { return Int(number) }
        error("\(what) must be a whole number in \(range.lowerBound)...\(range.upperBound)", at: node.mark)
        return nil
    }

    /// One string or a list of them (at least one).
    mutating func stringList(_ node: YAMLNode, _ what: String) -> [Located<String>]? {
        if let items = node.sequence {
            if items.isEmpty {
                error("\(what) must not be an empty list", at: node.mark)
                return nil
            }
            let values = items.compactMap { located($0, what) }
            return values.count == items.count ? values : nil
        }
        return located(node, what).map { [$0] }
    }

    mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLPair]? {
        if let pairs = node.mapping { return pairs }
        error("\(what) must be a mapping of keys to values, not a \(node.kindName)", at: node.mark)
        return nil
    }

    /// Reports keys outside `known`.
    mutating func checkKeys(_ pairs: [YAMLPair], known: [String], in what: String) {
        for pair in pairs where !known.contains(pair.key.keyString) {
            error("unknown key '\(pair.key.keyString)' in \(what) (known: \(known.joined(separator: ", ")))", at: pair.key.mark)
        }
    }
}

extension YAMLNode {
    /// "string", "number", "list", ... for messages.
    var kindName: String {
        switch content {
        case .sequence: return "list"
        case .mapping: return "mapping"
        case .scalar(let scalar):
            switch scalar.value {
            case .null: return "null"
            case .bool: return "boolean"
            case .int, .float: return "number"
            case .string: return "string"
            case .timestamp: return "date"
            }
        }
    }
}

/// Whether `name` can be a template variable (`as:`).
func isIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || first == "$" || first.properties.isAlphabetic else { return false }
    return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "$" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
}
