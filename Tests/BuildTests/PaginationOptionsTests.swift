import Build
import Foundation
import Testing

/// Eleventy's pagination options beyond `data`/`size`/`alias`: `resolve:
/// values` over an object, and which outputs are collection members.
@Suite struct PaginationOptionsTests {
    static let files: [String: String] = [
        "_data/people.json": #"{"ann": {"name": "Ann"}, "bob": {"name": "Bob"}, "cy": {"name": "Cy"}}"#,
        "people.njk": """
            ---
            tags: people
            pagination:
              data: people
              size: 1
              alias: person
              resolve: values
            permalink: /people/{{ person.name | slugify }}/
            ---
            {{ person.name }}
            """,
        "keys.njk": """
            ---
            tags: keys
            pagination:
              data: people
              size: 2
              addAllPagesToCollections: true
            ---
            {{ pagination.items | join(",") }}
            """,
        "index.njk": "{% for p in collections.people %}{{ p.url }};{% endfor %}|{% for p in collections.keys %}{{ p.url }};{% endfor %}",
    ]

    @Test func valuesAndCollectionMembership() throws {
        let site = try TestSite.built(files: Self.files)
        #expect(site.output("people/ann/index.html") == "Ann")
        #expect(site.output("people/cy/index.html") == "Cy")
        #expect(site.output("keys/index.html") == "ann,bob")
        #expect(site.output("keys/1/index.html") == "cy")
        #expect(site.output("index.html") == "/people/ann/;|/keys/;/keys/1/;",
                "the first output only, unless addAllPagesToCollections")
    }
}
