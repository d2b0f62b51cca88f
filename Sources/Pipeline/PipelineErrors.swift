import Site

/// Several problems found at once (every bad key of a file, not just the
/// first), each with file, line and column.
public struct PipelineErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [SiteError]

    public init(_ errors: [SiteError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
