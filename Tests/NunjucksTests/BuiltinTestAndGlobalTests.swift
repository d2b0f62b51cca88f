import Testing
@testable import Nunjucks

func check(_ name: String, _ value: Value, _ args: Value...) throws -> Bool {
    let test = try #require(Builtins.tests[name])
    return try test(value, Arguments(args), BuiltinTestContext())
}

@Suite struct BuiltinTestTests {
    @Test func definedUndefinedNull() throws {
        #expect(try check("defined", 1))
        #expect(try !check("defined", .undefined))
        #expect(try check("undefined", .undefined))
        #expect(try check("null", .null))
        #expect(try check("none", .null))
        #expect(try !check("none", .undefined))
    }

    @Test func numbersAndParity() throws {
        #expect(try check("number", .number(.nan)))
        #expect(try !check("number", "1"))
        #expect(try !check("odd", 2.5))
        #expect(try !check("even", 2.5))
        #expect(try check("even", "4"))
        #expect(try !check("odd", -3))
        #expect(try check("divisibleby", 10, 5))
        #expect(try !check("divisibleby", 10, 0))
        #expect(try check("divisibleby", 0, 7))
    }

    @Test func strictEquality() throws {
        #expect(try check("equalto", 1, 1))
        #expect(try !check("eq", 1, "1"))
        #expect(try !check("sameas", .null, .undefined))
        #expect(try !check("equalto", array(1), array(1)))
        #expect(try check("ne", 1, "1"))
    }

    @Test func comparisons() throws {
        #expect(try check("gt", "b", "a"))
        #expect(try check("lt", "B", "a"))
        #expect(try check("ge", 5, 5))
        #expect(try check("le", 4, 5))
        #expect(try !check("ge", .number(.nan), 1))
        #expect(try check("greaterthan", 2, 1))
        #expect(try check("lessthan", 1, 2))
    }

    @Test func typeTests() throws {
        #expect(try !check("string", .safe("a")))
        #expect(try check("string", "a"))
        #expect(try check("escaped", .safe("x")))
        #expect(try !check("escaped", "x"))
        #expect(try check("iterable", array()))
        #expect(try check("iterable", "ab"))
        #expect(try !check("iterable", object()))
        #expect(try !check("iterable", .bool(true)))
        #expect(try check("mapping", object()))
        #expect(try !check("mapping", array()))
        #expect(try !check("mapping", .null))
        #expect(try check("callable", Builtins.globals()["range"]!))
        #expect(try check("truthy", array()))
        #expect(try check("falsy", ""))
    }

    @Test func caseTests() throws {
        #expect(try check("lower", "abc"))
        #expect(try !check("lower", "aBc"))
        #expect(try check("upper", "ABC"))
        #expect(try check("lower", "123"))
        #expect(try check("upper", "123"))
        #expect(try check("lower", ""))
        #expect(try !check("lower", .safe("abc")))
        #expect(throws: RuntimeError.self) { try check("lower", .undefined) }
    }
}

@Suite struct BuiltinGlobalTests {
    func call(_ value: Value?, _ args: Value...) throws -> Value {
        guard case .function(let f)? = value else { throw RuntimeError("not a function") }
        return try f.call(Arguments(args))
    }

    @Test func rangeForms() throws {
        let range = Builtins.globals()["range"]
        #expect(try call(range, 5).jsString == "0,1,2,3,4")
        #expect(try call(range, 2, 6).jsString == "2,3,4,5")
        #expect(try call(range, 0, 10, 3).jsString == "0,3,6,9")
        #expect(try call(range, 10, 1, -4).jsString == "10,6,2")
        #expect(try call(range, 5, 2).jsString == "")
        #expect(try call(range, -3).jsString == "")
        #expect(try call(range, 1, 4, 0).jsString == "1,2,3")
        #expect(throws: RuntimeError.self) { try call(range, 0, .number(.infinity)) }
    }

    @Test func cyclerCyclesAndResets() throws {
        let cy = try call(Builtins.globals()["cycler"], "x", "y")
        #expect(cy.member("current").outputString == "")
        #expect(try call(cy.member("next")).jsString == "x")
        #expect(try call(cy.member("next")).jsString == "y")
        #expect(try call(cy.member("next")).jsString == "x")
        #expect(cy.member("current").jsString == "x")
        _ = try call(cy.member("reset"))
        #expect(cy.member("current").outputString == "")
        #expect(try call(cy.member("next")).jsString == "x")
        let empty = try call(Builtins.globals()["cycler"])
        #expect(try call(empty.member("next")).outputString == "")
    }

    @Test func joinerSkipsFirstCall() throws {
        let j = try call(Builtins.globals()["joiner"])
        #expect(try call(j).jsString == "")
        #expect(try call(j).jsString == ",")
        let custom = try call(Builtins.globals()["joiner"], " | ")
        #expect(try call(custom).jsString == "")
        #expect(try call(custom).jsString == " | ")
    }

    @Test func globalsAreFreshPerCall() throws {
        let first = try call(Builtins.globals()["joiner"])
        _ = try call(first)
        let second = try call(Builtins.globals()["joiner"])
        #expect(try call(second).jsString == "")
    }
}
