/// The Site module. See docs/ARCHITECTURE.md.
public enum SiteModule {}
