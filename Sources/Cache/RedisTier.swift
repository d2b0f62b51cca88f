import Dispatch
import Foundation
import Synchronization

/// Settings of the shared Redis tier.
public struct RedisSettings: Sendable {
    /// Time allowed to open a connection.
    public var connectTimeout: Duration = .milliseconds(50)
    /// Time allowed for one command (or one pipelined batch) to answer.
    public var commandTimeout: Duration = .milliseconds(200)
    /// Expiry of written values (`SET ... EX`).
    public var timeToLive: Duration = .seconds(7 * 24 * 3600)
    /// Consecutive failures that open the circuit.
    public var failureThreshold = 5
    /// How long the circuit stays open before one probe is allowed.
    public var cooldown: Duration = .seconds(10)
    /// Connections for reads, so concurrent render workers do not queue
    /// behind one another's round trips (writes use one more).
    public var readConnections = 2
    /// Keys per MGET and SETs per pipelined write batch.
    public var batchSize = 128
    /// Bytes that may wait for the background writer; beyond it writes are dropped.
    public var maxPendingBytes = 64 << 20

    public init() {}
}

/// The outcome of one Redis lookup.
enum RedisLookup: Sendable {
    case found([UInt8])
    case missing
    /// Not answered (circuit open, connection failed, timeout): fall back.
    case unavailable
}

/// The shared tier: synchronous reads (GET/MGET) on one connection,
/// asynchronous pipelined `SET key value EX ttl` writes on another, both
/// behind one circuit breaker. Every failure is caught, counted and turned
/// into "unavailable", never thrown at the caller.
final class RedisTier: Sendable {
    let endpoint: RedisEndpoint
    let settings: RedisSettings
    let counters: TierCounters
    private let log: @Sendable (String) -> Void
    private let breaker: Mutex<CircuitBreaker>
    private let reader: RedisConnectionPool
    private let writer: RedisConnectionPool
    private let pending = Mutex(PendingWrites())
    private let writeQueue = DispatchQueue(label: "unjucksd.cache.redis-writer")
    let timeouts = Atomic<UInt64>(0)
    let skippedWhileOpen = Atomic<UInt64>(0)
    let droppedWrites = Atomic<UInt64>(0)
    /// Whether the last write answered was refused with an error reply (e.g.
    /// OOM): logged when that changes, not per write.
    private let refusingWrites = Atomic<Bool>(false)

    /// One queued command: `SET key value EX ttl`, or `EXPIRE key ttl`
    /// to keep values that are being read from expiring.
    private struct PendingCommand {
        var key: [UInt8]
        var value: [UInt8]?
    }

    private struct PendingWrites {
        var items: [PendingCommand] = []
        var bytes = 0
        var drainScheduled = false
    }

    init(endpoint: RedisEndpoint, settings: RedisSettings, counters: TierCounters, log: @escaping @Sendable (String) -> Void) {
        self.endpoint = endpoint
        self.settings = settings
        self.counters = counters
        self.log = log
        self.breaker = Mutex(CircuitBreaker(threshold: settings.failureThreshold, cooldown: settings.cooldown))
        self.reader = RedisConnectionPool(size: settings.readConnections, endpoint: endpoint, settings: settings)
        self.writer = RedisConnectionPool(size: 1, endpoint: endpoint, settings: settings)
    }

    var circuitState: CircuitState { breaker.withLock { $0.state } }

    var pendingWriteCount: Int { pending.withLock { $0.items.count } }

    // MARK: Reads

    func get(_ key: [UInt8]) -> RedisLookup {
        guard let reply = perform(on: reader, { try $0.command([Array("GET".utf8), key]) }) else { return .unavailable }
        switch reply {
        case .string(let bytes): return .found(bytes)
        case .null: return .missing
        default:
            counters.bump(.errors)
            return .unavailable
        }
    }

    /// Looks up many keys with MGET in batches; `nil` entries are misses or
    /// keys whose batch could not be fetched.
    func getMany(_ keys: [[UInt8]]) -> [[UInt8]?] {
        var results: [[UInt8]?] = []
        results.reserveCapacity(keys.count)
        // MGETs of `batchSize` keys, sent in pipelines of up to 16: one
        // round trip per pipeline instead of one per batch (4,000 keys were
        // 32 sequential round trips).
        let batchSize = max(1, settings.batchSize)
        let batches = stride(from: 0, to: keys.count, by: batchSize).map { Array(keys[$0..<min($0 + batchSize, keys.count)]) }
        for start in stride(from: 0, to: batches.count, by: 16) {
            let group = Array(batches[start..<min(start + 16, batches.count)])
            let replies: [RedisReply]? = perform(on: reader) { connection in
                try connection.pipeline(group.map { [Array("MGET".utf8)] + $0 })
            }
            for (index, batch) in group.enumerated() {
                if case .array(let values)? = replies?[index], values.count == batch.count {
                    results.append(contentsOf: values.map { $0.bytes })
                } else {
                    if replies != nil { counters.bump(.errors) }
                    results.append(contentsOf: Array(repeating: nil, count: batch.count))
                }
            }
        }
        return results
    }

