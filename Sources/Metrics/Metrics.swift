/// The Metrics module. See docs/ARCHITECTURE.md.
public enum MetricsModule {}
