/// The Pipeline module. See docs/ARCHITECTURE.md.
public enum PipelineModule {}
