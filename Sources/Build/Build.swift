/// The Build module. See docs/ARCHITECTURE.md.
public enum BuildModule {}
