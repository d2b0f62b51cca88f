/// The Daemon module. See docs/ARCHITECTURE.md.
public enum DaemonModule {}
