// The tables are immutable and their functions keep no state, but
// `FilterFunction`/`TestFunction` are not `@Sendable` closure types, hence
// `nonisolated(unsafe)`.

/// The filters, tests and globals every Nunjucks environment starts with,
/// matching Nunjucks 3.2.4.
public enum Builtins {
    /// Every Nunjucks 3.2.4 filter by name, aliases included.
    nonisolated(unsafe) public static let filters: [String: FilterFunction] =
        Dictionary(uniqueKeysWithValues: filterBoxes.map { ($0.0, $0.1.call) })

    /// The builtin filters, each boxed as written (see `FilterBox`).
    nonisolated(unsafe) static let filterBoxes: [(String, FilterBox)] = [
        ("abs", FilterBox(ValueFilters.abs)),
        ("batch", FilterBox(CollectionFilters.batch)),
        ("capitalize", FilterBox(TextFilters.capitalize)),
        ("center", FilterBox(TextFilters.center)),
        ("default", FilterBox(ValueFilters.default)),
        ("d", FilterBox(ValueFilters.default)),
        ("dictsort", FilterBox(CollectionFilters.dictsort)),
        ("dump", FilterBox(ValueFilters.dump)),
        ("escape", FilterBox(ValueFilters.escape)),
        ("e", FilterBox(ValueFilters.escape)),
        ("first", FilterBox(CollectionFilters.first)),
        ("float", FilterBox(ValueFilters.float)),
        ("forceescape", FilterBox(ValueFilters.forceescape)),
        ("groupby", FilterBox(CollectionFilters.groupby)),
        ("indent", FilterBox(TextFilters.indent)),
        ("int", FilterBox(ValueFilters.int)),
        ("join", FilterBox(CollectionFilters.join)),
        ("last", FilterBox(CollectionFilters.last)),
        ("length", FilterBox(CollectionFilters.length)),
        ("list", FilterBox(CollectionFilters.list)),
        ("lower", FilterBox(TextFilters.lower)),
        ("nl2br", FilterBox(TextFilters.nl2br)),
        ("random", FilterBox(CollectionFilters.random)),
        ("reject", FilterBox(CollectionFilters.reject)),
        ("rejectattr", FilterBox(CollectionFilters.rejectattr)),
        ("replace", FilterBox(TextFilters.replace)),
        ("reverse", FilterBox(CollectionFilters.reverse)),
        ("round", FilterBox(ValueFilters.round)),
        ("safe", FilterBox(ValueFilters.safe)),
        ("select", FilterBox(CollectionFilters.select)),
        ("selectattr", FilterBox(CollectionFilters.selectattr)),
        ("slice", FilterBox(CollectionFilters.slice)),
        ("sort", FilterBox(CollectionFilters.sort)),
        ("string", FilterBox(ValueFilters.string)),
        ("striptags", FilterBox(TextFilters.striptags)),
        ("sum", FilterBox(CollectionFilters.sum)),
        ("title", FilterBox(TextFilters.title)),
        ("trim", FilterBox(TextFilters.trim)),
        ("truncate", FilterBox(TextFilters.truncate)),
        ("upper", FilterBox(TextFilters.upper)),
        ("urlencode", FilterBox(TextFilters.urlencode)),
        ("urlize", FilterBox(TextFilters.urlize)),
        ("wordcount", FilterBox(TextFilters.wordcount)),
    ]

    /// Every Nunjucks 3.2.4 test by name, aliases included (`none` too,
    /// since `x is none` names the `null` test).
    nonisolated(unsafe) public static let tests: [String: TestFunction] =
        Dictionary(uniqueKeysWithValues: BuiltinTests.table.map { ($0.0, $0.1.call) })

    /// The global functions `range`, `cycler` and `joiner`. Call once per
    /// render: cyclers and joiners carry state.
    public static func globals() -> [String: Value] { BuiltinGlobals.make() }
}
