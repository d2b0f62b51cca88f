import Foundation

/// `String.prototype` methods reachable from templates.
enum StringMethods {
    static let names: Set<String> = [
        "at", "charAt", "charCodeAt", "codePointAt", "concat", "endsWith", "includes", "indexOf",
        "lastIndexOf", "localeCompare", "match", "normalize", "padEnd", "padStart", "repeat",
        "replace", "replaceAll", "search", "slice", "split", "startsWith", "substr", "substring",
        "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "toString",
        "trim", "trimStart", "trimEnd", "trimLeft", "trimRight", "valueOf",
    ]

    static func member(_ text: String, _ name: String) -> Value {
        guard names.contains(name) else { return .undefined }
        return .function(JSFunction(name: name) { arguments in
            try call(name, on: text, arguments.jsPositional)
        })
    }

    static func call(_ name: String, on s: String, _ a: [Value]) throws -> Value {
        func arg(_ i: Int) -> Value { i < a.count ? a[i] : .undefined }
        let length = s.utf16.count
        switch name {
        case "at":
            var i = arg(0).jsNumber
            if i.isNaN { i = 0 }
            i = i.rounded(.towardZero)
            if i < 0 { i += Double(length) }
            guard i >= 0, i < Double(length) else { return .undefined }
            return .string(JSStringOps.unit(s, at: Int(i))!)
        case "charAt":
            let i = integer(arg(0))
            guard i >= 0, i < Double(length) else { return .string("") }
            return .string(JSStringOps.unit(s, at: Int(i))!)
        case "charCodeAt", "codePointAt":
            let i = integer(arg(0))
            guard i >= 0, i < Double(length) else { return name == "charAt" ? .string("") : (name == "charCodeAt" ? .number(.nan) : .undefined) }
            let units = Array(s.utf16)
            let unit = units[Int(i)]
            if name == "codePointAt", UTF16.isLeadSurrogate(unit), Int(i) + 1 < units.count, UTF16.isTrailSurrogate(units[Int(i) + 1]) {
                let scalar = UTF16.decode(UTF16.EncodedScalar([unit, units[Int(i) + 1]]))
                return .number(Double(scalar.value))
            }
            return .number(Double(unit))
        case "concat":
            return .string(a.reduce(s) { $0 + $1.jsString })
        case "endsWith":
            let search = try searchString(arg(0), name)
            let end = JSStringOps.clamp(arg(1), length: length, default: length)
            let needle = Array(search.utf16)
            let start = end - needle.count
            guard start >= 0 else { return .bool(false) }
            return .bool(Array(s.utf16)[start..<end].elementsEqual(needle))
        case "startsWith":
            let search = try searchString(arg(0), name)
            let start = JSStringOps.clamp(arg(1), length: length, default: 0)
            let needle = Array(search.utf16)
            guard start + needle.count <= length else { return .bool(false) }
            return .bool(Array(s.utf16)[start..<(start + needle.count)].elementsEqual(needle))
        case "includes":
            let search = try searchString(arg(0), name)
            let start = JSStringOps.clamp(arg(1), length: length, default: 0)
            return .bool(JSStringOps.indexOf(Array(s.utf16), Array(search.utf16), from: start) >= 0)
        case "indexOf":
            let start = JSStringOps.clamp(arg(1), length: length, default: 0)
            return .number(Double(JSStringOps.indexOf(Array(s.utf16), Array(arg(0).jsString.utf16), from: start)))
        case "lastIndexOf":
            let n = arg(1).jsNumber
            let from = n.isNaN ? length : Int(max(0, min(Double(length), n.rounded(.towardZero))))
            return .number(Double(JSStringOps.lastIndexOf(Array(s.utf16), Array(arg(0).jsString.utf16), from: from)))
        case "localeCompare":
            let other = arg(0).jsString
            switch s.compare(other, locale: Locale(identifier: "en_US")) {
            case .orderedAscending: return .number(-1)
            case .orderedSame: return .number(0)
            case .orderedDescending: return .number(1)
            }
        case "match", "search":
            let regex = try regexArgument(arg(0))
            let runner = try JSRegexRunner(regex, on: s)
            if name == "search" {
                let plain = JSRegex(source: regex.source, flags: regex.flags.replacingOccurrences(of: "g", with: ""))
                return .number(Double(try JSRegexRunner(plain, on: s).match(from: 0)?.range.lowerBound ?? -1))
            }
            return runner.matchValue()
        case "normalize":
            let form = arg(0).isNullish ? "NFC" : arg(0).jsString
            switch form {
            case "NFC": return .string(s.precomposedStringWithCanonicalMapping)
            case "NFD": return .string(s.decomposedStringWithCanonicalMapping)
            case "NFKC": return .string(s.precomposedStringWithCompatibilityMapping)
            case "NFKD": return .string(s.decomposedStringWithCompatibilityMapping)
            default: throw RuntimeError("RangeError: The normalization form should be one of NFC, NFD, NFKC, NFKD.")
            }
        case "padEnd", "padStart":
            let target = integer(arg(0))
            let filler = arg(1).isUndefined ? " " : arg(1).jsString
            guard target > Double(length), !filler.isEmpty else { return .string(s) }
            guard target < 1e8 else { throw RuntimeError("RangeError: Invalid string length") }
            let fillUnits = Array(filler.utf16)
            let needed = Int(target) - length
            var pad = [UInt16]()
            pad.reserveCapacity(needed)
            while pad.count < needed { pad.append(fillUnits[pad.count % fillUnits.count]) }
            let padding = JSStringOps.string(pad)
            return .string(name == "padEnd" ? s + padding : padding + s)
        case "repeat":
            let count = integer(arg(0))
            guard count >= 0, count < 1e8, count * Double(length) < 1e8 else { throw RuntimeError("RangeError: Invalid count value: \(Value.formatNumber(arg(0).jsNumber))") }
            return .string(String(repeating: s, count: Int(count)))
        case "replace", "replaceAll":
            if case .regex(let regex) = arg(0) {
                if name == "replaceAll" && !regex.isGlobal {
                    throw RuntimeError("TypeError: replaceAll must be called with a global RegExp")
                }
                return .string(try JSRegexRunner(regex, on: s).replace(with: arg(1)))
            }
            return .string(try replaceString(s, arg(0).jsString, with: arg(1), all: name == "replaceAll"))
        case "slice":
            let start = JSStringOps.relative(arg(0), length: length, default: 0)
            let end = JSStringOps.relative(arg(1), length: length, default: length)
            return .string(JSStringOps.units(s, from: start, to: end))
        case "substring":
            var start = JSStringOps.clamp(arg(0), length: length, default: 0)
            var end = JSStringOps.clamp(arg(1), length: length, default: length)
            if start > end { swap(&start, &end) }
            return .string(JSStringOps.units(s, from: start, to: end))
        case "substr":
            let start = JSStringOps.relative(arg(0), length: length, default: 0)
            let count = arg(1).isUndefined ? Double(length) : integer(arg(1))
            let end = Int(min(Double(length), Double(start) + max(0, count)))
            return .string(JSStringOps.units(s, from: start, to: end))
        case "split":
            let limitValue = arg(1)
            let limit = limitValue.isUndefined ? Int.max : Int(UInt32(truncatingIfNeeded: Int64(JSNumberOps.toInt32(limitValue.jsNumber))))
            switch arg(0) {
            case .undefined:
                return .array(JSArray(limit == 0 ? [] : [.string(s)]))
            case .regex(let regex):
                return .array(JSArray(try JSRegexRunner(regex, on: s).split(limit: limit)))
            case let separator:
                if s.isEmpty { return .array(JSArray(separator.jsString.isEmpty || limit == 0 ? [] : [.string("")])) }
                return .array(JSArray(JSStringOps.split(s, separator: separator.jsString, limit: limit).map(Value.string)))
            }
        case "toLowerCase", "toLocaleLowerCase": return .string(JSStringOps.lower(s))
        case "toUpperCase", "toLocaleUpperCase": return .string(JSStringOps.upper(s))
        case "toString", "valueOf": return .string(s)
        case "trim": return .string(JSStringOps.trim(s))
        case "trimStart", "trimLeft": return .string(JSStringOps.trim(s, end: false))
        case "trimEnd", "trimRight": return .string(JSStringOps.trim(s, start: false))
        default: return .undefined
        }
    }