    // MARK: Writes

    /// Queues `SET key value EX ttl` for the background writer; never blocks.
    func enqueueSet(_ key: [UInt8], _ value: [UInt8]) {
        enqueue([PendingCommand(key: key, value: value)])
    }

    /// Queues `EXPIRE key ttl` for keys that were just read, so entries in
    /// use do not expire one TTL after they were first written.
    func enqueueRefresh(_ keys: [[UInt8]]) {
        enqueue(keys.map { PendingCommand(key: $0, value: nil) })
    }

    private func enqueue(_ commands: [PendingCommand]) {
        guard !commands.isEmpty else { return }
        let size = commands.reduce(0) { $0 + $1.key.count + ($1.value?.count ?? 0) }
        let schedule: Bool? = pending.withLock { state in
            guard state.bytes + size <= settings.maxPendingBytes else { return nil }
            state.items.append(contentsOf: commands)
            state.bytes += size
            defer { state.drainScheduled = true }
            return !state.drainScheduled
        }
        guard let schedule else {
            droppedWrites.add(UInt64(commands.count), ordering: .relaxed)
            counters.bump(.errors)
            return
        }
        if schedule { writeQueue.async { self.drain() } }
    }

    /// Waits until every write queued before the call was sent (or dropped).
    func flush() {
        writeQueue.sync {}
        // A drain scheduled by a racing enqueue is queued behind this point.
        writeQueue.sync {}
    }

    /// Deletes keys (used when a stored value was refused).
    func delete(_ keys: [[UInt8]]) {
        guard !keys.isEmpty else { return }
        _ = perform(on: reader) { try $0.command([Array("DEL".utf8)] + keys) }
    }

    /// Deletes every key under `prefix` (SCAN + UNLINK); returns how many.
    func deleteAll(prefix: String) -> Int? {
        let pattern = Array(Self.globEscaped(prefix).utf8) + Array("*".utf8)
        var cursor: [UInt8] = Array("0".utf8)
        var deleted = 0
        repeat {
            guard case .array(let parts)? = perform(on: reader, {
                try $0.command([Array("SCAN".utf8), cursor, Array("MATCH".utf8), pattern, Array("COUNT".utf8), Array("1000".utf8)])
            }), parts.count == 2, let next = parts[0].bytes, case .array(let keys) = parts[1] else { return nil }
            cursor = next
            let names = keys.compactMap { $0.bytes }
            if !names.isEmpty {
                if case .integer(let count)? = perform(on: reader, { try $0.command([Array("UNLINK".utf8)] + names) }) {
                    deleted += Int(count)
                }
            }
        } while cursor != Array("0".utf8)
        return deleted
    }

    /// Takes everything queued and sends it in pipelined batches, until the
    /// queue stays empty.
    private func drain() {
        while true {
            let items: [PendingCommand] = pending.withLock { state in
                guard !state.items.isEmpty else {
                    state.drainScheduled = false
                    return []
                }
                defer {
                    state.items = []
                    state.bytes = 0
                }
                return state.items
            }
            if items.isEmpty { return }
            let batchSize = max(1, settings.batchSize)
            for start in stride(from: 0, to: items.count, by: batchSize) {
                write(items[start..<min(start + batchSize, items.count)])
            }
        }
    }

    private func write(_ batch: ArraySlice<PendingCommand>) {
        let ttl = Array(String(max(1, settings.timeToLive.components.seconds)).utf8)
        let commands: [[[UInt8]]] = batch.map { item in
            if let value = item.value {
                [Array("SET".utf8), item.key, value, Array("EX".utf8), ttl]
            } else {
                [Array("EXPIRE".utf8), item.key, ttl]
            }
        }
        guard let replies = perform(on: writer, { try $0.pipeline(commands) }) else {
            droppedWrites.add(UInt64(batch.count), ordering: .relaxed)
            return
        }
        var firstRefusal: String?
        for (reply, item) in zip(replies, batch) {
            if case .error(let message) = reply {
                // e.g. OOM under `maxmemory` + `noeviction`: the server is
                // healthy (reads still work, so the circuit stays closed),
                // the value just is not stored.
                droppedWrites.add(1, ordering: .relaxed)
                counters.bump(.errors)
                if firstRefusal == nil { firstRefusal = message }
            } else if let value = item.value {
                counters.bytes.add(UInt64(value.count), ordering: .relaxed)
                counters.entries.add(1, ordering: .relaxed)
            }
        }
        // The batch's last answer decides the state; a change is logged once.
        let refusing = { if case .error = replies.last { true } else { false } }()
        if refusingWrites.exchange(refusing, ordering: .relaxed) != refusing {
            log(refusing
                ? "cache: redis \(endpoint) refuses writes (\(firstRefusal ?? "error")); values stay in the local tiers"
                : "cache: redis \(endpoint) accepts writes again")
        }
    }

