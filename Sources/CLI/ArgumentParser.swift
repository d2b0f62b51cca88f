/// Parses `argv` against a list of `OptionSpec`s. Options and positionals may
/// come in any order; `--opt=value` and `--opt value` are both accepted; `--`
/// ends option parsing.
public struct ArgumentParser: Sendable {
    public let options: [OptionSpec]

    public init(options: [OptionSpec]) {
        self.options = options
    }

    public func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || argument == "-" || !argument.hasPrefix("-") {
                result.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name: String
            var inlineValue: String?
            if argument.hasPrefix("--") {
                name = String(argument.dropFirst(2))
                if let eq = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
            } else {
                let letters = argument.dropFirst()
                guard letters.count == 1, let spec = options.first(where: { $0.short == letters.first }) else {
                    throw UsageError("unknown option '\(argument)'")
                }
                name = spec.name
            }
            guard let spec = options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '--\(name)'")
            }
            if spec.takesValue {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index < arguments.count {
                    value = arguments[index]
                    index += 1
                } else {
                    throw UsageError("missing value for '--\(name)'")
                }
                result.values[name, default: []].append(value)
            } else {
                if inlineValue != nil {
                    throw UsageError("'--\(name)' does not take a value")
                }
                result.flags.insert(name)
            }
        }
        return result
    }
}
