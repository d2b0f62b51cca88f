/// The Server module. See docs/ARCHITECTURE.md.
public enum ServerModule {}
