import Foundation

/// Text filters. Each follows Nunjucks 3.2.4's JS, including which results
/// keep a safe input's mark (`copySafeness`) and which come back plain.
enum TextFilters {
    static func capitalize(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let v = value.normalizedToEmpty
        let s = try JSErrors.stringReceiver(v, method: "toLowerCase")
        return .copySafeness(from: v, JSStringOps.capitalize(s))
    }

    static func center(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let v = value.normalizedToEmpty
        let a = arguments.jsPositional
        let widthValue = a[argument: 0]
        let width = widthValue.isTruthy ? widthValue.jsNumber : 80
        let length: Double
        switch v {
        case .string(let s), .safe(let s): length = Double(s.utf16.count)
        case .array(let array): length = Double(array.elements.count)
        default: length = .nan
        }
        if length >= width { return v }
        let spaces = width - length
        let pre = jsRepeatSpaces(spaces / 2 - spaces.truncatingRemainder(dividingBy: 2))
        let post = jsRepeatSpaces(spaces / 2)
        return .copySafeness(from: v, pre + v.jsString + post)
    }

    static func lower(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        .string(JSStringOps.lower(try JSErrors.stringReceiver(value.normalizedToEmpty, method: "toLowerCase")))
    }

    static func upper(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        .string(JSStringOps.upper(try JSErrors.stringReceiver(value.normalizedToEmpty, method: "toUpperCase")))
    }

    static func title(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let v = value.normalizedToEmpty
        let s = try JSErrors.stringReceiver(v, method: "split")
        return .copySafeness(from: v, titleCase(s))
    }

    /// Words are separated by single spaces only; each is capitalized.
    static func titleCase(_ s: String) -> String {
        // ASCII when bytes and UTF-16 units agree (O(1) for native strings).
        guard s.utf8.count == s.utf16.count else { return titleCaseUnicode(s) }
        let ascii: String? = s.utf8.withContiguousStorageIfAvailable { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { out in
                var startOfWord = true
                for i in 0..<bytes.count {
                    var b = bytes[i]
                    if b == 0x20 {
                        startOfWord = true
                    } else if startOfWord {
                        if b >= 0x61 && b <= 0x7A { b -= 32 }
                        startOfWord = false
                    } else if b >= 0x41 && b <= 0x5A {
                        b += 32
                    }
                    out[i] = b
                }
                return bytes.count
            }
        }
        return ascii ?? titleCaseUnicode(s)
    }

    private static func titleCaseUnicode(_ s: String) -> String {
        s.split(separator: " ", omittingEmptySubsequences: false)
            .map { JSStringOps.capitalize(String($0)) }
            .joined(separator: " ")
    }

    static func trim(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let s = try JSErrors.stringReceiver(value, method: "replace")
        return .copySafeness(from: value, JSStringOps.trim(s))
    }

    static func truncate(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let a = arguments.jsPositional
        let input = value.normalizedToEmpty
        let lengthValue = a[argument: 0]
        let length = lengthValue.isTruthy ? lengthValue.jsNumber : 255
        let s: String
        switch input {
        case .string(let text), .safe(let text): s = text
        case .array(let array):
            if Double(array.elements.count) <= length { return input }
            throw JSErrors.notAFunction("input.substring")
        default:
            throw JSErrors.notAFunction("input.substring")
        }
        let count = s.utf16.count
        if Double(count) <= length { return input }
        let limit = length.isNaN ? 0 : Int(max(0, min(Double(count), length.rounded(.towardZero))))
        let ascii = s.utf8.count == count  // bytes are code units
        var cutEnd = limit
        if !a[argument: 1].isTruthy {
            // lastIndexOf(' ', length): the last space at or before `length`.
            var index = -1
            if ascii {
                var text = s
                index = text.withUTF8 { bytes in
                    var i = Swift.min(limit, bytes.count - 1)
                    while i >= 0 && bytes[i] != 0x20 { i -= 1 }
                    return i
                }
            } else {
                var position = 0
                for unit in s.utf16 {
                    if position > limit { break }
                    if unit == 0x20 { index = position }
                    position += 1
                }
            }
            if index != -1 { cutEnd = index }
        }
        let end = a[argument: 2]
        let suffix = end.isNullish ? "..." : end.jsString
        let cut: String
        if ascii {
            var text = s, tail = suffix
            cut = text.withUTF8 { head in
                tail.withUTF8 { tailBytes in
                    String(unsafeUninitializedCapacity: cutEnd + tailBytes.count) { out in
                        _ = out.initialize(from: UnsafeBufferPointer(rebasing: head[0..<cutEnd]))
                        _ = UnsafeMutableBufferPointer(rebasing: out[cutEnd...]).initialize(from: tailBytes)
                        return cutEnd + tailBytes.count
                    }
                }
            }
        } else {
            cut = JSStringOps.units(s, from: 0, to: cutEnd) + suffix
        }
        return .copySafeness(from: value, cut)
    }

