/// The Markdown module. See docs/ARCHITECTURE.md.
public enum MarkdownModule {}
