import Nunjucks
import Testing
@testable import Pipeline

@Suite struct InflectionTests {
    static let pairs: [(String, String)] = [
        ("user", "users"), ("category", "categories"), ("address", "addresses"), ("box", "boxes"),
        ("branch", "branches"), ("dish", "dishes"), ("key", "keys"), ("day", "days"), ("query", "queries"),
        ("person", "people"), ("child", "children"), ("man", "men"), ("mouse", "mice"), ("ox", "oxen"),
        ("status", "statuses"), ("alias", "aliases"), ("bus", "buses"), ("quiz", "quizzes"),
        ("matrix", "matrices"), ("index", "indices"), ("vertex", "vertices"), ("analysis", "analyses"),
        ("crisis", "crises"), ("axis", "axes"), ("wife", "wives"), ("half", "halves"), ("leaf", "leaves"),
        ("knife", "knives"), ("hero", "heroes"), ("potato", "potatoes"), ("photo", "photos"),
        ("medium", "media"), ("datum", "data"), ("octopus", "octopi"), ("archive", "archives"),
        ("movie", "movies"), ("shoe", "shoes"), ("database", "databases"), ("criterion", "criteria"),
        ("news", "news"), ("sheep", "sheep"), ("series", "series"), ("equipment", "equipment"),
    ]

    @Test func pluralAndSingularGoBothWays() {
        for (singular, plural) in Self.pairs {
            #expect(Inflection.pluralize(singular) == plural, "\(singular)")
            #expect(Inflection.singularize(plural) == singular, "\(plural)")
        }
    }

    @Test func onlyTheLastWordChangesAndKeepsItsCase() {
        #expect(Inflection.pluralize("blogPost") == "blogPosts")
        #expect(Inflection.pluralize("BlogCategory") == "BlogCategories")
        #expect(Inflection.pluralize("user_address") == "user_addresses")
        #expect(Inflection.pluralize("salesPerson") == "salesPeople")
        #expect(Inflection.pluralize("Person") == "People")
        #expect(Inflection.pluralize("BOX") == "BOXES")
        #expect(Inflection.singularize("order-items") == "order-item")
        #expect(Inflection.singularize("HTTPStatuses") == "HTTPStatus")
        #expect(Inflection.pluralize("") == "")
        #expect(Inflection.pluralize("users") == "users", "a plural stays plural")
        #expect(Inflection.singularize("user") == "user", "a singular stays singular")
    }

    @Test func generatorTemplatesHaveThemAsFilters() throws {
        let environment = Environment(loader: DictionaryLoader([:]))
        GeneratorFilters.register(in: environment)
        let source = "src/{{ name | pluralize | kebabCase }}/{{ list | singularize | pascalCase }}.ts {{ 2 | ordinalize }}"
        let result = try environment.renderString(source, name: "t", context: JSObject([("name", .string("blogCategory")), ("list", .string("order_items"))]))
        #expect(result.output == "src/blog-categories/OrderItem.ts 2nd")
    }

    @Test func ordinals() {
        #expect(["1", "2", "3", "4", "11", "12", "13", "21", "22", "23", "101", "111", "0"].map(Inflection.ordinalize)
            == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "0th"])
        #expect(Inflection.ordinalize("floor 3") == "floor 3rd")
        #expect(Inflection.ordinalize("none") == "none")
    }
}
