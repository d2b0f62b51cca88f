/// Where the states begin and end. Entering and leaving thresholds differ
/// (hysteresis), so figures hovering around one boundary do not flap.
public struct GovernorThresholds: Sendable, Equatable {
    /// Fraction of the limit at which `elevated` begins, and below which it ends.
    public var elevatedEnter: Double
    public var elevatedExit: Double
    /// Fraction of the limit at which `critical` begins, and below which it ends.
    public var criticalEnter: Double
    public var criticalExit: Double
    /// PSI `some avg10` at which `elevated` begins, and below which it ends.
    public var pressureEnter: Double
    public var pressureExit: Double

    public init(elevatedEnter: Double = 0.70, elevatedExit: Double = 0.60,
                criticalEnter: Double = 0.90, criticalExit: Double = 0.80,
                pressureEnter: Double = 10, pressureExit: Double = 5) {
        self.elevatedEnter = elevatedEnter
        self.elevatedExit = elevatedExit
        self.criticalEnter = criticalEnter
        self.criticalExit = criticalExit
        self.pressureEnter = pressureEnter
        self.pressureExit = pressureExit
    }

    /// The state the figures call for, given the current one. `usage` is
    /// resident / limit (nil without a limit: then only pressure matters and
    /// `critical` is never reached); `pressure` is PSI some avg10.
    public func target(from current: MemoryPressureState, usage: Double?, pressure: Double?) -> MemoryPressureState {
        let fraction = usage ?? 0
        let stall = pressure ?? 0
        if fraction >= criticalEnter || (current == .critical && fraction >= criticalExit) { return .critical }
        if fraction >= elevatedEnter || stall >= pressureEnter { return .elevated }
        if current >= .elevated && (fraction >= elevatedExit || stall >= pressureExit) { return .elevated }
        return .normal
    }

    /// Why moving from `current` to `target` is right, in figures.
    public func reason(from current: MemoryPressureState, to target: MemoryPressureState,
                       usage: Double?, pressure: Double?) -> String {
        let percent = { (value: Double) in "\(Int((value * 100).rounded()))%" }
        let used = usage.map(percent) ?? "n/a (no limit)"
        let stall = pressure.map { "\($0)" } ?? "n/a"
        switch (current, target) {
        case (_, .critical):
            return "usage \(used) of the limit >= \(percent(criticalEnter))"
        case (.critical, .elevated):
            return "usage \(used) of the limit < \(percent(criticalExit))"
        case (_, .elevated) where (usage ?? 0) >= elevatedEnter:
            return "usage \(used) of the limit >= \(percent(elevatedEnter))"
        case (_, .elevated):
            return "memory pressure (PSI some avg10) \(stall) >= \(pressureEnter)"
        case (_, .normal):
            return "usage \(used) of the limit < \(percent(elevatedExit)) and PSI some avg10 \(stall) < \(pressureExit)"
        }
    }
}
