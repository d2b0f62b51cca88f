/// Builds Prometheus text exposition format 0.0.4.
public struct PrometheusTextWriter: Sendable {
    /// The text written so far.
    public private(set) var text = ""

    /// The content type a scrape endpoint should answer with.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public init() {}

    /// Writes the `# HELP` and `# TYPE` lines of a family.
    public mutating func header(name: String, help: String, type: MetricType) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n"
        text += "# TYPE \(name) \(type.rawValue)\n"
    }

    /// Writes one sample line, optionally with one extra label (the histogram `le`).
    public mutating func sample(name: String, labels: MetricLabels, extra: MetricLabels.Pair? = nil, value: Double) {
        text += name
        if !labels.isEmpty || extra != nil {
            text += "{"
            var first = true
            for pair in labels.pairs + (extra.map { [$0] } ?? []) {
                if !first { text += "," }
                first = false
                text += pair.name
                text += "=\""
                text += Self.escapeLabelValue(pair.value)
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += Self.format(value)
        text += "\n"
    }

    /// Formats a sample value: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return String(value)
    }

    /// HELP text escapes backslash and newline.
    public static func escapeHelp(_ help: String) -> String {
        guard help.contains(where: { $0 == "\\" || $0 == "\n" }) else { return help }
        var out = ""
        for ch in help {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Label values escape backslash, double quote and newline.
    public static func escapeLabelValue(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\n" || $0 == "\"" }) else { return value }
        var out = ""
        for ch in value {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"": out += "\\\""
            default: out.append(ch)
            }
        }
        return out
    }
}
