/// Fuel for one render: a hostile template gets an error instead of
/// hanging, exhausting memory or overflowing the stack.
public struct RenderLimits: Sendable, Equatable {
    /// Nested macro calls, includes, imports, blocks and parent templates.
    /// Each level uses stack; keep the default unless renders run on threads
    /// with stacks of 8 MiB or more.
    public var maxDepth: Int
    /// `for` iterations over the whole render.
    public var maxLoopIterations: Int
    /// Bytes written (captured output counts again when it is output).
    public var maxOutputBytes: Int

    public init(maxDepth: Int = 200, maxLoopIterations: Int = 10_000_000, maxOutputBytes: Int = 256 << 20) {
        self.maxDepth = maxDepth
        self.maxLoopIterations = maxLoopIterations
        self.maxOutputBytes = maxOutputBytes
    }
}

/// Nunjucks's environment options.
public struct EnvironmentOptions: Sendable, Equatable {
    public var autoescape: Bool
    /// Make `{{ x }}` an error when x is undefined or null.
    public var throwOnUndefined: Bool
    /// Drop the first newline after a block tag.
    public var trimBlocks: Bool
    /// Drop whitespace before a block tag at the start of its line.
    public var lstripBlocks: Bool
    public var limits: RenderLimits

    public init(autoescape: Bool = true, throwOnUndefined: Bool = false, trimBlocks: Bool = false,
                lstripBlocks: Bool = false, limits: RenderLimits = RenderLimits()) {
        self.autoescape = autoescape
        self.throwOnUndefined = throwOnUndefined
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.limits = limits
    }
}

/// The output of a render and the templates it read.
public struct RenderResult: Sendable {
    public let output: String
    /// Canonical names of every template loaded, entry first: the dependency record.
    public let loadedTemplates: [String]
}
