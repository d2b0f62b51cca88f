import Foundation
import Synchronization
import Testing
@testable import YAML

@Suite struct YAMLConcurrencyTests {
    @Test func parsesConcurrentlyFromManyThreads() throws {
        let source = "title: T\ndate: 2024-01-05\nlist: [1, 2.5, true, ~]\nbad: [\n"
        let good = "title: T\ndate: 2024-01-05\nlist: [1, 2.5, true, ~]\n"
        let expected = try YAML.parse(good)
        let outcomes = Mutex<[Bool]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { index in
            let ok: Bool
            if index.isMultiple(of: 2) {
                ok = (try? YAML.parse(good)) == expected
            } else {
                do {
                    _ = try YAML.parse(source)
                    ok = false
                } catch {
                    ok = (error as? YAMLError)?.line == 5
                }
            }
            outcomes.withLock { $0.append(ok) }
        }
        #expect(outcomes.withLock { $0 }.count == 64)
        #expect(outcomes.withLock { $0 }.allSatisfy { $0 })
    }
}
