import Testing
@testable import Pipeline

@Suite struct CaseConversionTests {
    @Test func splitsWordsAtSeparatorsCaseChangesAndAcronyms() {
        #expect(CaseConversion.words("user-profile_service name") == ["user", "profile", "service", "name"])
        #expect(CaseConversion.words("fooBarBaz") == ["foo", "Bar", "Baz"])
        #expect(CaseConversion.words("HTTPServerError") == ["HTTP", "Server", "Error"])
        #expect(CaseConversion.words("v2Api") == ["v2", "Api"])
        #expect(CaseConversion.words("  --  ") == [])
    }

    @Test func convertsToEachCase() {
        let input = "user profile-HTTPService"
        #expect(CaseConversion.camelCase(input) == "userProfileHttpService")
        #expect(CaseConversion.pascalCase(input) == "UserProfileHttpService")
        #expect(CaseConversion.snakeCase(input) == "user_profile_http_service")
        #expect(CaseConversion.kebabCase(input) == "user-profile-http-service")
        #expect(CaseConversion.constantCase(input) == "USER_PROFILE_HTTP_SERVICE")
        #expect(CaseConversion.dotCase(input) == "user.profile.http.service")
        #expect(CaseConversion.pathCase(input) == "user/profile/http/service")
        #expect(CaseConversion.titleCase(input) == "User Profile Http Service")
        #expect(CaseConversion.sentenceCase(input) == "User profile http service")
    }

    @Test func conversionsAreIdempotentAcrossCases() {
        for name in ["billing_account", "BillingAccount", "billingAccount", "billing-account", "BILLING_ACCOUNT"] {
            #expect(CaseConversion.pascalCase(name) == "BillingAccount")
            #expect(CaseConversion.snakeCase(name) == "billing_account")
        }
    }

    @Test func firstLetterHelpersLeaveTheRest() {
        #expect(CaseConversion.upperFirst("fooBar") == "FooBar")
        #expect(CaseConversion.lowerFirst("FooBar") == "fooBar")
        #expect(CaseConversion.upperFirst("") == "")
        #expect(CaseConversion.camelCase("") == "")
    }

    @Test func handlesNonASCIILetters() {
        #expect(CaseConversion.snakeCase("ÜberStraße") == "über_straße")
        #expect(CaseConversion.pascalCase("élan vital") == "ÉlanVital")
    }
}
