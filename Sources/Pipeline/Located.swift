import YAML

/// A value read from a YAML file with where it was written, so a later
/// problem with it (a `to:` that escapes, a missing template) is reported
/// at the right line and column.
public struct Located<Wrapped: Sendable>: Sendable {
    public var value: Wrapped
    public var mark: YAMLMark

    public init(_ value: Wrapped, at mark: YAMLMark) {
        self.value = value
        self.mark = mark
    }
}
