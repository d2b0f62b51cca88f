import Testing
@testable import Cache

@Suite struct CircuitBreakerTests {
    let start = ContinuousClock.now

    @Test func opensAfterThresholdConsecutiveFailuresOnly() {
        var breaker = CircuitBreaker(threshold: 3, cooldown: .seconds(10))
        #expect(breaker.failed(now: start) == nil)
        #expect(breaker.failed(now: start) == nil)
        #expect(breaker.succeeded() == nil)          // success resets the run
        #expect(breaker.failed(now: start) == nil)
        #expect(breaker.failed(now: start) == nil)
        #expect(breaker.failed(now: start) == .open)
        #expect(breaker.admit(now: start + .seconds(9)).allowed == false)
    }

    @Test func halfOpenAdmitsOneProbeThenClosesOnSuccess() {
        var breaker = CircuitBreaker(threshold: 1, cooldown: .seconds(10))
        #expect(breaker.failed(now: start) == .open)
        let probe = breaker.admit(now: start + .seconds(10))
        #expect(probe.allowed && probe.changed == .halfOpen)
        #expect(breaker.admit(now: start + .seconds(10)).allowed == false)   // one probe at a time
        #expect(breaker.succeeded() == .closed)
        #expect(breaker.admit(now: start + .seconds(10)) == (true, nil))
    }

    @Test func failedProbeReopensForAnotherCooldown() {
        var breaker = CircuitBreaker(threshold: 2, cooldown: .seconds(1))
        _ = breaker.failed(now: start)
        _ = breaker.failed(now: start)
        #expect(breaker.admit(now: start + .seconds(1)).allowed)
        #expect(breaker.failed(now: start + .seconds(1)) == .open)
        #expect(breaker.admit(now: start + .milliseconds(1500)).allowed == false)
        #expect(breaker.admit(now: start + .seconds(2)).changed == .halfOpen)
    }

    @Test func gaugeValuesMatchTheContract() {
        #expect(CircuitState.closed.rawValue == 0)
        #expect(CircuitState.open.rawValue == 1)
        #expect(CircuitState.halfOpen.rawValue == 2)
    }
}
