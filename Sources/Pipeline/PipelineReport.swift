import Site

/// What one pipeline run did.
public struct PipelineReport: Sendable {
    /// The pipeline's name (`name:` or the file name).
    public var name: String
    /// The pipeline file as given.
    public var file: String
    /// Where its outputs went ("" when the file could not be read).
    public var outputDirectory: String = ""
    /// Files whose bytes changed on disk.
    public var filesWritten = 0
    /// Files produced with exactly the bytes already on disk (not rewritten).
    public var filesUnchanged = 0
    /// Outputs of the previous run this run no longer produces, deleted.
    public var filesRemoved = 0
    /// Generator outputs not produced: `unless_exists` on an existing file,
    /// a `to:` that rendered empty, an injection whose `skip_if` matched.
    public var filesSkipped = 0
    /// Injections applied (in memory; the target is written only if it changed).
    public var filesInjected = 0
    /// `.gz` siblings produced.
    public var compressed = 0
    /// Every problem found, each with file, line and column.
    public var errors: [SiteError] = []
    public var seconds: Double = 0

    public init(name: String, file: String) {
        self.name = name
        self.file = file
    }

    public var succeeded: Bool { errors.isEmpty }
}