    static func indent(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let v = value.normalizedToEmpty
        if case .string("") = v { return .string("") }
        let s = try JSErrors.stringReceiver(v, method: "split")
        let a = arguments.jsPositional
        let widthValue = a[argument: 0]
        let padding = jsRepeatSpaces(widthValue.isTruthy ? widthValue.jsNumber : 4)
        let indentFirst = a[argument: 1].isTruthy
        var out = ""
        for (i, line) in s.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if i > 0 { out += "\n" }
            if i > 0 || indentFirst { out += padding }
            out += line
        }
        return .copySafeness(from: v, out)
    }

    static func nl2br(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if value.isNullish { return .string("") }
        let s = try JSErrors.stringReceiver(value, method: "replace")
        let out = s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "<br />\n")
        return .copySafeness(from: value, out)
    }

    private static let tagPattern = JSRegex(source: #"<\/?([a-z][a-z0-9]*)\b[^>]*>|<!--[\s\S]*?-->"#, flags: "gi")
    private static let spaceRuns = JSRegex(source: #"\s+"#, flags: "g")
    private static let lineEdgeSpaces = JSRegex(source: #"^ +| +$"#, flags: "gm")
    private static let spaceSquash = JSRegex(source: " +", flags: "g")
    private static let manyBreaks = JSRegex(source: #"\n\n\n+"#, flags: "g")

    static func striptags(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let v = value.normalizedToEmpty
        let s = try JSErrors.stringReceiver(v, method: "replace", receiverName: "input")
        let stripped = JSStringOps.trim(try JSRegexRunner(tagPattern, on: s).replace(with: .string("")))
        let result: String
        if arguments.jsPositional[argument: 0].isTruthy {
            var text = try JSRegexRunner(lineEdgeSpaces, on: stripped).replace(with: .string(""))
            text = try JSRegexRunner(spaceSquash, on: text).replace(with: .string(" "))
            text = text.replacingOccurrences(of: "\r\n", with: "\n")
            result = try JSRegexRunner(manyBreaks, on: text).replace(with: .string("\n\n"))
        } else {
            result = try JSRegexRunner(spaceRuns, on: stripped).replace(with: .string(" "))
        }
        return .copySafeness(from: v, result)
    }

    static func wordcount(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let v = value.normalizedToEmpty
        guard v.isTruthy else { return .null }
        let s = try JSErrors.stringReceiver(v, method: "match")
        // `/\w+/g`: runs of ASCII letters, digits and underscores.
        var words = 0
        var inWord = false
        for byte in s.utf8 {
            let isWord = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            if isWord && !inWord { words += 1 }
            inWord = isWord
        }
        return words == 0 ? .null : .number(Double(words))
    }

    static func replace(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let a = arguments.jsPositional
        var old = a[argument: 0]
        let replacement = a[argument: 1]
        if case .regex(let regex) = old {
            let s = try JSErrors.stringReceiver(value, method: "replace")
            return .string(try JSRegexRunner(regex, on: s).replace(with: replacement))
        }
        var maxCount = a[argument: 2]
        if maxCount.isUndefined { maxCount = .number(-1) }
        switch old {
        case .number: old = .string(old.jsString)
        case .string: break
        default: return value
        }
        let needle = old.jsString
        var str = value
        if case .number = value { str = .string(value.jsString) }
        guard let s = str.stringValue else { return str }
        if needle.isEmpty {
            let separator = replacement.isUndefined ? "," : replacement.jsString
            let joined = s.utf16.map { JSStringOps.string(CollectionOfOne($0)) }.joined(separator: separator)
            return .copySafeness(from: str, replacement.jsString + joined + replacement.jsString)
        }
        let hay = Array(s.utf16), pattern = Array(needle.utf16)
        var next = JSStringOps.indexOf(hay, pattern)
        if Value.strictEquals(maxCount, .number(0)) || next == -1 { return str }
        let unlimited = Value.strictEquals(maxCount, .number(-1))
        let piece = Array(replacement.jsString.utf16)
        var out = [UInt16]()
        var position = 0, count = 0
        while next > -1 && (unlimited || Value.lessThan(.number(Double(count)), maxCount)) {
            out += hay[position..<next]
            out += piece
            position = next + pattern.count
            count += 1
            next = JSStringOps.indexOf(hay, pattern, from: position)
        }
        if position < hay.count { out += hay[position...] }
        return .copySafeness(from: value, JSStringOps.string(out))
    }

    static func urlencode(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        if case .string(let s) = value { return .string(JSStringOps.encodeURIComponent(s)) }
        var pairs: [(Value, Value)] = []
        if case .array(let array) = value {
            for element in array.elements {
                switch element {
                case .array(let pair): pairs.append((pair.elements[argument: 0], pair.elements[argument: 1]))
                case .string(let s):
                    let units = ArrayLike.elements(.string(s))
                    pairs.append((units[argument: 0], units[argument: 1]))
                default: throw RuntimeError("TypeError: \(element.jsString) is not iterable")
                }
            }
        } else {
            pairs = ArrayLike.ownEntries(value).map { (.string($0.key), $0.value) }
        }
        let encoded = pairs.map { JSStringOps.encodeURIComponent($0.0.jsString) + "=" + JSStringOps.encodeURIComponent($0.1.jsString) }
        return .string(encoded.joined(separator: "&"))
    }

    private static let punctuation = JSRegex(source: #"^(?:\(|<|&lt;)?(.*?)(?:\.|,|\)|\n|&gt;)?$"#, flags: "")
    private static let email = JSRegex(source: #"^[\w.!#$%&'*+\-\/=?\^`{|}~]+@[a-z\d\-]+(\.[a-z\d\-]+)+$"#, flags: "i")
    private static let httpOrHttps = JSRegex(source: #"^https?:\/\/.*$"#, flags: "")
    private static let www = JSRegex(source: #"^www\."#, flags: "")
    private static let topLevelDomain = JSRegex(source: #"\.(?:org|net|com)(?:\:|\/|$)"#, flags: "")
    private static let whitespaceRuns = JSRegex(source: #"(\s+)"#, flags: "")

    static func urlize(_ value: Value, _ arguments: Arguments, _ context: CallContext) throws -> Value {
        let s = try JSErrors.stringReceiver(value, method: "split")
        let a = arguments.jsPositional
        var length = a[argument: 0]
        if case .number(let n) = length, n.isNaN { length = .number(.infinity) }
        let noFollow = if case .bool(true) = a[argument: 1] { " rel=\"nofollow\"" } else { "" }
        func test(_ regex: JSRegex, _ text: String) throws -> Bool {
            try JSRegexRunner(regex, on: text).match(from: 0) != nil
        }
        var out = ""
        for wordValue in try JSRegexRunner(whitespaceRuns, on: s).split(limit: Int.max) {
            let word = wordValue.jsString
            guard !word.isEmpty else { continue }
            let runner = try JSRegexRunner(punctuation, on: word)
            let possible = runner.match(from: 0).flatMap { $0.groups[0] }.map(runner.substring) ?? word
            let short = try StringMethods.call("substr", on: possible, [.number(0), length]).jsString
            if try test(httpOrHttps, possible) {
                out += "<a href=\"\(possible)\"\(noFollow)>\(short)</a>"
            } else if try test(www, possible) {
                out += "<a href=\"http://\(possible)\"\(noFollow)>\(short)</a>"
            } else if try test(email, possible) {
                out += "<a href=\"mailto:\(possible)\">\(possible)</a>"
            } else if try test(topLevelDomain, possible) {
                out += "<a href=\"http://\(possible)\"\(noFollow)>\(short)</a>"
            } else {
                out += word
            }
        }
        return .string(out)
    }
}
