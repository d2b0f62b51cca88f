/// `unjucksd render`: render one template to stdout. Owned by the engine work:
/// this placeholder only parses the contract's options.
struct RenderCommand: Command {
    static let name = "render"
    static let overview = "Render one Nunjucks template to standard output."
    static let usage = "<entry> --root <dir> [--context <file>] [--autoescape true|false] [--trim-blocks] [--lstrip-blocks] [--throw-on-undefined]"
    static let options: [OptionSpec] = [
        .value("root", "dir", help: "Directory templates are loaded from; nothing outside it is read."),
        .value("context", "file", help: "JSON file whose object is the template context."),
        .value("autoescape", "bool", help: "Escape output of variables (default: true)."),
        .flag("trim-blocks", help: "Remove the first newline after a block tag."),
        .flag("lstrip-blocks", help: "Strip whitespace before a block tag on its line."),
        .flag("throw-on-undefined", help: "Make output of undefined or null values an error."),
    ]

    func run(_ arguments: ParsedArguments) throws -> Int32 {
        throw UsageError("render is not wired to the engine yet")
    }
}
