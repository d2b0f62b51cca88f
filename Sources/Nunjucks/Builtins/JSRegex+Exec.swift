import Foundation

/// One regex match in UTF-16 offsets, with its capture groups.
struct JSRegexMatch {
    let range: Range<Int>
    /// Capture groups 1...n; nil for a group that did not take part.
    let groups: [Range<Int>?]
    /// Named groups by name.
    let named: [(String, Range<Int>?)]
}

/// The `String.prototype` operations that take a regex, with JS results.
struct JSRegexRunner {
    let regex: JSRegex
    let expression: NSRegularExpression
    let text: String
    let units: [UInt16]

    init(_ regex: JSRegex, on text: String) throws {
        self.regex = regex
        self.expression = try regex.compiled()
        self.text = text
        self.units = Array(text.utf16)
    }

    func substring(_ range: Range<Int>) -> String { JSStringOps.string(units[range]) }

    /// The first match starting at or after `from` (exactly at `from` when sticky).
    func match(from: Int, anchored: Bool = false) -> JSRegexMatch? {
        guard from <= units.count else { return nil }
        var options: NSRegularExpression.MatchingOptions = [.withTransparentBounds, .withoutAnchoringBounds]
        if anchored || regex.isSticky { options.insert(.anchored) }
        let searchRange = NSRange(location: from, length: units.count - from)
        guard let result = expression.firstMatch(in: text, options: options, range: searchRange) else { return nil }
        return convert(result)
    }

    private func convert(_ result: NSTextCheckingResult) -> JSRegexMatch {
        func range(_ r: NSRange) -> Range<Int>? {
            r.location == NSNotFound ? nil : r.location..<(r.location + r.length)
        }
        var groups: [Range<Int>?] = []
        if result.numberOfRanges > 1 {
            for g in 1..<result.numberOfRanges { groups.append(range(result.range(at: g))) }
        }
        var named: [(String, Range<Int>?)] = []
        for name in Self.groupNames(regex.source) {
            named.append((name, range(result.range(withName: name))))
        }
        return JSRegexMatch(range: range(result.range)!, groups: groups, named: named)
    }

    /// Every match a global regex visits (empty matches advance by one unit).
    func allMatches() -> [JSRegexMatch] {
        var matches: [JSRegexMatch] = []
        var position = 0
        while position <= units.count, let m = match(from: position) {
            matches.append(m)
            position = m.range.isEmpty ? m.range.upperBound + 1 : m.range.upperBound
            if regex.isSticky && m.range.isEmpty { break }
        }
        return matches
    }

    /// `String.prototype.replace` / `replaceAll` with a regex pattern.
    func replace(with replacement: Value) throws -> String {
        let targets = regex.isGlobal ? allMatches() : (match(from: 0).map { [$0] } ?? [])
        if targets.isEmpty { return text }
        var out = [UInt16]()
        out.reserveCapacity(units.count)
        var position = 0
        for m in targets {
            out.append(contentsOf: units[position..<m.range.lowerBound])
            let piece: String
            if case .function(let f) = replacement {
                var args: [Value] = [.string(substring(m.range))]
                args += m.groups.map { $0.map { .string(substring($0)) } ?? .undefined }
                args += [.number(Double(m.range.lowerBound)), .string(text)]
                piece = try f.call(Arguments(args)).jsString
            } else {
                piece = expand(replacement.jsString, match: m)
            }
            out.append(contentsOf: piece.utf16)
            position = m.range.upperBound
        }
        out.append(contentsOf: units[position...])
        return JSStringOps.string(out)
    }

    /// JS replacement patterns: `$$ $& $\` $' $n $nn $<name>`.
    func expand(_ template: String, match m: JSRegexMatch) -> String {
        guard template.utf8.contains(0x24) else { return template }
        let t = Array(template.utf16)
        var out = [UInt16]()
        var i = 0
        while i < t.count {
            let c = t[i]
            guard c == 0x24, i + 1 < t.count else { out.append(c); i += 1; continue }
            let n = t[i + 1]
            switch n {
            case 0x24: out.append(0x24); i += 2
            case 0x26: out += units[m.range]; i += 2
            case 0x60: out += units[0..<m.range.lowerBound]; i += 2
            case 0x27: out += units[m.range.upperBound...]; i += 2
            case 0x30...0x39:
                var index = Int(n - 0x30)
                var width = 2
                if i + 2 < t.count, (0x30...0x39).contains(t[i + 2]) {
                    let two = index * 10 + Int(t[i + 2] - 0x30)
                    if two >= 1 && two <= m.groups.count { index = two; width = 3 }
                }
                if index >= 1 && index <= m.groups.count {
                    if let r = m.groups[index - 1] { out += units[r] }
                    i += width
                } else {
                    out.append(c); i += 1
                }
            case 0x3C where !m.named.isEmpty:
                if let close = t[(i + 2)...].firstIndex(of: 0x3E) {
                    let name = JSStringOps.string(t[(i + 2)..<close])
                    if let r = m.named.first(where: { $0.0 == name })?.1 { out += units[r] }
                    i = close + 1
                } else {
                    out.append(c); i += 1
                }
            default: out.append(c); i += 1
            }
        }
        return JSStringOps.string(out)
    }

    /// `String.prototype.split(regex, limit)`: captures are spliced in.
    func split(limit: Int) -> [Value] {
        if limit == 0 { return [] }
        if units.isEmpty { return match(from: 0, anchored: true) == nil ? [.string("")] : [] }
        var parts: [Value] = []
        var last = 0, q = 0
        while q < units.count {
            guard let m = match(from: q), m.range.lowerBound < units.count else { break }
            if m.range.upperBound == last || m.range.isEmpty && m.range.lowerBound == last {
                q = m.range.lowerBound + 1
                continue
            }
            let end = min(m.range.upperBound, units.count)
            parts.append(.string(substring(last..<m.range.lowerBound)))
            if parts.count == limit { return parts }
            for g in m.groups {
                parts.append(g.map { .string(substring($0)) } ?? .undefined)
                if parts.count == limit { return parts }
            }
            last = end
            q = m.range.isEmpty ? end + 1 : end
        }
        parts.append(.string(substring(last..<units.count)))
        return parts
    }

    /// `exec` result: the match and its groups as an array, or null.
    func execArray(_ m: JSRegexMatch?) -> Value {
        guard let m else { return .null }
        var values: [Value] = [.string(substring(m.range))]
        values += m.groups.map { $0.map { .string(substring($0)) } ?? .undefined }
        return .array(JSArray(values))
    }

    /// `String.prototype.match`: all matched strings for a global regex,
    /// else the `exec` array.
    func matchValue() -> Value {
        if regex.isGlobal {
            let all = allMatches()
            return all.isEmpty ? .null : .array(JSArray(all.map { .string(substring($0.range)) }))
        }
        return execArray(match(from: 0))
    }

    /// Names of `(?<name>...)` groups in source order.
    static func groupNames(_ source: String) -> [String] {
        guard source.contains("(?<") else { return [] }
        var names: [String] = []
        var rest = Substring(source)
        while let open = rest.range(of: "(?<") {
            rest = rest[open.upperBound...]
            guard let first = rest.first, first != "=", first != "!", let close = rest.firstIndex(of: ">") else { continue }
            names.append(String(rest[..<close]))
            rest = rest[close...]
        }
        return names
    }
}
