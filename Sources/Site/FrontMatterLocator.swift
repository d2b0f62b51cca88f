import Foundation
import YAML

/// Where a front matter key is written in a page's file, for errors in
/// values that are templates (`permalink`, `eleventyComputed.title`): the
/// page's data no longer knows its lines, so the file is read again when
/// such an error is reported. Block mappings are followed key by key; a key
/// inside a flow mapping (`{title: ...}`) is reported at its parent's line.
enum FrontMatterLocator {
    /// 1-based line and column of the value of `path` (keys from the top) in
    /// the front matter of the file at `absolutePath`; nil when the file has
    /// no such key (it came from a data file or a layout).
    static func position(of path: [String], inFile absolutePath: String) -> (line: Int, column: Int)? {
        guard let data = FileManager.default.contents(atPath: absolutePath) else { return nil }
        let split = FrontMatter.split(String(decoding: data, as: UTF8.self))
        guard let yaml = split.frontMatter else { return nil }
        return position(of: path, in: yaml).map { ($0.line + split.frontMatterLine - 1, $0.column) }
    }

    /// The same within front matter text (line 1 = its first line).
    static func position(of path: [String], in yaml: String) -> (line: Int, column: Int)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        var found: (line: Int, column: Int)?
        var parentIndent = -1
        var index = 0
        for key in path {
            // The keys of this level sit at the indentation of its first key.
            var levelIndent: Int?
            var match: (line: Int, column: Int, indent: Int)?
            while index < lines.count, match == nil {
                let line = lines[index]
                index += 1
                let indent = line.prefix { $0 == " " }.count
                let rest = line.dropFirst(indent)
                if rest.isEmpty || rest.hasPrefix("#") { continue }
                if indent <= parentIndent { break }
                if levelIndent == nil { levelIndent = indent }
                guard indent == levelIndent, let colon = rest.firstIndex(of: ":") else { continue }
                var name = rest[..<colon]
                if name.count >= 2, let quote = name.first, quote == "\"" || quote == "'", name.last == quote {
                    name = name.dropFirst().dropLast()
                }
                guard name == key else { continue }
                let value = rest[rest.index(after: colon)...]
                let spaces = value.prefix { $0 == " " }.count
                match = (index, indent + (rest.count - value.count) + spaces + 1, indent)
            }
            guard let match else { return found }
            found = (match.line, match.column)
            parentIndent = match.indent
        }
        return found
    }
}
