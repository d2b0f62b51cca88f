extension Value {
    /// JS property access `obj.key` / `obj[key]`, including the JS and
    /// Nunjucks methods templates may call. Missing members are undefined.
    public func member(_ key: Value) -> Value { .undefined }
}
