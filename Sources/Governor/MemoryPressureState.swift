/// The governor's memory pressure state.
public enum MemoryPressureState: Int, Sendable, Comparable, CustomStringConvertible {
    case normal = 0
    case elevated = 1
    case critical = 2

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .normal: "normal"
        case .elevated: "elevated"
        case .critical: "critical"
        }
    }
}
