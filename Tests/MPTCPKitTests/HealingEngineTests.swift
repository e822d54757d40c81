import MPTCPKit
import Testing

/// Healing's decisions as values: event sequences, probe answers and readings of the
/// connections in, path reports and actions out, on a clock the test moves. The client
/// C has a `subflow` endpoint on cb (10.0.2.1, id 2) and its connection's subflows go
/// to S(a) 10.0.1.2; the server case has a `signal` endpoint S(b), the address case an
/// `address` endpoint.
struct HealingEngineTests {
    static let ca = IPAddress("10.0.1.1")!, cb = IPAddress("10.0.2.1")!, sa = IPAddress("10.0.1.2")!
    static let endpoint = Endpoint(id: 2, address: cb, flags: .subflow, interfaceIndex: 3)
    static let path = NetworkPath(local: cb, remote: sa)
    static let key = PathDetector.ProbeKey(local: cb, target: sa)

    /// lo, ca (2) and cb (3), each with its address; cb `running` as asked.
    static func interfaces(cbRunning: Bool = true, cbAddress: Bool = true) -> InterfaceSnapshot {
        InterfaceSnapshot(interfaces: [NetworkInterface(index: 1, name: "lo", isUp: true, isRunning: true, isLoopback: true),
                                       NetworkInterface(index: 2, name: "ca", isUp: true, isRunning: true),
                                       NetworkInterface(index: 3, name: "cb", isUp: true, isRunning: cbRunning)],
                          addresses: [InterfaceAddress(interfaceIndex: 2, address: ca)]
                              + (cbAddress ? [InterfaceAddress(interfaceIndex: 3, address: cb)] : []))
    }

    /// A subflow from `local` to S(a) whose tcp_info says when it last received data.
    static func subflow(_ local: IPAddress, port: UInt16, state: UInt8 = 1, lastReceived: UInt32, unacked: UInt32 = 0,
                        retransmits: UInt8 = 0, lastAck: UInt32? = nil) -> Subflow {
        Subflow(local: local, remote: sa, localPort: port, remotePort: 8080, state: state, localToken: 0, remoteToken: 0,
                localID: local == ca ? 0 : 2, remoteID: 0, flags: local == ca ? 0 : Subflow.joinLocalFlag,
                tcpInfo: TCPInfo(retransmits: retransmits, probes: 0, unacked: unacked, lastDataReceived: lastReceived,
                                 lastAckReceived: lastAck ?? lastReceived, rtt: 20_000))
    }

    /// A download: data on a (received 10 ms ago), and on b as `b` says (nil: no subflow on b).
    static func download(_ token: UInt32, b: Subflow?) -> Connection {
        Connection(token: token, local: ca, remote: sa, localPort: 40000 + UInt16(token % 1000), remotePort: 8080, state: 1,
                   subflows: [subflow(ca, port: 40000 + UInt16(token % 1000), lastReceived: 10)] + (b.map { [$0] } ?? []))
    }

    static func event(_ kind: PathManagerEvent.Kind, _ token: UInt32, from local: IPAddress, port: UInt16, error: UInt8? = nil) -> PathManagerEvent {
        var event = PathManagerEvent(kind: kind)
        event.token = token
        event.saddr = local
        event.daddr = sa
        event.sport = port
        event.dport = 8080
        event.error = error
        return event
    }

    /// An engine that knows the endpoint, the interfaces and connection 7's two subflows,
    /// and trusts the probe of S(a) over cb (answered at 0).
    static func engine(_ settings: HealingSettings = .standard, flags: EndpointFlags = .subflow) -> HealingEngine {
        var engine = HealingEngine(settings: settings, at: 0)
        var endpoint = Self.endpoint
        endpoint.flags = flags
        _ = engine.update(endpoints: [endpoint], interfaces: interfaces(), at: 0)
        _ = engine.read([download(7, b: subflow(cb, port: 50007, lastReceived: 10))], at: 0)
        #expect(engine.actions(at: 0) == [.probe(key, interfaceIndex: 3)])
        _ = engine.answered(key, at: 0.01)
        return engine
    }

    /// Probes every 0.2 s from `from` to `to`, answered when `answered` says, and the
    /// periodic readings answered with connection 7 as it was at the start; what the
    /// engine reported meanwhile and the repairs asked for.
    static func probe(_ engine: inout HealingEngine, from: Double, to: Double, answered: (Double) -> Bool)
        -> (events: [HealingEvent], actions: [HealingEngine.Action]) {
        var events: [HealingEvent] = [], actions: [HealingEngine.Action] = []
        var now = from
        while now < to {
            events += engine.tick(at: now)
            for action in engine.actions(at: now) {
                switch action {
                case .probe: if answered(now) { events += engine.answered(key, at: now + 0.005) }
                case .readConnections: events += engine.read([download(7, b: subflow(cb, port: 50007, lastReceived: 10))], at: now)
                case .repair: actions.append(action)
                }
            }
            now += 0.05
        }
        return (events, actions)
    }

