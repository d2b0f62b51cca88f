import Nunjucks

/// `undefined` as opposed to `null`, for messages.
extension Value {
    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }
}
