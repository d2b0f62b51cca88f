/// The Watch module. See docs/ARCHITECTURE.md.
public enum WatchModule {}
