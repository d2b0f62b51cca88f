/// The Cache module. See docs/ARCHITECTURE.md.
public enum CacheModule {}
