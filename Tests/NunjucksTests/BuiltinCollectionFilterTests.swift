import Testing
@testable import Nunjucks

@Suite struct BuiltinCollectionFilterTests {
    /// Renders each row of an array of arrays as `[a,b]`.
    func rows(_ v: Value, separator: String = ",") throws -> String {
        guard case .array(let outer) = v else { return "not an array" }
        return try outer.elements.map { "[" + (try render("join", $0, .string(separator))) + "]" }.joined()
    }

    @Test func batchGroupsAndFills() throws {
        #expect(try rows(applyFilter("batch", array(1, 2, 3, 4, 5, 6, 7), 3)) == "[1,2,3][4,5,6][7]")
        #expect(try rows(applyFilter("batch", array("a", "b", "c"), 2, "x")) == "[a,b][c,x]")
        #expect(try rows(applyFilter("batch", array(1, 2), 5)) == "[1,2]")
        #expect(try render("length", applyFilter("batch", array(), 3)) == "0")
    }

    @Test func firstAndLast() throws {
        #expect(try render("first", array(3, 1, 2)) == "3")
        #expect(try render("last", array(3, 1, 2)) == "2")
        #expect(try render("first", "hello") == "h")
        #expect(try render("last", "hello") == "o")
        #expect(try render("first", array()) == "")
        #expect(try render("first", .safe("abc")) == "")
        #expect(throws: RuntimeError("TypeError: Cannot read properties of undefined (reading '0')")) { try applyFilter("first", .undefined) }
    }

    @Test func lengthOfEverything() throws {
        #expect(try render("length", array(1, 2, 3)) == "3")
        #expect(try render("length", "😀") == "2")
        #expect(try render("length", .undefined) == "0")
        #expect(try render("length", .null) == "0")
        #expect(try render("length", .safe("<b>")) == "3")
        #expect(try render("length", object(("a", 1), ("b", 2))) == "2")
        #expect(try render("length", 5) == "")
    }

    @Test func listOfStringsObjectsAndSafeStrings() throws {
        #expect(try render("join", applyFilter("list", "abc"), "|") == "a|b|c")
        #expect(try render("length", applyFilter("list", .safe("ab"))) == "2")
        let entries = try applyFilter("list", object(("k", "v")))
        #expect(try render("join", entries, ",", "key") == "k")
        #expect(throws: RuntimeError("list filter: type not iterable")) { try applyFilter("list", 5) }
    }

    @Test func joinWithAttributesAndHoles() throws {
        #expect(try render("join", array(1, 2, 3), ", ") == "1, 2, 3")
        #expect(try render("join", array("a", "b", "c")) == "abc")
        #expect(try render("join", people, " / ", "name") == "Ann / bob / Cid / dee")
        #expect(try render("join", array("a", 1, .null, .bool(true), .undefined), "-") == "a-1--true-")
        #expect(try !applyFilter("join", array(.safe("<x>"), .safe("<y>")), ",").isSafe)
        #expect(throws: RuntimeError("TypeError: Cannot read properties of undefined (reading 'join')")) { try applyFilter("join", .undefined, ",") }
    }

    @Test func reverseCopiesAndTreatsSafeStringsAsObjects() throws {
        let a = array(1, 2, 3)
        #expect(try render("join", applyFilter("reverse", a)) == "321")
        #expect(try render("join", a) == "123")
        #expect(try render("reverse", "stressed") == "desserts")
        #expect(try render("reverse", "abc日本") == "本日cba")
        #expect(try render("reverse", .safe("abc")) == ",,")
    }

    @Test func sliceDistributesExtraItems() throws {
        #expect(try rows(applyFilter("slice", array(1, 2, 3, 4, 5, 6, 7), 3, "x")) == "[1,2,3][4,5,x][6,7,x]")
        #expect(try rows(applyFilter("slice", array(1, 2, 3, 4), 2)) == "[1,2][3,4]")
    }

