import Foundation
import Nunjucks

/// Date filters: the RSS plugin's `dateToRfc3339` and `dateToRfc822`, and a
/// strftime-style `date(format)`. Dates may be ISO strings, `YYYY-MM-DD`
/// text or numbers (milliseconds since 1970, as JS).
extension SiteFilters {
    static func registerDateFilters(in environment: Environment) {
        environment.addFilter("dateToRfc3339") { value, _, _ in
            guard let seconds = seconds(of: value) else { return value }
            return .string(format(seconds, "%Y-%m-%dT%H:%M:%SZ"))
        }
        environment.addFilter("dateToRfc822") { value, _, _ in
            guard let seconds = seconds(of: value) else { return value }
            return .string(format(seconds, "%a, %d %b %Y %H:%M:%S +0000"))
        }
        environment.addFilter("date") { value, arguments, _ in
            guard let seconds = seconds(of: value) else { return value }
            let pattern = arguments.positional.first?.outputString ?? "%Y-%m-%d"
            return .string(format(seconds, pattern))
        }
    }

    static func seconds(of value: Value) -> Double? {
        switch value {
        case .number(let ms): return ms / 1000
        case .string(let s), .safe(let s): return PageDate.parse(s)
        default: return nil
        }
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// strftime subset in UTC: %Y %m %d %e %B %b %A %a %H %M %S %j %%.
    public static func format(_ seconds: Double, _ pattern: String) -> String {
        let whole = Int(seconds.rounded(.down))
        var days = whole / 86400
        var rest = whole % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        let (y, m, d) = PageDate.civilFromDays(days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
        let dayOfYear = days - PageDate.daysFromCivil(year: y, month: 1, day: 1) + 1
        func pad(_ n: Int, _ width: Int = 2) -> String {
            let s = String(n)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        var out = ""
        var percent = false
        for c in pattern {
            guard percent else {
                if c == "%" { percent = true } else { out.append(c) }
                continue
            }
            percent = false
            switch c {
            case "Y": out += String(y)
            case "m": out += pad(m)
            case "d": out += pad(d)
            case "e": out += String(d)
            case "B": out += monthNames[m - 1]
            case "b": out += String(monthNames[m - 1].prefix(3))
            case "A": out += dayNames[weekday]
            case "a": out += String(dayNames[weekday].prefix(3))
            case "H": out += pad(rest / 3600)
            case "M": out += pad((rest / 60) % 60)
            case "S": out += pad(rest % 60)
            case "j": out += pad(dayOfYear, 3)
            case "%": out += "%"
            default: out += "%" + String(c)
            }
        }
        return out
    }
}
