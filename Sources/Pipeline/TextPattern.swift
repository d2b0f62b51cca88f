import Foundation

/// What `before:`, `after:` and `skip_if:` look for: a regular expression
/// (ICU syntax, close to the JavaScript one Hygen uses), or, when the text
/// is not a valid regular expression (`export {`), the literal text.
public struct TextPattern: Sendable, CustomStringConvertible {
    public let source: String
    /// nil when `source` is matched literally.
    private let regex: NSRegularExpression?

    public init(_ source: String) {
        self.source = source
        regex = try? NSRegularExpression(pattern: source, options: [.anchorsMatchLines])
    }

    public var isLiteral: Bool { regex == nil }
    public var description: String { source }

    /// Whether the pattern occurs anywhere in `text`.
    public func occurs(in text: String) -> Bool {
        guard let regex else { return text.contains(source) }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The index of the first line the pattern occurs in.
    public func firstLine(in lines: [String]) -> Int? {
        lines.firstIndex { occurs(in: $0) }
    }
}
