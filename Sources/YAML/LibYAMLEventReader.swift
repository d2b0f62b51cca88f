import CYAML

/// Pulls events out of libyaml's event parser over a UTF-8 buffer.
///
/// The buffer must outlive the reader; use it inside
/// `withUnsafeBufferPointer` and let it go out of scope there.
final class LibYAMLEventReader {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeBufferPointer<UInt8>
    /// Added to every line number, so that YAML embedded in a larger file
    /// (front matter) reports lines of that file.
    private let lineOffset: Int

    init(input: UnsafeBufferPointer<UInt8>, lineOffset: Int) throws {
        self.input = input
        self.lineOffset = lineOffset
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw YAMLError("out of memory initialising the YAML parser", at: YAMLMark(line: 1 + lineOffset, column: 1))
        }
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        // libyaml reads from a non-null pointer even for empty input.
        let empty: StaticString = ""
        yaml_parser_set_input_string(parser, input.baseAddress ?? empty.utf8Start, input.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    func next() throws -> MarkedYAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw currentError() }
        defer { yaml_event_delete(&event) }
        let mark = translate(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT: return MarkedYAMLEvent(event: .streamStart, mark: mark)
        case YAML_STREAM_END_EVENT: return MarkedYAMLEvent(event: .streamEnd, mark: mark)
        case YAML_DOCUMENT_START_EVENT: return MarkedYAMLEvent(event: .documentStart, mark: mark)
        case YAML_DOCUMENT_END_EVENT: return MarkedYAMLEvent(event: .documentEnd, mark: mark)
        case YAML_ALIAS_EVENT:
            return MarkedYAMLEvent(event: .alias(anchor: Self.string(event.data.alias.anchor) ?? ""), mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
            } ?? ""
            return MarkedYAMLEvent(
                event: .scalar(anchor: Self.string(scalar.anchor), tag: Self.string(scalar.tag),
                               text: text, style: Self.style(scalar.style)),
                mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return MarkedYAMLEvent(event: .sequenceStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag)), mark: mark)
        case YAML_SEQUENCE_END_EVENT: return MarkedYAMLEvent(event: .sequenceEnd, mark: mark)
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return MarkedYAMLEvent(event: .mappingStart(anchor: Self.string(start.anchor), tag: Self.string(start.tag)), mark: mark)
        case YAML_MAPPING_END_EVENT: return MarkedYAMLEvent(event: .mappingEnd, mark: mark)
        default:
            throw YAMLError("unexpected event from the YAML parser", at: mark)
        }
    }

    private func translate(_ mark: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(mark.line) + 1 + lineOffset, column: Int(mark.column) + 1)
    }

    /// The parser's error: libyaml's problem text at its problem mark, with
    /// the context (what was being parsed, and where that began) appended.
    private func currentError() -> YAMLError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "invalid YAML"
        if state.error == YAML_READER_ERROR {
            // Reader errors (bad encoding, control characters) carry a byte
            // offset instead of a mark.
            var message = problem
            if state.problem_value != -1 {
                message += " (byte 0x\(String(UInt32(truncatingIfNeeded: state.problem_value), radix: 16)))"
            }
            return YAMLError(message, at: markOfByteOffset(state.problem_offset))
        }
        var message = problem
        if let context = state.context.map({ String(cString: $0) }) {
            let contextMark = translate(state.context_mark)
            message += " (\(context) at \(contextMark))"
        }
        return YAMLError(message, at: translate(state.problem_mark))
    }

    private func markOfByteOffset(_ offset: Int) -> YAMLMark {
        var line = 1
        var column = 1
        for byte in input.prefix(min(offset, input.count)) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return YAMLMark(line: line + lineOffset, column: column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }
}
