/// YAML parsing with libyaml's event parser into `YAMLNode` trees, resolving
/// scalars as js-yaml (which Eleventy uses) does.
///
/// - Mappings keep their key order; a key repeated in one mapping is an
///   error ("duplicated mapping key"), except over keys brought in by a
///   merge key (`<<: *base`), which explicit keys override.
/// - Anchors and aliases are resolved (`maxAliasExpansion` bounds the cost).
/// - Tags: the core schema (`!!str !!int !!float !!bool !!null !!seq !!map`),
///   `!!timestamp`, `!!set`/`!!omap`/`!!pairs` (kept as their collection),
///   and the non-specific `!`; any other tag is an error, as in js-yaml.
public enum YAML {
    /// Parses a stream holding at most one document. An empty stream is a
    /// null scalar at 1:1. A second document is an error.
    public static func parse(_ text: String, options: YAMLOptions = YAMLOptions()) throws(YAMLError) -> YAMLNode {
        try parse(bytes: Array(text.utf8), options: options)
    }

    /// Parses UTF-8 bytes holding at most one document.
    public static func parse(bytes: [UInt8], options: YAMLOptions = YAMLOptions()) throws(YAMLError) -> YAMLNode {
        let documents = try parseDocuments(bytes, options: options, single: true)
        return documents.first ?? YAMLNode(.scalar(YAMLScalar(text: "", style: .plain, value: .null)),
                                           mark: YAMLMark(line: options.firstLine, column: 1))
    }

    /// Parses every document of a multi-document stream (`---` separated).
    public static func parseAll(_ text: String, options: YAMLOptions = YAMLOptions()) throws(YAMLError) -> [YAMLNode] {
        try parseDocuments(Array(text.utf8), options: options, single: false)
    }

    private static func parseDocuments(_ bytes: [UInt8], options: YAMLOptions, single: Bool) throws(YAMLError) -> [YAMLNode] {
        do {
            return try bytes.withUnsafeBufferPointer { buffer in
                let reader = try LibYAMLEventReader(input: buffer, lineOffset: options.firstLine - 1)
                var documents: [YAMLNode] = []
                while true {
                    let marked = try reader.next()
                    switch marked.event {
                    case .streamStart:
                        continue
                    case .streamEnd:
                        return documents
                    case .documentStart:
                        if single && !documents.isEmpty {
                            throw YAMLError("expected a single document in the stream, but found more", at: marked.mark)
                        }
                        var builder = YAMLTreeBuilder(options: options)
                        documents.append(try builder.buildDocument(from: reader))
                    default:
                        throw YAMLError("unexpected event outside a document", at: marked.mark)
                    }
                }
            }
        } catch let error as YAMLError {
            throw error
        } catch {
            throw YAMLError(message: "\(error)", line: options.firstLine, column: 1)
        }
    }
}
