import Build
import Testing

/// `RecordMap`: changes on top of a shared base, seen as one map.
@Suite struct RecordMapTests {
    @Test func changesShowThroughAndLeaveTheOriginalAlone() {
        let old = RecordMap(["a": 1, "b": 2, "c": 3])
        var new = old
        new["b"] = 20
        new["d"] = 4
        #expect(new.removeValue(forKey: "c") == 3)
        #expect(new.removeValue(forKey: "missing") == nil)
        #expect(new["a"] == 1 && new["b"] == 20 && new["c"] == nil && new["d"] == 4)
        #expect(new.count == 3 && !new.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: new.map { ($0.key, $0.value) }) == ["a": 1, "b": 20, "d": 4])
        #expect(Set(new.keys) == ["a", "b", "d"])
        #expect(Dictionary(uniqueKeysWithValues: old.map { ($0.key, $0.value) }) == ["a": 1, "b": 2, "c": 3])
        #expect(old.count == 3)
    }

    @Test func changedKeysOnlyBetweenMapsOfOneBase() {
        let old = RecordMap(["a": 1, "b": 2])
        var new = old
        new["a"] = 10
        new["x"] = nil  // removing what was never there is still a key to look at
        #expect(new.changedKeys(since: old) == ["a", "x"])
        #expect(RecordMap(["a": 10, "b": 2]).changedKeys(since: old) == nil)
        #expect(RecordMap<Int>().isEmpty)
    }

    @Test func compactedKeepsTheSameRecords() {
        var map = RecordMap(["a": 1, "b": 2])
        map["a"] = nil
        map["c"] = 3
        let compacted = map.compacted()
        #expect(Dictionary(uniqueKeysWithValues: compacted.map { ($0.key, $0.value) }) == ["b": 2, "c": 3])
        #expect(compacted.count == 2)
        #expect(compacted.changedKeys(since: map) == nil)
        var next = compacted
        next["b"] = 5
        #expect(next.changedKeys(since: compacted) == ["b"])
    }
}
