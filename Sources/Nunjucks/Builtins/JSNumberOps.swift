import Foundation

/// JavaScript's number functions that filters and number methods rely on.
enum JSNumberOps {
    /// `Math.round`: halves round toward +∞ (`-2.5` -> `-2`).
    static func round(_ x: Double) -> Double {
        guard x.isFinite else { return x }
        let floor = x.rounded(.down)
        return x - floor >= 0.5 ? floor + 1 : floor
    }

    /// `parseFloat(String(value))`: the longest decimal prefix after leading
    /// whitespace; NaN when there is none.
    static func parseFloat(_ text: String) -> Double {
        let units = Array(JSStringOps.trim(text, end: false).utf8)
        var i = 0
        var hasSign = false
        if i < units.count, units[i] == 0x2B || units[i] == 0x2D { i += 1; hasSign = true }
        let rest = units[i...]
        if rest.starts(with: "Infinity".utf8) { return hasSign && units[0] == 0x2D ? -.infinity : .infinity }
        var sawDigit = false
        while i < units.count, isDigit(units[i]) { i += 1; sawDigit = true }
        if i < units.count, units[i] == 0x2E {
            var j = i + 1
            var fraction = false
            while j < units.count, isDigit(units[j]) { j += 1; fraction = true }
            if fraction || sawDigit { i = j; sawDigit = sawDigit || fraction }
        }
        guard sawDigit else { return .nan }
        if i < units.count, units[i] == 0x65 || units[i] == 0x45 {
            var j = i + 1
            if j < units.count, units[j] == 0x2B || units[j] == 0x2D { j += 1 }
            let digitsStart = j
            while j < units.count, isDigit(units[j]) { j += 1 }
            if j > digitsStart { i = j }
        }
        var literal = String(decoding: units[0..<i], as: UTF8.self)
        if literal.hasSuffix(".") { literal.removeLast() }
        if literal.hasPrefix("+") { literal.removeFirst() }
        if literal.hasPrefix(".") { literal = "0" + literal }
        if literal.hasPrefix("-.") { literal = "-0" + literal.dropFirst() }
        return Double(literal) ?? .nan
    }

    /// `parseInt(String(value), radix)`.
    static func parseInt(_ text: String, radix radixValue: Value) -> Double {
        let units = Array(JSStringOps.trim(text, end: false).utf8)
        var i = 0
        var negative = false
        if i < units.count, units[i] == 0x2B || units[i] == 0x2D { negative = units[i] == 0x2D; i += 1 }
        var radix = radixValue.isNullish ? 0 : Int(truncatingIfNeeded: Int64(toInt32(radixValue.jsNumber)))
        var stripPrefix = true
        if radix != 0 {
            if radix < 2 || radix > 36 { return .nan }
            if radix != 16 { stripPrefix = false }
        } else {
            radix = 10
        }
        if stripPrefix, i + 1 < units.count, units[i] == 0x30, units[i + 1] == 0x78 || units[i + 1] == 0x58 {
            i += 2
            radix = 16
        }
        var result = 0.0
        var any = false
        while i < units.count, let digit = digitValue(units[i]), digit < radix {
            result = result * Double(radix) + Double(digit)
            any = true
            i += 1
        }
        guard any else { return .nan }
        return negative ? -result : result
    }

    static func toInt32(_ x: Double) -> Int32 {
        guard x.isFinite else { return 0 }
        let truncated = x.rounded(.towardZero)
        let wrapped = truncated.truncatingRemainder(dividingBy: 4294967296)
        return Int32(truncatingIfNeeded: Int64(wrapped))
    }

    /// `Number.prototype.toFixed(digits)`; ties round away from zero, as JS
    /// picks the larger n for the exact binary value.
    static func toFixed(_ x: Double, digits: Int) throws -> String {
        guard (0...100).contains(digits) else { throw RuntimeError("RangeError: toFixed() digits argument must be between 0 and 100") }
        guard x.isFinite, abs(x) < 1e21 else { return Value.formatNumber(x) }
        // glibc prints the exact binary value; extra digits reveal exact ties.
        let wide = String(format: "%.\(digits + 30)f", abs(x))
        let point = wide.firstIndex(of: ".")!
        let keepEnd = wide.index(point, offsetBy: digits + 1)
        var kept = Array(wide[..<keepEnd].utf8)
        let tail = wide[keepEnd...]
        let roundUp = tail.first.map { $0 >= "5" } ?? false
        if digits == 0 { kept.removeLast() }  // drop the "."
        if roundUp {
            var i = kept.count - 1
            while i >= 0 {
                if kept[i] == 0x2E { i -= 1; continue }
                if kept[i] == 0x39 { kept[i] = 0x30; i -= 1 } else { kept[i] += 1; break }
            }
            if i < 0 { kept.insert(0x31, at: 0) }
        }
        var out = String(decoding: kept, as: UTF8.self)
        if x < 0 { out = "-" + out }
        return out
    }

    /// `Number.prototype.toPrecision(precision)`.
    static func toPrecision(_ x: Double, precision: Int) throws -> String {
        guard (1...100).contains(precision) else { throw RuntimeError("RangeError: toPrecision() argument must be between 1 and 100") }
        guard x.isFinite else { return Value.formatNumber(x) }
        if x == 0 {
            return precision == 1 ? "0" : "0." + String(repeating: "0", count: precision - 1)
        }
        let scientific = String(format: "%.\(precision - 1)e", abs(x))
        let parts = scientific.split(separator: "e")
        let digits = parts[0].replacingOccurrences(of: ".", with: "")
        let exponent = Int(parts[1])!
        let sign = x < 0 ? "-" : ""
        if exponent < -6 || exponent >= precision {
            var mantissa = String(digits.prefix(1))
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
        }
        if exponent >= 0 {
            let integer = digits.prefix(exponent + 1)
            let fraction = digits.dropFirst(exponent + 1)
            return sign + integer + (fraction.isEmpty ? "" : "." + fraction)
        }
        return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits
    }

    /// `Number.prototype.toString(radix)`.
    static func toString(_ x: Double, radix: Int) throws -> String {
        guard (2...36).contains(radix) else { throw RuntimeError("RangeError: toString() radix must be between 2 and 36") }
        if radix == 10 || !x.isFinite { return Value.formatNumber(x) }
        let negative = x < 0
        var integer = abs(x).rounded(.down)
        var fraction = abs(x) - integer
        let symbols = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var head: [Character] = []
        if integer == 0 { head = ["0"] }
        while integer > 0 {
            let digit = Int(integer.truncatingRemainder(dividingBy: Double(radix)))
            head.append(symbols[digit])
            integer = (integer / Double(radix)).rounded(.down)
        }
        var out = (negative ? "-" : "") + String(head.reversed())
        if fraction > 0 {
            out += "."
            // Enough digits to carry the 52-bit fraction.
            var count = 0
            while fraction > 0 && count < 52 {
                fraction *= Double(radix)
                let digit = Int(fraction)
                out.append(symbols[digit])
                fraction -= Double(digit)
                count += 1
            }
        }
        return out
    }

    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private static func digitValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x61...0x7A: return Int(c - 0x61 + 10)
        case 0x41...0x5A: return Int(c - 0x41 + 10)
        default: return nil
        }
    }
}