    @Test func sortOptionsAndStability() throws {
        #expect(try render("join", applyFilter("sort", array(3, 1, 10, 2)), ",") == "1,2,3,10")
        #expect(try render("join", applyFilter("sort", array(3, 1, 2), .bool(true)), ",") == "3,2,1")
        #expect(try render("join", applyFilter("sort", array("b", "C", "a", "D"), .bool(false), .bool(true)), ",") == "C,D,a,b")
        #expect(try render("join", applyFilter("sort", array("b", "_x", "a")), ",") == "_x,a,b")
        #expect(try render("join", applyFilter("sort", people, keywords: [("attribute", "age")]), ",", "name") == "bob,dee,Ann,Cid")
        #expect(try render("join", applyFilter("sort", people, keywords: [("attribute", "city")]), ",", "name") == "dee,Ann,Cid,bob")
        #expect(try render("join", applyFilter("sort", people, .bool(true), .bool(false), "name"), ",", "name") == "dee,Cid,bob,Ann")
        #expect(try render("join", applyFilter("sort", array("b", "A", "c"), .bool(false), keywords: [("case_sensitive", .bool(true))])) == "Abc")
        let nested = array(object(("id", "a"), ("p", object(("q", 3)))), object(("id", "b"), ("p", object(("q", 1)))))
        #expect(try render("join", applyFilter("sort", nested, keywords: [("attribute", "p.q")]), ",", "id") == "b,a")
        let partial = array(object(("k", 1)), object())
        #expect(throws: RuntimeError("TypeError: sort: attribute \"k\" resolved to undefined")) {
            try applyFilter("sort", partial, keywords: [("attribute", "k")], strict: true)
        }
    }

    @Test func dictsortByKeyOrValue() throws {
        let pairs = { (v: Value) throws -> String in
            guard case .array(let a) = v else { return "" }
            return try a.elements.map { try render("join", $0, "=") }.joined(separator: ";")
        }
        let d = object(("b", 1), ("a", 2), ("C", 3))
        #expect(try pairs(applyFilter("dictsort", d, .bool(true))) == "C=3;a=2;b=1")
        #expect(try pairs(applyFilter("dictsort", d)) == "a=2;b=1;C=3")
        #expect(try pairs(applyFilter("dictsort", object(("x", 3), ("y", 1), ("z", 2)), .bool(false), "value")) == "y=1;z=2;x=3")
        #expect(try pairs(applyFilter("dictsort", object(("b", 1), ("_x", 2), ("a", 3)))) == "a=3;b=1;_x=2")
        #expect(throws: RuntimeError("dictsort filter: val must be an object")) { try applyFilter("dictsort", array(1, 2)) }
        #expect(throws: RuntimeError.self) { try applyFilter("dictsort", d, .bool(false), "nope") }
    }

    @Test func groupbyUsesJSKeyOrder() throws {
        guard case .object(let groups) = try applyFilter("groupby", people, "age") else { Issue.record("not an object"); return }
        #expect(groups.keys == ["25", "31", "40"])
        guard case .object(let cities) = try applyFilter("groupby", people, "city") else { Issue.record("not an object"); return }
        #expect(cities.keys == ["Oslo", "Rome", "Lima"])
        guard case .object(let missing) = try applyFilter("groupby", array(object(("kind", "x")), object()), "kind") else { return }
        #expect(missing.keys == ["x", "undefined"])
        #expect(throws: RuntimeError.self) { try applyFilter("groupby", array(object()), "k", strict: true) }
    }

    @Test func selectRejectAndAttributes() throws {
        #expect(try render("join", applyFilter("select", array(1, 2, 3, 4, 5), "odd"), ",") == "1,3,5")
        #expect(try render("join", applyFilter("reject", array("a", "b", "a", "c"), "equalto", "a"), ",") == "b,c")
        #expect(try render("length", applyFilter("reject", array(0, 1, "", "a"))) == "2")
        #expect(try render("join", applyFilter("select", array(1, 5, 10, 15), "gt", 4), ",") == "5,10,15")
        #expect(try render("join", applyFilter("selectattr", people, "active"), ",", "name") == "Ann,Cid")
        #expect(try render("join", applyFilter("rejectattr", people, "active"), ",", "name") == "bob,dee")
        #expect(throws: RuntimeError("Error: test not found: nope")) { try applyFilter("select", array(1), "nope") }
    }

    @Test func sumStartsFromZero() throws {
        #expect(try render("sum", array(1, 2, 3.5)) == "6.5")
        #expect(try render("sum", array(object(("price", 3)), object(("price", 4))), "price") == "7")
        #expect(try render("sum", array(1, 2), .null, 10) == "13")
        #expect(try render("sum", array("a", "b")) == "00ab")
        #expect(try applyFilter("sum", array(object(("n", 1))), keywords: [("attribute", "n")]).outputString == "NaN")
    }

    @Test func randomOfOneItem() throws {
        #expect(try render("random", array("only")) == "only")
    }
}

