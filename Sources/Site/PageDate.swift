import Foundation

/// Page dates. Front matter `date:` is kept as the text written (so
/// `{{ date }}` prints `2024-01-05`, not a JS Date string); `page.date` and
/// collection items carry the ISO 8601 instant (`toISOString()` form).
/// Undated pages take the file's modification time, as Eleventy does.
public enum PageDate {
    /// Seconds since 1970 for `YYYY-MM-DD`, `YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH:MM]`;
    /// nil for anything else.
    public static func parse(_ text: String) -> Double? {
        let s = Array(TextSearch.trimmed(text).utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= s.count else { return nil }
            var n = 0
            for k in 0..<digits {
                let c = s[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            i += digits
            return n
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < s.count, s[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0.0, offset = 0
        if i < s.count {
            guard s[i] == 0x54 || s[i] == 0x74 || s[i] == 0x20 else { return nil }
            i += 1
            guard let h = number(2), expect(0x3A), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if expect(0x3A) {
                guard let sec = number(2), sec < 61 else { return nil }
                second = Double(sec)
                if expect(0x2E) {
                    var scale = 0.1
                    while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
                        second += Double(s[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                }
            }
            while i < s.count, s[i] == 0x20 { i += 1 }
            if i < s.count {
                if s[i] == 0x5A || s[i] == 0x7A {
                    i += 1
                } else if s[i] == 0x2B || s[i] == 0x2D {
                    let sign = s[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = expect(0x3A)
                    let om = number(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
            guard i == s.count else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 - offset) + second
    }

    /// `Date.prototype.toISOString()`: `2024-01-05T00:00:00.000Z`.
    public static func isoString(_ seconds: Double) -> String {
        func digits(_ n: Int, _ width: Int, into out: inout [UInt8]) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = n
            while divisor > 0 {
                out.append(UInt8(0x30 + (rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        let millis = Int64((seconds * 1000).rounded(.down))
        var days = millis / 86_400_000
        var rest = millis % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let (y, m, d) = civilFromDays(Int(days))
        let h = rest / 3_600_000, mi = (rest / 60_000) % 60, s = (rest / 1000) % 60, ms = rest % 1000
        var out: [UInt8] = []
        out.reserveCapacity(24)
        if y < 0 || y > 9999 { return String(format: "%+07d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d, Int(h), Int(mi), Int(s), Int(ms)) }
        digits(y, 4, into: &out); out.append(0x2D)
        digits(m, 2, into: &out); out.append(0x2D)
        digits(d, 2, into: &out); out.append(0x54)
        digits(Int(h), 2, into: &out); out.append(0x3A)
        digits(Int(mi), 2, into: &out); out.append(0x3A)
        digits(Int(s), 2, into: &out); out.append(0x2E)
        digits(Int(ms), 3, into: &out); out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
