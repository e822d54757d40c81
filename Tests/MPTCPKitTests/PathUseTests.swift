import MPTCPKit
import Testing

/// `PathUse` and the engine over `tcp_info` series recorded on Linux 6.18
/// (Tests/Recordings/SubflowHealth; record-download.py: a long download from S to C over
/// Benchmarks/heal.py's two shaped paths, both ends' subflows read every 200 ms, a black
/// hole on b from 8.7 s to 23.7 s with nothing but the kernel to bring b back, which it
/// did at 36.35 s when the server's backed-off retransmission timer (13.6 s by then) fired).
struct PathUseTests {
    static let cb = IPAddress("10.80.2.1")!, sb = IPAddress("10.80.2.2")!
    static let hole = 8.7, back = 23.7, kernelBack = 36.35

    /// The readings of a series: at each time, its subflows as one connection.
    static func readings(_ name: String) throws -> [(time: Double, connection: Connection)] {
        let rows = try SubflowHealthTests.series(name)
        var times: [Int] = []
        var byTime: [Int: [Subflow]] = [:]
        for row in rows {
            let ends = row.subflow.split(separator: ">").map { $0.split(separator: ":") }
            guard ends.count == 2, let local = IPAddress(String(ends[0][0])), let remote = IPAddress(String(ends[1][0])) else { continue }
            if byTime[row.time] == nil { times.append(row.time) }
            byTime[row.time, default: []].append(Subflow(
                local: local, remote: remote, localPort: UInt16(ends[0][1]) ?? 0, remotePort: UInt16(ends[1][1]) ?? 0,
                state: row.info.state ?? 1, localToken: 1, remoteToken: 2, localID: 0, remoteID: 0, flags: 0, tcpInfo: row.info))
        }
        return times.map { time in
            let subflows = byTime[time]!
            return (Double(time) / 1000, Connection(token: 1, local: subflows[0].local, remote: subflows[0].remote,
                                                    localPort: subflows[0].localPort, remotePort: subflows[0].remotePort,
                                                    state: 1, subflows: subflows))
        }
    }

    /// What each reading says of b's use over the 0.2 s before it.
    static func uses(_ name: String, from local: IPAddress) throws -> [(time: Double, use: PathUse)] {
        try readings(name).map { ($0.time, PathUse($0.connection, from: local, over: 0.2)) }
    }

    @Test(arguments: [("download-blackhole-client", PathUse.Lack.silent), ("download-blackhole-server", .stalled)])
    func aPathBackFromABlackHoleIsLackingUntilTheKernelRecoversIt(name: String, lack: PathUse.Lack) throws {
        let uses = try Self.uses(name, from: name.hasSuffix("client") ? Self.cb : Self.sb)
        try #require(uses.count > 150)
        // Before the hole it never lacks the path: it carries at almost every reading (a
        // pause of up to 344 ms is too short to tell).
        let before = uses.filter { $0.time > 1 && $0.time < Self.hole }
        #expect(before.allSatisfy { $0.use == .carrying || $0.use == .unsure }, "\(before.filter { $0.use != .carrying })")
        #expect(before.filter { $0.use == .carrying }.count >= before.count - 3)
        // From the path's return (with the grace) to the kernel's own recovery, 15 s later:
        // lacking, for the reason each end can see.
        let lacking = uses.filter { $0.time > Self.back + 0.2 && $0.time < Self.kernelBack - 0.2 }
        #expect(lacking.count > 50 && lacking.allSatisfy { $0.use == .lacking(lack) },
                "\(lacking.filter { $0.use != .lacking(lack) }.map { "\($0.time) \($0.use)" })")
        // After the kernel's retransmission got through: carrying again (never lacking).
        let after = uses.filter { $0.time > Self.kernelBack + 0.3 }
        #expect(after.count > 10 && after.allSatisfy { !$0.use.isLacking }, "\(after)")
        #expect(after.filter { $0.use == .carrying }.count >= after.count - 2)
    }

    /// The engine over the client's series, probes of S(b) unanswered during the hole:
    /// down 1 s into it, up when it ends, then (an address endpoint: no lever) waiting for
    /// the peer, until the kernel brings b back itself 12.6 s later.
    @Test func theEngineSeesTheDownloadsPathLackingUntilTheKernelBringsItBack() throws {
        let readings = try Self.readings("download-blackhole-client")
        var engine = HealingEngine(settings: .standard, at: 0)
        let endpoint = Endpoint(id: 1, address: Self.cb, flags: .address, interfaceIndex: 3)
        let interfaces = InterfaceSnapshot(interfaces: [NetworkInterface(index: 3, name: "cb", isUp: true, isRunning: true)],
                                           addresses: [InterfaceAddress(interfaceIndex: 3, address: Self.cb)])
        _ = engine.update(endpoints: [endpoint], interfaces: interfaces, at: 0)
        // What a healer reads when it starts.
        var events = engine.read([readings[0].connection], at: readings[0].time), reading = 0
        var now = readings[0].time
        while now < 40 {
            while reading + 1 < readings.count, readings[reading + 1].time <= now { reading += 1 }
            events += engine.tick(at: now)
            for action in engine.actions(at: now) {
                switch action {
                case let .probe(key, _):
                    if now < Self.hole || now >= Self.back { events += engine.answered(key, at: now + 0.002) }
                case .readConnections:
                    events += engine.read([readings[reading].connection], at: now)
                case .repair:
                    Issue.record("an address endpoint is not repaired")
                }
            }
            now += 0.05
        }
        let kinds = events.map { event -> String in
            switch event {
            case .pathDown: "down"
            case .pathUp: "up"
            case .waitingForPeer: "waiting"
            case .healed: "healed"
            default: "\(event)"
            }
        }
        #expect(kinds == ["down", "up", "waiting", "healed"], "\(events)")
        if case let .healed(_, _, seconds, _)? = events.last {
            #expect(seconds > Self.kernelBack - Self.back - 0.5 && seconds < Self.kernelBack - Self.back + 1.5, "\(seconds)")
        }
    }

    /// Paths the scheduler leaves unused, replayed through the engine with every probe
    /// answered: never a failure, never a repair (issue 30's prototype saw 77 false
    /// alarms in 70 s from idle time alone).
    @Test(arguments: ["upload-beside-backup", "trickle", "idle-drop-output"])
    func anUnusedPathIsNeverRepaired(name: String) throws {
        let readings = try Self.readings(name)
        var engine = HealingEngine(settings: .standard, at: 0)
        let endpoint = Endpoint(id: 1, address: Self.cb, flags: [.subflow], interfaceIndex: 3)
        let interfaces = InterfaceSnapshot(interfaces: [NetworkInterface(index: 3, name: "cb", isUp: true, isRunning: true)],
                                           addresses: [InterfaceAddress(interfaceIndex: 3, address: Self.cb)])
        _ = engine.update(endpoints: [endpoint], interfaces: interfaces, at: 0)
        var events: [HealingEvent] = [], repairs = 0
        for (time, connection) in readings {
            events += engine.read([connection], at: time)
            for action in engine.actions(at: time) {
                switch action {
                case let .probe(key, _):
                    // idle-drop-output's hole cuts the probes too: answered here, to show
                    // that the subflows alone raise nothing.
                    events += engine.answered(key, at: time)
                case .readConnections: events += engine.read([connection], at: time)
                case .repair: repairs += 1
                }
            }
        }
        #expect(events.isEmpty && repairs == 0, "\(events)")
    }
}
