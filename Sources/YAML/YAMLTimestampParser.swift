import Foundation

/// js-yaml's timestamp type: `YYYY-MM-DD` (midnight UTC), or
/// `YYYY-M-D[Tt or spaces]H:MM:SS[.fraction][spaces][Z or ±H[H][:MM]]`,
/// without a zone meaning UTC. Like JavaScript's `Date.UTC`, out-of-range
/// days and months roll over instead of failing; fractions keep
/// milliseconds.
enum YAMLTimestampParser {
    static func parse(_ text: String) -> YAMLTimestamp? {
        let bytes = Array(text.utf8)
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.digits(exactly: 4), cursor.take("-") else { return nil }
        // A bare date needs two-digit month and day.
        if bytes.count == 10 {
            guard let month = cursor.digits(exactly: 2), cursor.take("-"), let day = cursor.digits(exactly: 2) else { return nil }
            return YAMLTimestamp(date: date(year, month, day, 0, 0, 0, milliseconds: 0), text: text, isDateOnly: true)
        }
        guard let month = cursor.digits(from: 1, to: 2), cursor.take("-"),
              let day = cursor.digits(from: 1, to: 2) else { return nil }
        if cursor.take("T") || cursor.take("t") {
        } else {
            guard cursor.skipBlanks() > 0 else { return nil }
        }
        guard let hour = cursor.digits(from: 1, to: 2), cursor.take(":"),
              let minute = cursor.digits(exactly: 2), cursor.take(":"),
              let second = cursor.digits(exactly: 2) else { return nil }
        var milliseconds = 0
        if cursor.take(".") {
            var fraction = cursor.digitText()
            fraction = String((fraction + "000").prefix(3))
            milliseconds = Int(fraction) ?? 0
        }
        var offsetMinutes = 0
        if !cursor.atEnd {
            cursor.skipBlanks()
            if cursor.take("Z") {
            } else if let sign = cursor.takeSign() {
                guard let zoneHour = cursor.digits(from: 1, to: 2) else { return nil }
                var zoneMinute = 0
                if cursor.take(":") {
                    guard let parsed = cursor.digits(exactly: 2) else { return nil }
                    zoneMinute = parsed
                }
                offsetMinutes = sign * (zoneHour * 60 + zoneMinute)
            } else {
                return nil
            }
        }
        guard cursor.atEnd else { return nil }
        let utc = date(year, month, day, hour, minute, second, milliseconds: milliseconds)
        return YAMLTimestamp(date: utc.addingTimeInterval(TimeInterval(-offsetMinutes * 60)), text: text, isDateOnly: false)
    }

    /// Date.UTC arithmetic: months and days roll over.
    static func date(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, milliseconds: Int) -> Date {
        let monthIndex = month - 1
        let normalizedYear = year + Int((Double(monthIndex) / 12).rounded(.down))
        let normalizedMonth = ((monthIndex % 12) + 12) % 12 + 1
        let days = daysFromCivil(normalizedYear, normalizedMonth, 1) + day - 1
        let seconds = Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + second) + Double(milliseconds) / 1000
        return Date(timeIntervalSince1970: seconds)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }

        mutating func takeSign() -> Int? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }

        @discardableResult
        mutating func skipBlanks() -> Int {
            let start = index
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            return index - start
        }

        mutating func digitText() -> String {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func digits(exactly count: Int) -> Int? { digits(from: count, to: count) }

        mutating func digits(from minimum: Int, to maximum: Int) -> Int? {
            let start = index
            while index < bytes.count, index - start < maximum, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index - start >= minimum else {
                index = start
                return nil
            }
            return Int(String(decoding: bytes[start..<index], as: UTF8.self))
        }
    }
}