    /// The actions due at `now`, probes sent and left out.
    static func work(_ engine: inout HealingEngine, at now: Double) -> [HealingEngine.Action] {
        engine.actions(at: now).filter { if case .probe = $0 { return false } else { return true } }
    }

    @Test func aPathBackFromABlackHoleWhoseSubflowStaysSilentIsRepairedThenHealed() {
        var engine = Self.engine()
        // A black hole from 1 s to 21 s.
        let outage = Self.probe(&engine, from: 0.2, to: 21) { $0 < 1 }
        guard case let .pathDown(report, reason, connections)? = outage.events.first else {
            Issue.record("no path_down: \(outage.events)")
            return
        }
        #expect(report == PathReport(path: Self.path, interface: "cb", endpoint: 2))
        #expect(reason == .probes && connections == [7])
        // Back at 21 s; the first answer brings it up, its connection to heal.
        let back = Self.probe(&engine, from: 21, to: 21.2) { _ in true }
        #expect(back.events.count == 1)
        guard case let .pathUp(_, .probes, downFor, [7])? = back.events.first else { Issue.record("\(back.events)"); return }
        #expect(downFor > 20 && downFor < 21)
        // 0.2 s later the engine asks to read the connections...
        #expect(Self.work(&engine, at: 21.21) == [.readConnections])
        // ...in which b still received nothing since the outage, while a did: it lacks the path.
        let events = engine.read([Self.download(7, b: Self.subflow(Self.cb, port: 50007, lastReceived: 20_300))], at: 21.21)
        #expect(events.isEmpty)
        let repair = Self.work(&engine, at: 21.21)
        #expect(repair.count == 1)
        guard case let .repair(endpoint, _)? = repair.first else { return }
        #expect(endpoint == Self.endpoint)
        #expect(engine.repairFinished(endpoint, error: nil, at: 21.22)
                == [.repaired(PathReport(path: Self.path, interface: "cb", endpoint: 2), endpoint: endpoint, lacking: [7], touched: [], attempt: 1)])
        // The new subflow carries: healed, ~0.7 s after the path came back.
        #expect(Self.work(&engine, at: 21.72) == [.readConnections])
        let healed = engine.read([Self.download(7, b: Self.subflow(Self.cb, port: 50100, lastReceived: 30))], at: 21.72)
        guard case let .healed(_, connections, seconds, repairs)? = healed.first else { Issue.record("\(healed)"); return }
        #expect(connections == [7] && repairs == 1 && seconds > 0.6 && seconds < 0.8)
        #expect(engine.counters.pathFailures == 1 && engine.counters.repairs == 1 && engine.counters.healed == 1)
        #expect(engine.counters.pathsDown == 0)
    }

    @Test func aSubflowThatCarriesWithinTheGraceIsNotRepaired() {
        var engine = Self.engine()
        _ = Self.probe(&engine, from: 0.2, to: 4.3) { $0 < 1 || $0 > 4 }
        #expect(Self.work(&engine, at: 4.45) == [.readConnections])
        let events = engine.read([Self.download(7, b: Self.subflow(Self.cb, port: 50007, lastReceived: 40))], at: 4.45)
        guard case .healed(_, [7], _, 0)? = events.first else { Issue.record("\(events)"); return }
        #expect(Self.work(&engine, at: 4.5).isEmpty)
        #expect(engine.counters.repairs == 0)
    }

    /// cb loses its carrier, the planner deletes its endpoint and adds it again (id 3)
    /// when the carrier returns: that addition opens the subflows, so the engine gives
    /// their joins the settle time before it would flap the endpoint (seen in a guest:
    /// a repair 0.2 s after the addition cut the join in flight).
    @Test func anEndpointTheInterfaceBroughtBackIsGivenItsJoinsBeforeARepair() {
        var engine = Self.engine()
        let down = engine.update(endpoints: [Self.endpoint], interfaces: Self.interfaces(cbRunning: false), at: 1)
        guard case .pathDown(_, .carrier, [7])? = down.first else { Issue.record("\(down)"); return }
        _ = engine.update(endpoints: [], interfaces: Self.interfaces(cbRunning: false), at: 1.01)
        var added = Self.endpoint
        added.id = 3
        _ = engine.update(endpoints: [added], interfaces: Self.interfaces(), at: 4)
        // The first probe answered brings the path up; its connection lacks it from then on.
        let lacking = Self.download(7, b: nil)
        var now = 4.0, back: Double?, repairs: [(Double, HealingEngine.Action)] = []
        while now < 5.6, repairs.isEmpty {
            var events = engine.tick(at: now)
            for action in engine.actions(at: now) {
                switch action {
                case let .probe(key, _): events += engine.answered(key, at: now + 0.005)
                case .readConnections: events += engine.read([lacking], at: now)
                case .repair: repairs.append((now, action))
                }
            }
            if back == nil, case .pathUp(_, .carrier, _, [7])? = events.first { back = now }
            now += 0.05
        }
        #expect(back.map { $0 < 4.1 } == true, "the path came back at \(String(describing: back))")
        // None within the second after the addition; still lacking then: repaired.
        guard let (at, action) = repairs.first, case let .repair(endpoint, _) = action else { Issue.record("no repair by 5.6 s"); return }
        #expect(endpoint == added && at >= 5, "a repair \(at - 4) s after the addition")
    }

    @Test func anIdleConnectionWithItsSubflowEstablishedIsLeftAlone() {
        var engine = Self.engine()
        _ = Self.probe(&engine, from: 0.2, to: 4.3) { $0 < 1 || $0 > 4 }
        // Nothing moved anywhere for 4 s: idle, not lacking.
        var idle = Self.download(7, b: Self.subflow(Self.cb, port: 50007, lastReceived: 4_000))
        idle.subflows[0] = Self.subflow(Self.ca, port: 40007, lastReceived: 4_000)
        let events = engine.read([idle], at: 4.45)
        guard case .healed(_, [7], _, 0)? = events.first else { Issue.record("\(events)"); return }
    }

    @Test func aRepairNamesTheWorkingConnectionsItTouchesAndBacksOffWhileItDoesNotHeal() {
        var engine = Self.engine()
        _ = Self.probe(&engine, from: 0.2, to: 4.3) { $0 < 1 || $0 > 4 }
        // 7 lacks the path; 8 (opened meanwhile) carries on it.
        let reading = [Self.download(7, b: nil), Self.download(8, b: Self.subflow(Self.cb, port: 50008, lastReceived: 5))]
        _ = engine.read(reading, at: 4.45)
        guard case let .repair(endpoint, _)? = Self.work(&engine, at: 4.45).first else { Issue.record("no repair"); return }
        guard case let .repaired(_, _, lacking, touched, 1)? = engine.repairFinished(endpoint, error: nil, at: 4.46).first else { return }
        #expect(lacking == [7] && touched == [8])
        // Still lacking: checked again each grace, repaired again once the settle time
        // (1 s) and the wait (1 s, then 2, then 4) have passed.
        var repairs: [Double] = []
        var now = 4.5
        while now < 12 {
            for action in engine.actions(at: now) {
                switch action {
                case .readConnections: _ = engine.read(reading, at: now)
                case let .repair(endpoint, _):
                    repairs.append(now)
                    _ = engine.repairFinished(endpoint, error: nil, at: now)
                case .probe(let key, _): _ = engine.answered(key, at: now)
                }
            }
            now += 0.05
        }
        #expect(repairs.count == 3, "\(repairs)")
        if repairs.count == 3 {
            let gaps = [repairs[0] - 4.45, repairs[1] - repairs[0], repairs[2] - repairs[1]]
            #expect(gaps[0] >= 1 && gaps[0] < 1.4 && gaps[1] >= 2 && gaps[1] < 2.4 && gaps[2] >= 4 && gaps[2] < 4.4, "\(repairs)")
        }
    }

    @Test func anAddressEndpointWaitsForThePeerAndHealsWhenItsSubflowComes() {
        var engine = Self.engine(flags: .address)
        _ = Self.probe(&engine, from: 0.2, to: 4.3) { $0 < 1 || $0 > 4 }
        let events = engine.read([Self.download(7, b: nil)], at: 4.45)
        guard case .waitingForPeer(_, [7])? = events.first else { Issue.record("\(events)"); return }
        #expect(Self.work(&engine, at: 4.45).isEmpty, "no lever: no repair")
        // The peer announced again: a subflow from C(b) appears and carries.
        _ = engine.observe(Self.event(.subflowEstablished, 7, from: Self.cb, port: 50200), at: 4.6)
        #expect(Self.work(&engine, at: 4.8) == [.readConnections])
        let healed = engine.read([Self.download(7, b: Self.subflow(Self.cb, port: 50200, lastReceived: 20))], at: 4.8)
        guard case .healed(_, [7], _, 0)? = healed.first else { Issue.record("\(healed)"); return }
    }

    @Test func anAddressEndpointIsHeldWhileItsInterfaceIsGoneForHoldSeconds() {
        var engine = Self.engine(HealingSettings(hold: 30), flags: .address)
        let address = Endpoint(id: 2, address: Self.cb, flags: .address, interfaceIndex: 3)
        let down = engine.update(endpoints: [address], interfaces: Self.interfaces(cbRunning: false), at: 10)
        guard case .pathDown(_, .carrier, [7])? = down.first else { Issue.record("\(down)"); return }
        #expect(engine.held([address], at: 10) == [address.spec])
        #expect(engine.held([address], at: 39) == [address.spec])
        #expect(engine.held([address], at: 41).isEmpty)
        // A subflow endpoint is never held: deleting it and adding it again is the faster way back.
        var subflowEngine = Self.engine()
        _ = subflowEngine.update(endpoints: [Self.endpoint], interfaces: Self.interfaces(cbAddress: false), at: 10)
        #expect(subflowEngine.held([Self.endpoint], at: 10).isEmpty)
    }

    @Test func aSubflowLostWithAnErrorOnAWorkingPathIsBroughtBack() {
        var engine = Self.engine()
        _ = Self.probe(&engine, from: 0.2, to: 2) { _ in true }
        // The peer reset it (104).
        _ = engine.observe(Self.event(.subflowClosed, 7, from: Self.cb, port: 50007, error: 104), at: 2)
        #expect(Self.work(&engine, at: 2.2) == [.readConnections])
        _ = engine.read([Self.download(7, b: nil)], at: 2.2)
        guard case .repair? = Self.work(&engine, at: 2.2).first else { Issue.record("no repair"); return }
        // An orderly close (the peer withdrew its address) is not a loss.
        var other = Self.engine()
        _ = Self.probe(&other, from: 0.2, to: 2) { _ in true }
        _ = other.observe(Self.event(.subflowClosed, 7, from: Self.cb, port: 50007, error: 0), at: 2)
        #expect(Self.work(&other, at: 2.5).isEmpty)
    }

    @Test func aConnectionThatStillLacksThePathAMinuteAfterIsGivenUp() {
        var engine = Self.engine(HealingSettings(repairBackoff: (1, 1)))
        _ = Self.probe(&engine, from: 0.2, to: 4.3) { $0 < 1 || $0 > 4 }
        var gaveUp: [HealingEvent] = []
        var now = 4.45
        while now < 70 {
            for action in engine.actions(at: now) {
                switch action {
                case .readConnections: gaveUp += engine.read([Self.download(7, b: nil)], at: now).filter {
                    if case .gaveUp = $0 { return true } else { return false }
                }
                case let .repair(endpoint, _): _ = engine.repairFinished(endpoint, error: nil, at: now)
                case .probe(let key, _): _ = engine.answered(key, at: now)
                }
            }
            now += 0.1
        }
        #expect(gaveUp.count == 1, "\(gaveUp)")
        #expect(engine.counters.gaveUp == 1 && engine.counters.repairs > 20)
    }

    @Test func theTableFollowsTheEvents() {
        var table = SubflowTable()
        var created = Self.event(.created, 9, from: Self.ca, port: 40009)
        #expect(table.apply(created) != nil)
        created.kind = .established
        #expect(table.apply(created) == nil, "the same initial subflow")
        let joined = Self.event(.subflowEstablished, 9, from: Self.cb, port: 50009)
        #expect(table.apply(joined) != nil)
        #expect(table.tokens(on: Self.path) == [9])
        #expect(table.peers(of: Self.cb) == [Self.sa: 1])
        var closed = joined
        closed.kind = .subflowClosed
        closed.error = 110
        guard case let .closed(9, entry, 110)? = table.apply(closed) else { Issue.record("not closed"); return }
        #expect(entry.path == Self.path && table.tokens(on: Self.path).isEmpty)
        var gone = PathManagerEvent(kind: .closed)
        gone.token = 9
        #expect(table.apply(gone) != nil)
        #expect(table.connections.isEmpty)
    }

    @Test func theCountersGoOverTheWireAndBack() {
        var counters = HealingCounters()
        counters.pathFailures = 3
        counters.pathsDown = 1
        counters.repairs = 2
        counters.healed = 2
        counters.healSeconds = 1.25
        counters.touchedConnections = 4
        #expect(HealingCounters(decoding: counters.encoded) == counters)
        #expect(String(decoding: counters.encoded, as: UTF8.self).hasPrefix("path_failures 3\npaths_down 1\nrepairs 2\n"))
        // A newer daemon's names are skipped; a malformed line is nothing.
        #expect(HealingCounters(decoding: Array("repairs 5\nnew_thing 7\n".utf8))?.repairs == 5)
        #expect(HealingCounters(decoding: Array("repairs five\n".utf8)) == nil)
    }
}