    // MARK: Breaker and failure handling

    /// Runs `body` if the breaker admits it; on failure counts it, drops the
    /// connection and feeds the breaker. `nil` means "fall back".
    private func perform<T>(on slot: RedisConnectionPool, _ body: (RedisConnection) throws -> T) -> T? {
        let (allowed, opened) = breaker.withLock { $0.admit(now: .now) }
        if let opened { announce(opened) }
        guard allowed else {
            skippedWhileOpen.add(1, ordering: .relaxed)
            counters.bump(.errors)
            return nil
        }
        switch slot.run(body) {
        case .success(let reply):
            if let changed = breaker.withLock({ $0.succeeded() }) { announce(changed) }
            return reply
        case .failure(let error):
            counters.bump(.errors)
            if error.kind == .timeout { timeouts.add(1, ordering: .relaxed) }
            if let changed = breaker.withLock({ $0.failed(now: .now) }) {
                announce(changed, reason: error.description)
            }
            return nil
        }
    }

    private func announce(_ state: CircuitState, reason: String? = nil) {
        var message = "cache: redis \(endpoint) circuit \(state)"
        switch state {
        case .open: message += " for \(settings.cooldown)" + (reason.map { " after \($0)" } ?? "") + "; falling back to local tiers"
        case .halfOpen: message += ", probing"
        case .closed: message += ", redis tier back in use"
        }
        log(message)
    }

    private static func globEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "*?[]\\".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

/// A few connection slots; a caller takes a free one, or waits on one.
private final class RedisConnectionPool: Sendable {
    private let slots: [RedisConnectionSlot]
    private let next = Atomic<Int>(0)

    init(size: Int, endpoint: RedisEndpoint, settings: RedisSettings) {
        slots = (0..<max(1, size)).map { _ in RedisConnectionSlot(endpoint: endpoint, settings: settings) }
    }

    func run<T>(_ body: (RedisConnection) throws -> T) -> Result<T, RedisError> {
        for slot in slots {
            if let result = slot.runIfFree(body) { return result }
        }
        return slots[next.add(1, ordering: .relaxed).newValue % slots.count].run(body)
    }
}

/// A lazily (re)opened connection used by one caller at a time.
private final class RedisConnectionSlot: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: RedisConnection?
    private let endpoint: RedisEndpoint
    private let settings: RedisSettings

    init(endpoint: RedisEndpoint, settings: RedisSettings) {
        self.endpoint = endpoint
        self.settings = settings
    }

    /// Runs `body` on the connection, opening it first if needed; on a
    /// transport error the connection is discarded so the next call
    /// reconnects. A reused connection that fails with a connection error
    /// (not a timeout) is retried once on a fresh one: after a server restart
    /// or an idle disconnect the old socket is dead, not the server.
    func run<T>(_ body: (RedisConnection) throws -> T) -> Result<T, RedisError> {
        lock.lock()
        defer { lock.unlock() }
        return runLocked(body)
    }

    /// Like `run`, or `nil` at once when another caller holds the slot.
    func runIfFree<T>(_ body: (RedisConnection) throws -> T) -> Result<T, RedisError>? {
        guard lock.try() else { return nil }
        defer { lock.unlock() }
        return runLocked(body)
    }

    private func runLocked<T>(_ body: (RedisConnection) throws -> T) -> Result<T, RedisError> {
        let reused = connection != nil
        switch attempt(body) {
        case .failure(let error) where reused && error.kind == .connection:
            return attempt(body)
        case let result:
            return result
        }
    }

    private func attempt<T>(_ body: (RedisConnection) throws -> T) -> Result<T, RedisError> {
        do {
            if connection == nil {
                connection = try RedisConnection(endpoint: endpoint, connectTimeout: settings.connectTimeout,
                                                 commandTimeout: settings.commandTimeout)
            }
            return .success(try body(connection!))
        } catch let error as RedisError {
            connection = nil
            return .failure(error)
        } catch {
            connection = nil
            return .failure(RedisError(kind: .connection, message: "\(error)"))
        }
    }
}
