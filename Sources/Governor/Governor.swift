/// The Governor module. See docs/ARCHITECTURE.md.
public enum GovernorModule {}
