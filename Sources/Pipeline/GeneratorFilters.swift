import Nunjucks

/// Filters for code generators, registered on a pipeline's environment:
/// identifier cases (`camelCase`, `pascalCase`/`PascalCase`, `snakeCase`/
/// `snake_case`, `kebabCase`/`paramCase`, `constantCase`, `dotCase`,
/// `pathCase`, `titleCase`, `sentenceCase`, `upperFirst`, `lowerFirst`) and
/// Hygen's inflections (`pluralize`, `singularize`, `ordinalize`).
/// (Nunjucks's own `dump` gives JSON for embedding data in code.)
/// Filter names cannot contain `-` in Nunjucks (`x | kebab-case` would
/// subtract), hence `kebabCase`.
public enum GeneratorFilters {
    public static let caseFilters: [(name: String, convert: @Sendable (String) -> String)] = [
        ("camelCase", CaseConversion.camelCase),
        ("pascalCase", CaseConversion.pascalCase),
        ("PascalCase", CaseConversion.pascalCase),
        ("snakeCase", CaseConversion.snakeCase),
        ("snake_case", CaseConversion.snakeCase),
        ("kebabCase", CaseConversion.kebabCase),
        ("paramCase", CaseConversion.kebabCase),
        ("constantCase", CaseConversion.constantCase),
        ("dotCase", CaseConversion.dotCase),
        ("pathCase", CaseConversion.pathCase),
        ("titleCase", CaseConversion.titleCase),
        ("sentenceCase", CaseConversion.sentenceCase),
        ("upperFirst", CaseConversion.upperFirst),
        ("lowerFirst", CaseConversion.lowerFirst),
        ("pluralize", Inflection.pluralize),
        ("singularize", Inflection.singularize),
        ("ordinalize", Inflection.ordinalize),
    ]

    public static func register(in environment: Environment) {
        for filter in caseFilters {
            let convert = filter.convert
            environment.addFilter(filter.name) { value, _, _ in
                // Undefined and null convert to "", as change-case does with "".
                .string(value.isNullish ? "" : convert(value.jsString))
            }
        }
    }
}