@Suite struct BuiltinValueFilterTests {
    @Test func absCoercesLikeMathAbs() throws {
        #expect(try render("abs", "-3") == "3")
        #expect(try render("abs", .undefined) == "NaN")
        #expect(try render("abs", .null) == "0")
    }

    @Test func defaultReplacesOnlyUndefinedUnlessBoolean() throws {
        #expect(try render("default", .undefined, "fallback") == "fallback")
        #expect(try render("default", .null, "fallback") == "")
        #expect(try render("default", 0, "fb", .bool(true)) == "fb")
        #expect(try render("d", "x", "fb", .bool(true)) == "x")
        #expect(try render("default", .undefined) == "")
    }

    @Test func roundUsesMathRound() throws {
        #expect(try render("round", 2.4) == "2")
        #expect(try render("round", 2.6) == "3")
        #expect(try render("round", -2.5) == "-2")
        #expect(try render("round", 3.14159, 2) == "3.14")
        #expect(try render("round", 1.005, 2) == "1")
        #expect(try render("round", 2.675, 2) == "2.68")
        #expect(try render("round", 7, 2) == "7")
        #expect(try render("round", 2.1, 0, "ceil") == "3")
        #expect(try render("round", 2.9, 0, "floor") == "2")
    }

    @Test func intAndFloatParseLikeJS() throws {
        #expect(try render("int", "42") == "42")
        #expect(try render("int", 3.99) == "3")
        #expect(try render("int", -3.9) == "-3")
        #expect(try render("int", "abc") == "")
        #expect(try render("int", "abc", 0) == "0")
        #expect(try render("int", "777", 0, 8) == "511")
        #expect(try render("int", "12px") == "12")
        #expect(try render("int", "0x1F") == "0")  // base 10 is passed explicitly
        #expect(try applyFilter("int", "abc", keywords: [("default", 3)]).outputString == "3")
        #expect(try render("float", "3.5kg") == "3.5")
        #expect(try render("float", "  7.25  ") == "7.25")
        #expect(try render("float", "1e3") == "1000")
        #expect(try render("float", ".5") == "0.5")
        #expect(try render("float", "x") == "")
    }

    @Test func escapeSafeForceescape() throws {
        #expect(try render("escape", "<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")
        #expect(try render("escape", applyFilter("escape", "<b>")) == "&lt;b&gt;")
        #expect(try render("e", .safe("<b>")) == "<b>")
        #expect(try render("forceescape", .safe("&amp;")) == "&amp;amp;")
        #expect(try applyFilter("safe", 5).isSafe)
        #expect(escapeHTML("& < > \" ' \\ /") == "&amp; &lt; &gt; &quot; &#39; &#92; /")
    }

    @Test func stringKeepsSafety() throws {
        #expect(try render("string", 123) == "123")
        #expect(try render("string", array(1, 2)) == "1,2")
        #expect(try render("string", .bool(true)) == "true")
        #expect(try applyFilter("string", .safe("<b>")).isSafe)
        #expect(throws: RuntimeError.self) { try applyFilter("string", .undefined) }
    }

    @Test func dumpIsJSONStringify() throws {
        #expect(try render("dump", object(("a", 1), ("b", "two"))) == "{\"a\":1,\"b\":\"two\"}")
        let nested = object(("a", array(1, 2)), ("b", object(("c", "d"))))
        #expect(try render("dump", nested, 2) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": \"d\"\n  }\n}")
        #expect(try render("dump", "say \"hi\"\n") == "\"say \\\"hi\\\"\\n\"")
        #expect(try render("dump", .null) == "null")
        #expect(try applyFilter("dump", .undefined).isUndefined)
        #expect(try render("dump", array(.undefined, .number(.nan))) == "[null,null]")
    }
}
