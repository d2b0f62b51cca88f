import Foundation
import Testing
@testable import YAML

@Suite struct YAMLScalarTests {
    private func value(_ yaml: String) throws -> YAMLScalarValue? {
        try YAML.parse("v: \(yaml)\n")["v"]?.value
    }

    @Test(arguments: ["~", "null", "Null", "NULL", ""])
    func nulls(text: String) throws {
        #expect(try value(text) == .null)
    }

    @Test func booleans() throws {
        for text in ["true", "True", "TRUE"] { #expect(try value(text) == .bool(true)) }
        for text in ["false", "False", "FALSE"] { #expect(try value(text) == .bool(false)) }
        // YAML 1.1 spellings are strings in the 1.2 core schema.
        for text in ["yes", "no", "on", "off", "tRUE"] { #expect(try value(text) == .string(text)) }
    }

    @Test func integers() throws {
        #expect(try value("42") == .int(42))
        #expect(try value("-17") == .int(-17))
        #expect(try value("+8") == .int(8))
        #expect(try value("0") == .int(0))
        #expect(try value("0x1F") == .int(31))
        #expect(try value("0o17") == .int(15))
        #expect(try value("0b101") == .int(5))
        #expect(try value("1_000") == .int(1000))
        #expect(try value("012") == .int(12))
        #expect(try value("9223372036854775807") == .int(Int.max))
        #expect(try value("99999999999999999999") == .float(1e20))
        #expect(try value("1_") == .string("1_"))
        #expect(try value("0x") == .string("0x"))
        #expect(try value("0xG") == .string("0xG"))
    }

    @Test func floats() throws {
        #expect(try value("1.5") == .float(1.5))
        #expect(try value("-2.25") == .float(-2.25))
        #expect(try value("1.5e3") == .float(1500))
        #expect(try value("1e3") == .float(1000))
        #expect(try value(".5") == .float(0.5))
        #expect(try value("1.") == .float(1))
        #expect(try value("1_000.5") == .float(1000.5))
        #expect(try value(".inf") == .float(.infinity))
        #expect(try value("-.INF") == .float(-.infinity))
        #expect(try value("+.Inf") == .float(.infinity))
        guard case .float(let nan)? = try value(".nan") else { Issue.record("no NaN"); return }
        #expect(nan.isNaN)
        #expect(try value("1.2.3") == .string("1.2.3"))
        #expect(try value("e5") == .string("e5"))
        #expect(try value("inf") == .string("inf"))
    }

    @Test func timestamps() throws {
        guard case .timestamp(let day)? = try value("2024-01-05") else { Issue.record("not a timestamp"); return }
        #expect(day.isDateOnly)
        #expect(day.text == "2024-01-05")
        #expect(day.date == Date(timeIntervalSince1970: 1_704_412_800))

        guard case .timestamp(let instant)? = try value("2024-01-05T10:00:00Z") else { Issue.record("not a timestamp"); return }
        #expect(!instant.isDateOnly)
        #expect(instant.date == Date(timeIntervalSince1970: 1_704_412_800 + 36_000))

        guard case .timestamp(let zoned)? = try value("2024-01-05 10:00:00.25 +02:00") else { Issue.record("not a timestamp"); return }
        #expect(zoned.date == Date(timeIntervalSince1970: 1_704_412_800 + 28_800.25))

        guard case .timestamp(let leap)? = try value("2000-02-29t23:59:59-5") else { Issue.record("not a timestamp"); return }
        #expect(leap.date == Date(timeIntervalSince1970: 951_868_799 + 5 * 3600))

        #expect(try value("2024-1-5") == .string("2024-1-5"))
        #expect(try value("2024-01-05T10:00") == .string("2024-01-05T10:00"))
    }

    @Test func quotedAndBlockScalarsAreStrings() throws {
        let node = try YAML.parse("""
            a: "42"
            b: 'true'
            c: |
              line 1
              line 2
            d: >
              folded
              text
            e: "tab\\there \\u00e9"
            f: plain text here
            """)
        #expect(node["a"]?.scalar == YAMLScalar(text: "42", style: .doubleQuoted, value: .string("42")))
        #expect(node["b"]?.scalar == YAMLScalar(text: "true", style: .singleQuoted, value: .string("true")))
        #expect(node["c"]?.scalar == YAMLScalar(text: "line 1\nline 2\n", style: .literal, value: .string("line 1\nline 2\n")))
        #expect(node["d"]?.scalar == YAMLScalar(text: "folded text\n", style: .folded, value: .string("folded text\n")))
        #expect(node["e"]?.string == "tab\there é")
        #expect(node["f"]?.scalar?.style == .plain)
        #expect(node["f"]?.string == "plain text here")
    }

    @Test func explicitTags() throws {
        let node = try YAML.parse("""
            a: !!str 123
            b: !!int "0x10"
            c: !!float 3
            d: !!bool "false"
            e: !!null ""
            f: ! 12
            g: !!timestamp 2024-02-03
            """)
        #expect(node["a"]?.value == .string("123"))
        #expect(node["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(node["b"]?.value == .int(16))
        #expect(node["c"]?.value == .float(3))
        #expect(node["d"]?.value == .bool(false))
        #expect(node["e"]?.value == .null)
        #expect(node["f"]?.value == .string("12"))
        if case .timestamp(let stamp)? = node["g"]?.value { #expect(stamp.isDateOnly) } else { Issue.record("no timestamp") }
    }
}
