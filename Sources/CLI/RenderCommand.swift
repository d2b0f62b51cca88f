import Foundation
import Nunjucks
import Site

/// `unjucksd render`: renders one template to standard output; template
/// errors go to standard error with position, source line and caret.
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
        guard arguments.positionals.count == 1, let entry = arguments.positionals.first else {
            throw UsageError("expected exactly one template to render")
        }
        guard let root = arguments.value("root") else { throw UsageError("missing --root") }
        var options = EnvironmentOptions()
        switch arguments.value("autoescape") {
        case nil, "true": options.autoescape = true
        case "false": options.autoescape = false
        case let other?: throw UsageError("--autoescape takes true or false, not '\(other)'")
        }
        options.trimBlocks = arguments.has("trim-blocks")
        options.lstripBlocks = arguments.has("lstrip-blocks")
        options.throwOnUndefined = arguments.has("throw-on-undefined")

        var context = JSObject()
        if let file = arguments.value("context") {
            guard let data = FileManager.default.contents(atPath: file) else {
                Console.error("Error: cannot read context file \(file)\n")
                return ExitCode.failure
            }
            do {
                guard case .object(let object) = try JSON.parse(String(decoding: data, as: UTF8.self)) else {
                    Console.error("\(file): the context must be a JSON object\n")
                    return ExitCode.failure
                }
                context = object
            } catch {
                Console.error("\(file):\(error)\n")
                return ExitCode.failure
            }
        }

        let environment = Environment(loader: FileSystemLoader(roots: [root]), options: options)
        do {
            _ = try environment.render(name: entry, context: context, output: RenderCommand.writeToStandardOutput)
            return ExitCode.success
        } catch {
            Console.error(error.description + "\n")
            return ExitCode.failure
        }
    }

    /// Writes the page in as few `write(2)` calls as the pipe allows,
    /// straight from the render buffer.
    static func writeToStandardOutput(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = write(1, base + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}
