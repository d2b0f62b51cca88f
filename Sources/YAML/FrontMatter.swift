/// Splits YAML front matter off the top of a page.
public enum FrontMatter {
    /// Front matter is the text between a first line `---` and the next
    /// line `---` (or `...`); trailing spaces/tabs on those delimiter lines
    /// are tolerated, as are `\r\n` line ends and a leading byte-order mark.
    ///
    /// - Returns: `frontMatter`, the YAML text (nil when the page has none;
    ///   `""` for an empty block), `frontMatterLine`, the 1-based line of the
    ///   file where that text starts (2 when present, else 1), `body`, the
    ///   rest of the file unchanged, and `bodyStartLine`, the file line on
    ///   which the body starts, so errors in the body can be reported
    ///   against the file's own numbering.
    ///
    /// A first line `---` without a closing line is not front matter (it is
    /// a thematic break in Markdown): the whole text is the body.
    ///
    /// The opening line may name a language, as gray-matter (Eleventy's
    /// front matter reader) allows: `---yaml`, `---json`, `---js`; it is
    /// returned as `language` (nil for a plain `---`) for the caller to
    /// accept or refuse.
    public static func split(_ text: String) -> (frontMatter: String?, frontMatterLine: Int, body: String, bodyStartLine: Int, language: String?) {
        let utf8 = text.utf8
        var start = utf8.startIndex
        // Skip a UTF-8 BOM.
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) {
            start = utf8.index(start, offsetBy: 3)
        }
        let content = text[start...]
        var language: String?
        var opening = delimiterLineEnd(in: content, at: content.startIndex, accepting: ["---"])
        if opening == nil, let named = languageAfterDashes(in: content) {
            language = named.language
            opening = named.lineEnd
        }
        guard let openingEnd = opening else {
            return (nil, 1, String(content), 1, nil)
        }
        let yamlStart = openingEnd
        var lineStart = openingEnd
        var line = 2
        while lineStart < content.endIndex {
            if let closingEnd = delimiterLineEnd(in: content, at: lineStart, accepting: ["---", "..."]) {
                let yaml = String(content[yamlStart..<lineStart])
                return (yaml, 2, String(content[closingEnd...]), line + 1, language)
            }
            lineStart = nextLineStart(in: content, after: lineStart)
            line += 1
        }
        return (nil, 1, String(content), 1, nil)
    }

    /// `---NAME` (letters) on the first line: the language and the index
    /// past that line's end.
    private static func languageAfterDashes(in text: Substring) -> (language: String, lineEnd: String.Index)? {
        let utf8 = text.utf8
        guard utf8.starts(with: "---".utf8) else { return nil }
        let nameStart = utf8.index(utf8.startIndex, offsetBy: 3)
        var cursor = nameStart
        while cursor < utf8.endIndex, (utf8[cursor] | 0x20) >= 0x61, (utf8[cursor] | 0x20) <= 0x7A {
            cursor = utf8.index(after: cursor)
        }
        guard cursor > nameStart else { return nil }
        let name = String(text[nameStart..<cursor])
        while cursor < utf8.endIndex, utf8[cursor] == 0x20 || utf8[cursor] == 0x09 || utf8[cursor] == 0x0D {
            cursor = utf8.index(after: cursor)
        }
        if cursor == utf8.endIndex { return (name, cursor) }
        guard utf8[cursor] == 0x0A else { return nil }
        return (name, utf8.index(after: cursor))
    }

    /// Why front matter in `language` (from `split`) cannot be read, or nil
    /// when it can: none named, `yaml`/`yml`, or `json` (a JSON object is
    /// YAML) are read; `js` and the rest are not.
    public static func refusal(of language: String?) -> String? {
        guard let language, !["yaml", "yml", "json"].contains(language.lowercased()) else { return nil }
        let why = ["js", "javascript", "node"].contains(language.lowercased()) ? "no JavaScript runs here" : "only YAML and JSON are read"
        return "front matter in '\(language)' cannot be read here (\(why)); write it as YAML between '---' lines"
    }

    /// If the line starting at `index` is one of `delimiters` (plus optional
    /// trailing blanks and a line end), the index just past its line end.
    private static func delimiterLineEnd(in text: Substring, at index: String.Index, accepting delimiters: [String]) -> String.Index? {
        let utf8 = text.utf8
        for delimiter in delimiters {
            guard utf8[index...].starts(with: delimiter.utf8) else { continue }
            var cursor = utf8.index(index, offsetBy: delimiter.utf8.count)
            while cursor < utf8.endIndex, utf8[cursor] == 0x20 || utf8[cursor] == 0x09 || utf8[cursor] == 0x0D {
                cursor = utf8.index(after: cursor)
            }
            if cursor == utf8.endIndex { return cursor }
            if utf8[cursor] == 0x0A { return utf8.index(after: cursor) }
        }
        return nil
    }

    private static func nextLineStart(in text: Substring, after index: String.Index) -> String.Index {
        let utf8 = text.utf8
        guard let newline = utf8[index...].firstIndex(of: 0x0A) else { return utf8.endIndex }
        return utf8.index(after: newline)
    }
}
