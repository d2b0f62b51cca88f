/// The Nunjucks module. See docs/ARCHITECTURE.md.
public enum NunjucksModule {}
