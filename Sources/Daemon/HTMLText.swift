/// The searchable text of an HTML page: its title and the visible text of
/// its body, with tags, scripts and styles removed and common entities decoded.
struct HTMLText: Sendable, Equatable {
    var title: String
    var text: String

    init(title: String, text: String) {
        self.title = title
        self.text = text
    }

    init(html bytes: [UInt8]) {
        var title = ""
        var heading = ""
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count / 2)
        var index = 0
        var skipUntil: [UInt8]? = nil  // closing tag name of script/style/title/head content
        var capture: UnsafeCapture = .none
        var captured: [UInt8] = []
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                // Read the tag name.
                var end = index + 1
                var closing = false
                if end < count && bytes[end] == UInt8(ascii: "/") { closing = true; end += 1 }
                if end + 2 < count && bytes[end] == UInt8(ascii: "!") && bytes[end + 1] == UInt8(ascii: "-") && bytes[end + 2] == UInt8(ascii: "-") {
                    // Comment: skip to -->.
                    var j = end + 3
                    while j + 2 < count && !(bytes[j] == UInt8(ascii: "-") && bytes[j + 1] == UInt8(ascii: "-") && bytes[j + 2] == UInt8(ascii: ">")) { j += 1 }
                    index = j + 3
                    continue
                }
                var nameEnd = end
                while nameEnd < count, Self.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
                let name = bytes[end..<nameEnd].map { $0 | 0x20 }
                var close = nameEnd
                while close < count && bytes[close] != UInt8(ascii: ">") { close += 1 }
                index = close + 1
                if let waiting = skipUntil {
                    if closing && name == waiting {
                        skipUntil = nil
                        if case .title = capture { title = Self.clean(captured) }
                        if case .heading = capture, heading.isEmpty { heading = Self.clean(captured) }
                        capture = .none
                        captured = []
                    } else if case .heading = capture {
                        continue  // markup inside <h1>
                    }
                    continue
                }
                if !closing {
                    switch name {
                    case Array("script".utf8), Array("style".utf8), Array("noscript".utf8), Array("template".utf8):
                        skipUntil = name
                    case Array("title".utf8):
                        skipUntil = name
                        capture = .title
                    case Array("h1".utf8) where heading.isEmpty:
                        skipUntil = name
                        capture = .heading
                    default:
                        break
                    }
                }
                if capture == .none || skipUntil == nil { text.append(UInt8(ascii: " ")) }
                continue
            }
            if skipUntil != nil {
                if capture != .none { captured.append(byte) }
                if case .heading = capture { text.append(byte) }
                index += 1
                continue
            }
            text.append(byte)
            index += 1
        }
        self.title = title.isEmpty ? heading : title
        self.text = Self.clean(text)
    }

    private enum UnsafeCapture: Equatable { case none, title, heading }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// Decodes entities and collapses whitespace.
    static func clean(_ bytes: [UInt8]) -> String {
        let decoded = decodeEntities(String(decoding: bytes, as: UTF8.self))
        var out = ""
        out.reserveCapacity(decoded.utf8.count)
        var pendingSpace = false
        for scalar in decoded.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let entity = after[after.index(after: amp)..<semi]
                if let decoded = decodeEntity(entity) {
                    out += decoded
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after.dropFirst()
        }
        return out + rest
    }

    private static func decodeEntity(_ name: Substring) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        case "mdash": return "—"
        case "ndash": return "–"
        case "hellip": return "…"
        case "copy": return "©"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
