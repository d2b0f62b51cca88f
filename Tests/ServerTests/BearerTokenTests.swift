import Foundation
import Testing
@testable import Server

@Suite struct BearerTokenTests {
    func startMutatingServer(host: String = "127.0.0.1", token: String?, required: Bool?) throws -> HTTPServer {
        let configuration = HTTPServerConfiguration(threadPoolSize: 2, bearerToken: token, requireTokenForMutations: required)
        return try startServer(host: host, configuration: configuration) { router in
            router.post("/api/build", name: "build") { _ in .text("queued", status: 202) }
            router.get("/status") { _ in .text("fine") }
        }
    }

    @Test func loopbackNeedsNoToken() throws {
        let server = try startMutatingServer(token: "s3cret", required: nil)
        defer { server.stop() }
        #expect(!server.tokenPolicy.isRequired)
        #expect(try TestClient.request("POST", "/api/build", port: server.port, body: "").status == 202)
    }

    @Test func elsewhereMutationsNeedTheToken() throws {
        // Binding beyond loopback is not possible here; the flag makes the server behave as if it were.
        let server = try startMutatingServer(token: "s3cret", required: true)
        defer { server.stop() }
        let missing = try TestClient.request("POST", "/api/build", port: server.port, body: "")
        #expect(missing.status == 401)
        #expect(missing.headers["WWW-Authenticate"] == "Bearer")
        let wrong = try TestClient.request("POST", "/api/build", port: server.port,
                                           headers: [("Authorization", "Bearer guess")], body: "")
        #expect(wrong.status == 401)
        let right = try TestClient.request("POST", "/api/build", port: server.port,
                                           headers: [("Authorization", "bearer s3cret")], body: "")
        #expect(right.status == 202)
        #expect(try TestClient.request("GET", "/status", port: server.port).status == 200)
    }

    @Test func nonLoopbackBindRequiresTokenByDefault() throws {
        let server = try startMutatingServer(host: "127.0.0.2", token: "t", required: false)
        defer { server.stop() }
        #expect(!server.tokenPolicy.isRequired)
        #expect(BearerTokenPolicy(token: "t", boundHost: "0.0.0.0").isRequired)
        #expect(BearerTokenPolicy(token: "t", boundHost: "192.168.1.5").isRequired)
        #expect(!BearerTokenPolicy(token: "t", boundHost: "127.0.0.1").isRequired)
        #expect(!BearerTokenPolicy(token: "t", boundHost: "::1").isRequired)
        #expect(!BearerTokenPolicy(token: "t", boundHost: "localhost").isRequired)
    }

    @Test func requiredWithoutConfiguredTokenRefusesAllMutations() throws {
        let server = try startMutatingServer(token: nil, required: true)
        defer { server.stop() }
        let response = try TestClient.request("POST", "/api/build", port: server.port,
                                              headers: [("Authorization", "Bearer ")], body: "")
        #expect(response.status == 401)
    }
}
