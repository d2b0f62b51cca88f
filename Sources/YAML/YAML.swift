/// The YAML module. See docs/ARCHITECTURE.md.
public enum YAMLModule {}
