import Foundation

/// Checks regex literals when a template is parsed, as `new RegExp` does in
/// the JavaScript Nunjucks compiles to.
enum RegexSyntax {
    /// nil when `regex` compiles; else a short description of the problem.
    static func problem(in regex: JSRegex) -> String? {
        do {
            _ = try NSRegularExpression(pattern: regex.source, options: [])
            return nil
        } catch {
            return "invalid pattern"
        }
    }
}
