import MPTCPKit
import Testing

/// When a path is dead and when it is back, from carrier, address and probes, as values
/// on a clock the test moves (probes every 0.2 s, dead after 1 s: the defaults).
struct PathDetectorTests {
    let cb = IPAddress("10.0.2.1")!, sa = IPAddress("10.0.1.2")!
    var path: NetworkPath { NetworkPath(local: cb, remote: sa) }
    var key: PathDetector.ProbeKey { PathDetector.ProbeKey(local: cb, target: sa) }

    /// Probes as the detector asks for them from `from` to `to`, each answered when
    /// `answered(t)` says so; the transitions on the way, with their times.
    func run(_ detector: inout PathDetector, from: Double, to: Double,
             answered: (Double) -> Bool) -> [(Double, PathDetector.Transition)] {
        var seen: [(Double, PathDetector.Transition)] = []
        var now = from
        while now < to {
            for key in detector.due(at: now) {
                detector.sent(key, at: now)
                if answered(now) { seen += detector.answered(key, at: now + 0.01).map { (now, $0) } }
            }
            seen += detector.evaluate(at: now).map { (now, $0) }
            now += 0.05
        }
        return seen
    }

    @Test func aTrustedPeerThatStopsAnsweringKillsThePathAfterASecondAndItsAnswerBringsItBack() {
        var detector = PathDetector(settings: .standard)
        detector.follow(path, interface: "cb", at: 0)
        #expect(detector.status[path] == .up)
        // Answers for 5 s, none from 5 s to 25 s (a black hole), answers again after.
        let seen = run(&detector, from: 0, to: 30) { $0 < 5 || $0 >= 25 }
        #expect(seen.count == 2, "\(seen)")
        guard seen.count == 2, case let .down(downPath, reason) = seen[0].1, case let .up(upPath, downFor, upReason) = seen[1].1 else { return }
        #expect(downPath == path && reason == .probes && upPath == path && upReason == .probes)
        // Dead 1 s after the last answer (at ~4.8 s), back at the first answer after 25 s.
        #expect(seen[0].0 >= 5.7 && seen[0].0 <= 6.1, "down at \(seen[0].0)")
        #expect(seen[1].0 >= 25 && seen[1].0 <= 25.25, "up at \(seen[1].0)")
        #expect(downFor > 20 && downFor < 20.6)
    }

    @Test func aPeerThatNeverAnsweredIsNotProbedIntoDeath() {
        var detector = PathDetector(settings: .standard)
        detector.follow(path, interface: "cb", at: 0)
        #expect(run(&detector, from: 0, to: 10) { _ in false }.isEmpty)
        #expect(detector.status[path] == .up)
        #expect(!detector.trusts(path))
    }

    @Test func oneLostProbeIsNotADeath() {
        var detector = PathDetector(settings: .standard)
        detector.follow(path, interface: "cb", at: 0)
        // Every fourth probe lost (a congested queue): never 1 s without an answer.
        var count = 0
        let seen = run(&detector, from: 0, to: 20) { _ in count += 1; return count % 4 != 0 }
        #expect(seen.isEmpty, "\(seen)")
    }

    @Test func carrierLossIsADeathAtOnceAndTheCarrierAloneDoesNotBringATrustedPathBack() {
        var detector = PathDetector(settings: .standard)
        detector.follow(path, interface: "cb", at: 0)
        _ = run(&detector, from: 0, to: 2) { _ in true }
        #expect(detector.local(cb, unusable: .carrier, at: 2) == [.down(path, .carrier)])
        // Nothing is probed from an unusable address.
        #expect(detector.due(at: 3).isEmpty)
        // The carrier is back: the path waits for an answer sent after it came back.
        #expect(detector.local(cb, unusable: nil, at: 17).isEmpty)
        #expect(detector.due(at: 17) == [key])
        detector.sent(key, at: 17)
        let back = detector.answered(key, at: 17.02)
        #expect(back.count == 1)
        if case let .up(_, downFor, reason)? = back.first {
            #expect(reason == .carrier)
            #expect(abs(downFor - 15.02) < 0.001)
        }
    }

    @Test func anUntrustedPathIsBackWithItsCarrierAndAddress() {
        var detector = PathDetector(settings: HealingSettings(probes: [ProbeRule(names: ["c*"], target: .none)]))
        detector.follow(path, interface: "cb", at: 0)
        #expect(detector.due(at: 0).isEmpty, "probes: none")
        #expect(detector.local(cb, unusable: .address, at: 1) == [.down(path, .address)])
        #expect(detector.local(cb, unusable: nil, at: 6) == [.up(path, downFor: 5, reason: .address)])
    }

    @Test func aProbeRuleGivesTheTargetOfEveryPeerOfItsInterfaces() {
        let gateway = IPAddress("10.0.2.254")!
        let detector = PathDetector(settings: HealingSettings(probes: [
            ProbeRule(names: ["wwan*"], target: .connect(IPAddress("192.0.2.7")!, port: 443)),
            ProbeRule(names: ["c?"], target: .echo(gateway)),
        ]))
        #expect(detector.key(for: path, interface: "cb") == PathDetector.ProbeKey(local: cb, target: gateway))
        #expect(detector.key(for: path, interface: "wwan0")
                == PathDetector.ProbeKey(local: cb, target: IPAddress("192.0.2.7")!, port: 443))
        #expect(detector.key(for: path, interface: "eth0") == key)
    }

    @Test func theNextDeadlineIsTheNextProbeOrTheDeathOfAPathThatStoppedAnswering() {
        var detector = PathDetector(settings: .standard)
        detector.follow(path, interface: "cb", at: 0)
        #expect(detector.nextDeadline(after: 0) == 0, "never probed: at once")
        detector.sent(key, at: 0)
        _ = detector.answered(key, at: 0.01)
        #expect(detector.nextDeadline(after: 0.01) == 0.2)
        // IPv4-mapped forms name the same path and probe.
        #expect(NetworkPath(local: IPAddress("::ffff:10.0.2.1")!, remote: sa) == path)
    }
}
