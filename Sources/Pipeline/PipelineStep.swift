import Site
import YAML

/// One step of a pipeline. The step's kind is the key it is written with
/// (`- render: "**/*.njk"`); the key's value names what the step works on:
/// globs over the template tree (render, markdown, copy), globs over the
/// output produced so far (compress), or generator templates (generate,
/// inject).
public struct PipelineStep: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Nunjucks files rendered to outputs (front matter, layouts).
        case render
        /// Markdown files: front matter, Nunjucks, Markdown, layouts.
        case markdown
        /// Files copied unchanged.
        case copy
        /// `.gz` siblings of outputs.
        case compress
        /// Hygen-style generator templates, once per item of `each`.
        case generate
        /// Like `generate`, but every template injects into its `to:` file.
        case inject
    }

    public var kind: Kind
    /// Where the step starts in the pipeline file.
    public var mark: YAMLMark
    /// `name:`, a label for people and tools listing steps; defaults to the
    /// kind and its first pattern.
    public var label: String
    /// Globs (render, markdown, copy, compress) or template paths, files or
    /// directories (generate, inject), relative to the template tree.
    public var patterns: [Located<String>]
    /// Globs of paths left out.
    public var exclude: [Glob] = []
    /// Output path template (render, markdown, copy); overrides the default
    /// mapping `a/b.njk` -> `a/b.html`, `a/b.md` -> `a/b.html`, copy as is.
    public var to: Located<String>?
    /// Default layout (render, markdown); front matter `layout:` wins.
    public var layout: Located<String>?
    /// render/markdown: a variable later steps see, listing this step's
    /// pages in input order (`url`, `inputPath`, `outputPath`, `data`).
    public var collect: String?
    /// Markdown bodies are Nunjucks templates first (as in Eleventy).
    public var templateMarkdown = true
    /// Dotted path into the data whose items the generator runs once each.
    public var each: Located<String>?
    /// Variable each item is bound to (`item` by default).
    public var itemName = "item"
    /// Overwrite files whose template says `unless_exists: true`.
    public var force = false
    /// Extra template variables for this step only.
    public var vars: YAMLNode?
    /// gzip level 1...9.
    public var level = 9
    /// Outputs smaller than this many bytes are not compressed.
    public var minSize = 0

    public init(kind: Kind, mark: YAMLMark, patterns: [Located<String>]) {
        self.kind = kind
        self.mark = mark
        self.patterns = patterns
        label = kind.rawValue + (patterns.first.map { " " + $0.value } ?? "")
    }
}
