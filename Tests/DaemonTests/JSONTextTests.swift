import Foundation
import Testing
@testable import Daemon

@Suite struct JSONTextTests {
    @Test func writesCompactJSONThatFoundationReadsBack() throws {
        let value = JSONValue.sortedObject([
            "text": .string("quote \" backslash \\ newline \n tab \t bell \u{07} é ✓"),
            "count": .integer(4003),
            "ratio": .number(0.25),
            "tiny": .number(2.5e-05),
            "list": .array([.null, .bool(true), .bool(false)]),
        ])
        let text = value.text
        #expect(text.hasPrefix("{\"count\":4003,\"list\":[null,true,false],\"ratio\":0.25,"))
        #expect(text.contains("\\u0007"))
        let parsed = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["text"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é ✓")
        #expect(parsed["count"] as? Int == 4003)
        #expect(parsed["tiny"] as? Double == 2.5e-05)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity)]).text == "[null,null]")
    }
}
