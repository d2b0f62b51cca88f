#if canImport(Glibc)
import Glibc
#endif

extension Logger {
    /// Severity, ordered from `trace` (most verbose) to `critical`.
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }

        /// Parses a level name, case-insensitively; `warn` and `err` are accepted too.
        public init?(name: String) {
            switch name.lowercased() {
            case "trace": self = .trace
            case "debug": self = .debug
            case "info": self = .info
            case "notice": self = .notice
            case "warning", "warn": self = .warning
            case "error", "err": self = .error
            case "critical", "crit": self = .critical
            default: return nil
            }
        }

        /// The level named by `UNJUCKSD_LOG_LEVEL`, or `info`.
        public static var fromEnvironment: Level {
            guard let raw = getenv("UNJUCKSD_LOG_LEVEL") else { return .info }
            return Level(name: String(cString: raw)) ?? .info
        }
    }
}