    /// `ToIntegerOrInfinity`: NaN and undefined are 0.
    static func integer(_ v: Value) -> Double {
        let n = v.jsNumber
        return n.isNaN ? 0 : n.rounded(.towardZero)
    }

    private static func searchString(_ v: Value, _ method: String) throws -> String {
        if case .regex = v {
            throw RuntimeError("TypeError: First argument to String.prototype.\(method) must not be a regular expression")
        }
        return v.jsString
    }

    /// What `match`/`search` turn their argument into: a regex, or `new RegExp(String(arg))`.
    private static func regexArgument(_ v: Value) throws -> JSRegex {
        switch v {
        case .regex(let regex): return regex
        case .undefined: return JSRegex(source: "(?:)", flags: "")
        default: return JSRegex(source: v.jsString, flags: "")
        }
    }

    /// `replace`/`replaceAll` with a string pattern: first (or every)
    /// occurrence; `$&`, `` $` ``, `$'` and `$$` work in the replacement.
    static func replaceString(_ s: String, _ pattern: String, with replacement: Value, all: Bool) throws -> String {
        let hay = Array(s.utf16), needle = Array(pattern.utf16)
        var positions: [Int] = []
        var from = 0
        while from <= hay.count {
            let found = JSStringOps.indexOf(hay, needle, from: from)
            if found < 0 { break }
            positions.append(found)
            if !all { break }
            from = found + max(1, needle.count)
        }
        if positions.isEmpty { return s }
        var out = [UInt16]()
        var last = 0
        for p in positions {
            out += hay[last..<p]
            let piece: String
            if case .function(let f) = replacement {
                piece = try f.call(Arguments([.string(pattern), .number(Double(p)), .string(s)])).jsString
            } else {
                piece = expandPlain(replacement.jsString, hay: hay, at: p..<(p + needle.count))
            }
            out += piece.utf16
            last = p + needle.count
        }
        out += hay[last...]
        return JSStringOps.string(out)
    }

    private static func expandPlain(_ template: String, hay: [UInt16], at range: Range<Int>) -> String {
        guard template.utf8.contains(0x24) else { return template }
        let t = Array(template.utf16)
        var out = [UInt16]()
        var i = 0
        while i < t.count {
            if t[i] == 0x24, i + 1 < t.count {
                switch t[i + 1] {
                case 0x24: out.append(0x24); i += 2; continue
                case 0x26: out += hay[range]; i += 2; continue
                case 0x60: out += hay[0..<range.lowerBound]; i += 2; continue
                case 0x27: out += hay[range.upperBound...]; i += 2; continue
                default: break
                }
            }
            out.append(t[i]); i += 1
        }
        return JSStringOps.string(out)
    }
}
