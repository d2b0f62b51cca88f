import Testing
@testable import Cache

@Suite struct MemoryTierTests {
    @Test func evictsLeastRecentlyUsedToStayInBounds() {
        let tier = MemoryTier(capacity: 100)
        for index in 0..<10 { tier.set(key("\(index)"), [UInt8](repeating: UInt8(index), count: 10)) }
        #expect(tier.byteCount == 100)
        _ = tier.get(key("0"))            // 0 becomes most recent
        tier.set(key("new"), [UInt8](repeating: 9, count: 10))
        #expect(tier.byteCount == 100)
        #expect(tier.contains(key("0")))
        #expect(!tier.contains(key("1")))  // the least recently used went
        #expect(tier.get(key("new")) == [UInt8](repeating: 9, count: 10))
    }

    @Test func replacingAKeyAdjustsBytes() {
        let tier = MemoryTier(capacity: 1000)
        tier.set(key("a"), [UInt8](repeating: 1, count: 100))
        tier.set(key("a"), [UInt8](repeating: 2, count: 30))
        #expect(tier.byteCount == 30)
        #expect(tier.count == 1)
        tier.remove(key("a"))
        #expect(tier.byteCount == 0)
        #expect(tier.get(key("a")) == nil)
    }

    @Test func oversizedValuesAreNotKept() {
        let tier = MemoryTier(capacity: 10)
        tier.set(key("big"), [UInt8](repeating: 0, count: 11))
        #expect(tier.count == 0)
    }

    @Test func shrinkKeepsTheMostRecent() {
        let tier = MemoryTier(capacity: 1 << 20)
        for index in 0..<100 { tier.set(key("\(index)"), [UInt8](repeating: 0, count: 100)) }
        tier.shrink(toFraction: 0.25)
        #expect(tier.byteCount <= 2500)
        #expect(tier.count == 25)
        #expect(tier.contains(key("99")))
        #expect(!tier.contains(key("0")))
        tier.removeAll()
        #expect(tier.count == 0 && tier.byteCount == 0)
        tier.set(key("again"), [1])
        #expect(tier.get(key("again")) == [1])
    }

    @Test func loweringCapacityEvictsAtOnce() {
        let tier = MemoryTier(capacity: 1000)
        for index in 0..<10 { tier.set(key("\(index)"), [UInt8](repeating: 0, count: 100)) }
        tier.setCapacity(300)
        #expect(tier.byteCount == 300)
        #expect(tier.capacity == 300)
    }

    @Test func concurrentUseStaysConsistent() async {
        let tier = MemoryTier(capacity: 50_000)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<2000 {
                        let k = key("\(worker)-\(index % 300)")
                        if tier.get(k) == nil { tier.set(k, [UInt8](repeating: 1, count: 100)) }
                    }
                }
            }
        }
        #expect(tier.byteCount <= 50_000)
        #expect(tier.byteCount == tier.count * 100)
    }
}
