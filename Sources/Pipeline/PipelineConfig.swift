import YAML

/// A parsed pipeline file (`pipelines/NAME.yaml`); see docs/PIPELINES.md.
public struct PipelineConfig: Sendable {
    /// The pipeline file as given (used in error messages).
    public var file: String
    /// `name:`, or the file name without its extension.
    public var name: String
    /// The template tree, as a path usable to read it (relative to the
    /// current directory when `file` is).
    public var templatesDirectory: String
    /// Where `templates:` was written (the top of the file when it was not).
    public var templatesMark = YAMLMark(line: 1, column: 1)
    /// `output:` (relative to the output root), when given.
    public var output: Located<String>?
    /// Whether `output:` may leave the output root (`outside_root: true`).
    public var outputOutsideRoot = false
    /// `data:` — variable name to data file (relative to the template tree).
    public var dataFiles: [(name: String, path: Located<String>)] = []
    /// `vars:` — inline template variables.
    public var vars: YAMLNode?
    /// Engine options; autoescape is off by default (code generation).
    public var autoescape = false
    public var trimBlocks = false
    public var lstripBlocks = false
    public var throwOnUndefined = false
    public var steps: [PipelineStep] = []

    public init(file: String, name: String, templatesDirectory: String) {
        self.file = file
        self.name = name
        self.templatesDirectory = templatesDirectory
    }
}
