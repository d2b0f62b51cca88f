// The tables are immutable and their functions keep no state, but
// `FilterFunction`/`TestFunction` are not `@Sendable` closure types, hence
// `nonisolated(unsafe)`.

/// The filters, tests and globals every Nunjucks environment starts with,
/// matching Nunjucks 3.2.4.
public enum Builtins {
    /// Every Nunjucks 3.2.4 filter by name, aliases included.
    nonisolated(unsafe) public static let filters: [String: FilterFunction] = [
        "abs": ValueFilters.abs,
        "batch": CollectionFilters.batch,
        "capitalize": TextFilters.capitalize,
        "center": TextFilters.center,
        "default": ValueFilters.default,
        "d": ValueFilters.default,
        "dictsort": CollectionFilters.dictsort,
        "dump": ValueFilters.dump,
        "escape": ValueFilters.escape,
        "e": ValueFilters.escape,
        "first": CollectionFilters.first,
        "float": ValueFilters.float,
        "forceescape": ValueFilters.forceescape,
        "groupby": CollectionFilters.groupby,
        "indent": TextFilters.indent,
        "int": ValueFilters.int,
        "join": CollectionFilters.join,
        "last": CollectionFilters.last,
        "length": CollectionFilters.length,
        "list": CollectionFilters.list,
        "lower": TextFilters.lower,
        "nl2br": TextFilters.nl2br,
        "random": CollectionFilters.random,
        "reject": CollectionFilters.reject,
        "rejectattr": CollectionFilters.rejectattr,
        "replace": TextFilters.replace,
        "reverse": CollectionFilters.reverse,
        "round": ValueFilters.round,
        "safe": ValueFilters.safe,
        "select": CollectionFilters.select,
        "selectattr": CollectionFilters.selectattr,
        "slice": CollectionFilters.slice,
        "sort": CollectionFilters.sort,
        "string": ValueFilters.string,
        "striptags": TextFilters.striptags,
        "sum": CollectionFilters.sum,
        "title": TextFilters.title,
        "trim": TextFilters.trim,
        "truncate": TextFilters.truncate,
        "upper": TextFilters.upper,
        "urlencode": TextFilters.urlencode,
        "urlize": TextFilters.urlize,
        "wordcount": TextFilters.wordcount,
    ]

    /// Every Nunjucks 3.2.4 test by name, aliases included (`none` too,
    /// since `x is none` names the `null` test).
    nonisolated(unsafe) public static let tests: [String: TestFunction] = BuiltinTests.table

    /// The global functions `range`, `cycler` and `joiner`. Call once per
    /// render: cyclers and joiners carry state.
    public static func globals() -> [String: Value] { BuiltinGlobals.make() }
}
