import Nunjucks

/// A parsed page without its body, in a compact binary form that a later
/// build decodes instead of parsing the page's YAML again.
///
/// When a layout changes, every page renders again although no page
/// changed: parsing 4,000 front matters (libyaml, then the conversion to
/// template values) took ~30 ms of CPU in such a build, decoding them from
/// this form a fraction of that. The body is not kept: it is read from the
/// file when the page renders.
///
/// Layout: version byte, `mentionsCollections` byte, body start line
/// (varint), then the data object. Values: a kind byte, then for numbers 8
/// bytes (IEEE 754, little-endian), for strings a varint length and UTF-8,
/// for arrays and objects a varint count and the items (objects: key
/// string, value), in order.
extension PageSource {
    static let storedFormatVersion: UInt8 = 1

    private enum StoredKind: UInt8 {
        case undefined = 0, null, `false`, `true`, number, string, array, object
    }

    /// The stored form; nil when the data holds something front matter
    /// cannot (a function, a safe string), which is then parsed each time.
    public func storedForm() -> [UInt8]? {
        var out: [UInt8] = [Self.storedFormatVersion, mentionsCollections ? 1 : 0]
        out.reserveCapacity(256)
        Self.appendVarint(bodyStartLine, to: &out)
        guard Self.append(.object(data), to: &out) else { return nil }
        return out
    }

    /// A page decoded from `storedForm()`, without its body (see
    /// `restoringBody(from:)`); nil for anything else.
    public init?(stored bytes: UnsafeRawBufferPointer, path: String, format: PageFormat) {
        var reader = StoredReader(bytes: bytes)
        guard reader.byte() == Self.storedFormatVersion, let mentions = reader.byte(), mentions <= 1,
              let line = reader.varint(), case .object(let data)? = reader.value(), reader.atEnd
        else { return nil }
        self.init(path: path, format: format, data: data, bodyStartLine: line, mentionsCollections: mentions == 1)
    }

    private static func append(_ value: Value, to out: inout [UInt8]) -> Bool {
        switch value {
        case .undefined: out.append(StoredKind.undefined.rawValue)
        case .null: out.append(StoredKind.null.rawValue)
        case .bool(let flag): out.append(flag ? StoredKind.true.rawValue : StoredKind.false.rawValue)
        case .number(let number):
            out.append(StoredKind.number.rawValue)
            withUnsafeBytes(of: number.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case .string(let string):
            out.append(StoredKind.string.rawValue)
            appendString(string, to: &out)
        case .array(let array):
            out.append(StoredKind.array.rawValue)
            appendVarint(array.elements.count, to: &out)
            for element in array.elements where !append(element, to: &out) { return false }
        case .object(let object):
            out.append(StoredKind.object.rawValue)
            let entries = object.entries
            appendVarint(entries.count, to: &out)
            for entry in entries {
                appendString(entry.key, to: &out)
                guard append(entry.value, to: &out) else { return false }
            }
        case .safe, .function, .regex:
            return false
        }
        return true
    }

    private static func appendString(_ string: String, to out: inout [UInt8]) {
        let utf8 = string.utf8
        appendVarint(utf8.count, to: &out)
        out.append(contentsOf: utf8)
    }

    private static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var rest = UInt64(value)
        while rest >= 0x80 {
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    /// Reads `storedForm()` bytes; every read is bounds-checked (a damaged
    /// row decodes to nil, never to a crash).
    private struct StoredReader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        /// Nesting bound, against a damaged row that would recurse deeply.
        var depth = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> Int? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = byte() {
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value <= UInt64(Int32.max) ? Int(value) : nil }
                shift += 7
                if shift > 35 { return nil }
            }
            return nil
        }

        mutating func string() -> String? {
            guard let length = varint(), length <= bytes.count - offset else { return nil }
            defer { offset += length }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        }

        mutating func value() -> Value? {
            guard let raw = byte(), let kind = StoredKind(rawValue: raw) else { return nil }
            switch kind {
            case .undefined: return .undefined
            case .null: return .null
            case .false: return .bool(false)
            case .true: return .bool(true)
            case .number:
                guard bytes.count - offset >= 8 else { return nil }
                defer { offset += 8 }
                return .number(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
            case .string:
                return string().map { .string($0) }
            case .array, .object:
                guard depth < 64, let count = varint(), count <= bytes.count - offset else { return nil }
                depth += 1
                defer { depth -= 1 }
                if kind == .array {
                    var elements: [Value] = []
                    elements.reserveCapacity(count)
                    for _ in 0..<count {
                        guard let element = value() else { return nil }
                        elements.append(element)
                    }
                    return .array(JSArray(elements))
                }
                let object = JSObject()
                for _ in 0..<count {
                    guard let key = string(), let element = value() else { return nil }
                    object[key] = element
                }
                // Shared key lists, as parsing gives them (see `Value(yaml:)`).
                return .object(Value.yamlShapes.sharingKeys(object))
            }
        }
    }
}
