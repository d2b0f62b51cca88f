import Foundation

/// English plurals and singulars for generated names, what Hygen templates
/// get from `h.inflection`: `user` -> `users`, `category` -> `categories`,
/// `address` -> `addresses`, `person` -> `people`, and back.
///
/// Uncountable words stay as they are, irregular ones are looked up, the
/// rest follow suffix rules in the style of Rails' inflector (the most
/// specific rule first). Only the last word of an identifier changes
/// (`blogPost` -> `blogPosts`, `user_address` -> `user_addresses`), and it
/// keeps its case (`Person` -> `People`, `BOX` -> `BOXES`).
enum Inflection {
    static func pluralize(_ text: String) -> String {
        inflectLastWord(of: text, irregular: irregularPlurals, rules: pluralRules)
    }

    static func singularize(_ text: String) -> String {
        inflectLastWord(of: text, irregular: irregularSingulars, rules: singularRules)
    }

    /// `1` -> `1st`, `12` -> `12th`, `22` -> `22nd`; in text, the last
    /// number (`floor 3` -> `floor 3rd`); text without one is left as is.
    static func ordinalize(_ text: String) -> String {
        guard let last = text.lastIndex(where: \.isASCIIDigitCharacter) else { return text }
        var first = last
        while first > text.startIndex, text[text.index(before: first)].isASCIIDigitCharacter { first = text.index(before: first) }
        let number = Int(text[first...last].suffix(4)) ?? 0
        let suffix: String
        switch (number % 100, number % 10) {
        case (11...13, _): suffix = "th"
        case (_, 1): suffix = "st"
        case (_, 2): suffix = "nd"
        case (_, 3): suffix = "rd"
        default: suffix = "th"
        }
        return String(text[...last]) + suffix + String(text[text.index(after: last)...])
    }

    // MARK: Words

    private static func inflectLastWord(of text: String, irregular: [String: String], rules: [Rule]) -> String {
        guard let word = CaseConversion.words(text).last, text.hasSuffix(word) else { return text }
        return String(text.dropLast(word.count)) + inflect(word, irregular: irregular, rules: rules)
    }

    private static func inflect(_ word: String, irregular: [String: String], rules: [Rule]) -> String {
        let lower = word.lowercased()
        if uncountable.contains(lower) { return word }
        let shouting = word.count > 1 && word == word.uppercased() && word != lower
        if let replacement = irregular[lower] {
            if shouting { return replacement.uppercased() }
            return word.first?.isUppercase == true ? replacement.prefix(1).uppercased() + replacement.dropFirst() : replacement
        }
        let range = NSRange(word.startIndex..., in: word)
        for rule in rules where rule.pattern.firstMatch(in: word, range: range) != nil {
            let result = rule.pattern.stringByReplacingMatches(in: word, range: range, withTemplate: rule.template)
            return shouting ? result.uppercased() : result
        }
        return word
    }

    // MARK: Tables

    private struct Rule: @unchecked Sendable {
        let pattern: NSRegularExpression
        let template: String

        init(_ pattern: String, _ template: String) {
            // The patterns are constants of this file: a failure is a typo here.
            self.pattern = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            self.template = template
        }
    }

    private static let uncountable: Set<String> = [
        "equipment", "information", "rice", "money", "species", "series", "fish", "sheep", "deer", "moose",
        "news", "jeans", "police", "feedback", "software", "hardware", "firmware", "middleware", "metadata",
        "knowledge", "traffic", "weather", "analytics", "staff",
    ]

    private static let irregularPlurals: [String: String] = [
        "person": "people", "man": "men", "woman": "women", "child": "children", "sex": "sexes",
        "move": "moves", "foot": "feet", "tooth": "teeth", "goose": "geese", "zombie": "zombies",
        "criterion": "criteria",
    ]

    private static let irregularSingulars: [String: String] = Dictionary(
        uniqueKeysWithValues: irregularPlurals.map { ($0.value, $0.key) })

    /// Tried in order; the first that matches decides.
    private static let pluralRules: [Rule] = [
        Rule("(quiz)$", "$1zes"),
        Rule("^(oxen)$", "$1"),
        Rule("^(ox)$", "$1en"),
        Rule("^(m|l)ice$", "$1ice"),
        Rule("^(m|l)ouse$", "$1ice"),
        Rule("(matr|vert|ind)(?:ix|ex)$", "$1ices"),
        Rule("(x|ch|ss|sh|zz)$", "$1es"),
        Rule("([^aeiouy]|qu)y$", "$1ies"),
        Rule("(hive)$", "$1s"),
        Rule("(?:([^f])fe|([lr]|lea|loa|thie|shea)f)$", "$1$2ves"),
        Rule("sis$", "ses"),
        Rule("([ti])a$", "$1a"),
        Rule("([ti])um$", "$1a"),
        Rule("(buffal|tomat|potat|her|ech)o$", "$1oes"),
        Rule("(bu)s$", "$1ses"),
        Rule("(alias|status|campus|virus|bonus)$", "$1es"),
        Rule("(octop)i$", "$1i"),
        Rule("(octop)us$", "$1i"),
        Rule("^(ax|test)is$", "$1es"),
        Rule("s$", "s"),
        Rule("$", "s"),
    ]

    /// Tried in order; the first that matches decides.
    private static let singularRules: [Rule] = [
        Rule("(database)s$", "$1"),
        Rule("(quiz)zes$", "$1"),
        Rule("(matr)ices$", "$1ix"),
        Rule("(vert|ind)ices$", "$1ex"),
        Rule("^(ox)en$", "$1"),
        Rule("(alias|status|campus|virus|bonus)(es)?$", "$1"),
        Rule("(octop)(us|i)$", "$1us"),
        Rule("^(a)x[ie]s$", "$1xis"),
        Rule("(cris|test)(is|es)$", "$1is"),
        Rule("(shoe)s$", "$1"),
        Rule("(buffal|tomat|potat|her|ech)oes$", "$1o"),
        Rule("(bus)(es)?$", "$1"),
        Rule("^(m|l)ice$", "$1ouse"),
        Rule("(x|ch|ss|sh|zz)es$", "$1"),
        Rule("(m)ovies$", "$1ovie"),
        Rule("([^aeiouy]|qu)ies$", "$1y"),
        Rule("([lr]|lea|loa|thie|shea)ves$", "$1f"),
        Rule("(tive)s$", "$1"),
        Rule("(hive)s$", "$1"),
        Rule("([^f])ves$", "$1fe"),
        Rule("(^analy)(sis|ses)$", "$1sis"),
        Rule("((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", "$1sis"),
        Rule("([ti])a$", "$1um"),
        Rule("(ss|us|is)$", "$1"),
        Rule("s$", ""),
    ]
}

private extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
