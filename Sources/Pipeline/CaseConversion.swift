/// Identifier case conversions for code generators (`camelCase`,
/// `PascalCase`, `snake_case`, `kebab-case`, ...), in the manner of the
/// `change-case` helpers Hygen templates use. Words are split at anything
/// that is not a letter or digit, at a lower-to-upper change (`fooBar`),
/// and before the last capital of an acronym run (`HTTPServer` -> `HTTP`,
/// `Server`). Digits stay with the word they follow (`v2Api` -> `v2`, `Api`).
public enum CaseConversion {
    /// The words of `text`, as written.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: [Character] = []
        func flush() {
            if !current.isEmpty { words.append(String(current)) }
            current = []
        }
        for character in text {
            guard character.isLetter || character.isNumber else {
                flush()
                continue
            }
            if let previous = current.last {
                if character.isUppercase && (previous.isLowercase || previous.isNumber) {
                    flush()
                } else if character.isLowercase && previous.isUppercase && current.count >= 2
                            && current[current.count - 2].isUppercase {
                    // "HTTPServer": the "S" before "e" starts the next word.
                    current.removeLast()
                    flush()
                    current.append(previous)
                }
            }
            current.append(character)
        }
        flush()
        return words
    }

    /// `fooBarBaz`
    public static func camelCase(_ text: String) -> String {
        let parts = words(text)
        guard let first = parts.first else { return "" }
        return first.lowercased() + parts.dropFirst().map(capitalized).joined()
    }

    /// `FooBarBaz`
    public static func pascalCase(_ text: String) -> String {
        words(text).map(capitalized).joined()
    }

    /// `foo_bar_baz`
    public static func snakeCase(_ text: String) -> String {
        words(text).map { $0.lowercased() }.joined(separator: "_")
    }

    /// `foo-bar-baz`
    public static func kebabCase(_ text: String) -> String {
        words(text).map { $0.lowercased() }.joined(separator: "-")
    }

    /// `FOO_BAR_BAZ`
    public static func constantCase(_ text: String) -> String {
        words(text).map { $0.uppercased() }.joined(separator: "_")
    }

    /// `foo.bar.baz`
    public static func dotCase(_ text: String) -> String {
        words(text).map { $0.lowercased() }.joined(separator: ".")
    }

    /// `foo/bar/baz`
    public static func pathCase(_ text: String) -> String {
        words(text).map { $0.lowercased() }.joined(separator: "/")
    }

    /// `Foo Bar Baz`
    public static func titleCase(_ text: String) -> String {
        words(text).map(capitalized).joined(separator: " ")
    }

    /// `Foo bar baz`
    public static func sentenceCase(_ text: String) -> String {
        upperFirst(words(text).map { $0.lowercased() }.joined(separator: " "))
    }

    /// The first character upper-cased, the rest unchanged.
    public static func upperFirst(_ text: String) -> String {
        guard let first = text.first else { return "" }
        return first.uppercased() + text.dropFirst()
    }

    /// The first character lower-cased, the rest unchanged.
    public static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return "" }
        return first.lowercased() + text.dropFirst()
    }

    private static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return "" }
        return first.uppercased() + word.dropFirst().lowercased()
    }
}
