import Foundation
import MPTCPKit
import Testing

/// `SubflowHealth` over series of `tcp_info` recorded on Linux 6.18
/// (Tests/Recordings/SubflowHealth: record.sh says how): the client's two subflows, read
/// every 200 ms, C(a) over the 8 Mbit/s path a and C(b) over the 16 Mbit/s path b.
struct SubflowHealthTests {
    struct Row {
        var time: Int
        var subflow: String
        var info: TCPInfo
    }

    static let recordings = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Recordings/SubflowHealth")

    /// The rows of a recording (its header names the tcp_info fields).
    static func series(_ name: String) throws -> [Row] {
        let text = try String(contentsOf: recordings.appendingPathComponent(name + ".csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        return try lines.map { cells in
            var field: [String: String] = [:]
            for (name, cell) in zip(header, cells) { field[name] = cell }
            func n<T: FixedWidthInteger>(_ name: String) -> T? { field[name].flatMap { T($0) } }
            let info = TCPInfo(state: n("tcpi_state"), congestionState: n("tcpi_ca_state"), retransmits: n("tcpi_retransmits"),
                               probes: n("tcpi_probes"), backoff: n("tcpi_backoff"), retransmissionTimeout: n("tcpi_rto"),
                               unacked: n("tcpi_unacked"), lost: n("tcpi_lost"), lastDataSent: n("tcpi_last_data_sent"),
                               lastDataReceived: n("tcpi_last_data_recv"), lastAckReceived: n("tcpi_last_ack_recv"),
                               rtt: n("tcpi_rtt"), congestionWindow: n("tcpi_snd_cwnd"), totalRetransmits: n("tcpi_total_retrans"),
                               bytesAcked: n("tcpi_bytes_acked"), bytesReceived: n("tcpi_bytes_received"),
                               notSentBytes: n("tcpi_notsent_bytes"), busyTime: n("tcpi_busy_time"), peerWindow: n("tcpi_snd_wnd"),
                               totalTimeouts: n("tcpi_total_rto"), totalTimeoutTime: n("tcpi_total_rto_time"))
            return Row(time: try #require(n("time_ms")), subflow: try #require(field["subflow"]), info: info)
        }
    }

    static func health(_ row: Row) -> SubflowHealth { SubflowHealth(tcpState: row.info.state ?? 0, tcpInfo: row.info) }

    /// The rows of the subflow from `address`, between `from` and `to` milliseconds.
    static func rows(_ series: [Row], _ address: String, from: Int = 0, to: Int = .max) -> [Row] {
        series.filter { $0.subflow.hasPrefix(address + ":") && $0.time >= from && $0.time < to }
    }

    static func states(_ rows: [Row]) -> [String] { rows.map { "\($0.time) \(health($0).state)" } }

    /// A black hole on path b from 12 s to 32 s during a bulk upload: b is stalled
    /// within 1.5 s and for as long as the kernel has not recovered it (its backoff ends
    /// ~6.5 s after the hole), working before and after; path a works throughout.
    @Test(arguments: [("upload-drop-output", SubflowHealth.Stall.probesUnanswered),
                      ("upload-drop-input", .retransmissionTimeouts)])
    func aBlackHoleStallsItsPathWithinASecondAndAHalf(name: String, stall: SubflowHealth.Stall) throws {
        let series = try Self.series(name)
        let a = Self.rows(series, "10.0.1.1"), b = Self.rows(series, "10.0.2.1")
        try #require(a.count > 150 && b.count > 150)
        #expect(a.allSatisfy { Self.health($0).state == .working }, "\(Self.states(a.filter { Self.health($0).state != .working }))")
        let before = Self.rows(series, "10.0.2.1", to: 11_900)
        #expect(before.allSatisfy { Self.health($0).state == .working }, "\(Self.states(before))")
        let first = try #require(b.first { Self.health($0).isStalled })
        #expect(first.time > 12_000 && first.time < 13_500, "\(first.time)")
        // Stalled without a break until the kernel's backoff retries get through.
        let recovered = try #require(b.first { $0.time > first.time && !Self.health($0).isStalled })
        #expect(recovered.time > 32_000, "working again at \(recovered.time), before the hole ended")
        #expect(Self.rows(series, "10.0.2.1", from: first.time, to: recovered.time).allSatisfy { Self.health($0).state == .stalled(stall) })
        let after = Self.rows(series, "10.0.2.1", from: recovered.time)
        #expect(after.count > 10 && after.allSatisfy { Self.health($0).state == .working }, "\(Self.states(after))")
        // The idle time of the stalled path is the time since its last acknowledgement.
        let late = try #require(Self.rows(series, "10.0.2.1", from: 30_000).first)
        #expect(Self.health(late).idleTime.map { $0 > 17_000 } == true, "\(late.info)")
        #expect(Self.health(late).idleTime == late.info.lastAckReceived)
    }

    /// Paths the scheduler leaves unused are idle, never stalled: a backup subflow
    /// beside an upload, the slower path of a trickle, an idle connection.
    @Test(arguments: [("upload-beside-backup", "10.0.2.1", "10.0.1.1"), ("trickle", "10.0.2.1", "10.0.1.1"),
                      ("idle-drop-output", "10.0.2.1", nil)])
    func anUnusedPathIsIdleNeverStalled(name: String, unused: String, busy: String?) throws {
        let series = try Self.series(name)
        #expect(!series.contains { Self.health($0).isStalled }, "\(Self.states(series.filter { Self.health($0).isStalled }))")
        let idle = Self.rows(series, unused, from: 1_000)
        try #require(idle.count > 50)
        #expect(idle.allSatisfy { Self.health($0).state == .idle }, "\(Self.states(idle))")
        // Its idle time grows with the recording.
        #expect(idle.last.flatMap { Self.health($0).idleTime }.map { $0 > 15_000 } == true)
        if let busy {
            let used = Self.rows(series, busy)
            #expect(used.allSatisfy { Self.health($0).state == .working }, "\(Self.states(used))")
        }
    }

    /// A black hole while nothing is sent cannot be told from this end: the idle
    /// connection's path b stays idle after the DROP at 10 s (the documented limit).
    @Test func aBlackHoleWithNothingToSendStaysIdle() throws {
        let after = Self.rows(try Self.series("idle-drop-output"), "10.0.2.1", from: 10_500)
        #expect(after.count > 40 && after.allSatisfy { Self.health($0).state == .idle })
    }

    /// A peer that stops reading closes its window: its probes are answered (never two
    /// pending), so neither path is stalled, only idle or working between probes; after
    /// a DROP on b at 12 s b's probe goes unanswered, and one probe pending is not yet a
    /// stall (the next comes after the window's backoff).
    @Test func aPeerThatStopsReadingIsNoStall() throws {
        let series = try Self.series("peer-stops-reading")
        #expect(!series.contains { Self.health($0).isStalled })
        let closed = series.filter { $0.time > 8_000 }
        #expect(closed.allSatisfy { $0.info.peerWindow == 0 && $0.info.unacked == 0 })
        #expect(closed.allSatisfy { [.idle, .working].contains(Self.health($0).state) })
        #expect(series.allSatisfy { ($0.info.probes ?? 0) <= 1 })
    }

    @Test func theThresholdsDecideAndTheRTTStretchesThem() {
        // 1.2 s without an acknowledgement, one segment outstanding, no timeout yet.
        let quiet = TCPInfo(retransmits: 0, probes: 0, unacked: 1, lastDataReceived: 5_000, lastAckReceived: 1_200, rtt: 20_000)
        #expect(SubflowHealth(tcpState: 1, tcpInfo: quiet).state == .stalled(.unacknowledged))
        #expect(SubflowHealth(tcpState: 1, tcpInfo: quiet, thresholds: .init(stalledAfter: 2_000)).state == .working)
        // A path whose RTT is 800 ms is given twice that.
        var slow = quiet
        slow.rtt = 800_000
        #expect(SubflowHealth(tcpState: 1, tcpInfo: slow).state == .working)
        slow.lastAckReceived = 1_600
        #expect(SubflowHealth(tcpState: 1, tcpInfo: slow).state == .stalled(.unacknowledged))
        // Nothing outstanding: idle after `idleAfter`, working before.
        let done = TCPInfo(retransmits: 0, probes: 0, unacked: 0, lastDataReceived: 900, lastAckReceived: 4_000)
        #expect(SubflowHealth(tcpState: 1, tcpInfo: done) == SubflowHealth(state: .working, idleTime: 900))
        #expect(SubflowHealth(tcpState: 1, tcpInfo: done, thresholds: .init(idleAfter: 500)).state == .idle)
    }

    @Test func handshakesClosingAndMissingInfo() {
        #expect(SubflowHealth(tcpState: 2, tcpInfo: TCPInfo(retransmits: 0)).state == .opening)
        #expect(SubflowHealth(tcpState: 2, tcpInfo: TCPInfo(retransmits: 1)).state == .stalled(.retransmissionTimeouts))
        #expect(SubflowHealth(tcpState: 3, tcpInfo: nil).state == .opening)
        for state: UInt8 in [4, 5, 6, 7, 8, 9, 11] {
            #expect(SubflowHealth(tcpState: state, tcpInfo: TCPInfo(unacked: 3, lastAckReceived: 60_000)).state == .closing)
        }
        #expect(SubflowHealth(tcpState: 1, tcpInfo: nil) == SubflowHealth(state: .working, idleTime: nil))
        let subflow = Subflow(local: IPAddress("10.0.2.1")!, remote: IPAddress("10.0.2.2")!, localPort: 1, remotePort: 2, state: 1,
                              localToken: 1, remoteToken: 2, localID: 1, remoteID: 0, flags: 0,
                              tcpInfo: TCPInfo(retransmits: 3, unacked: 4, lastDataReceived: 9_000, lastAckReceived: 5_000))
        #expect(subflow.health() == SubflowHealth(state: .stalled(.retransmissionTimeouts), idleTime: 5_000))
        #expect(subflow.health().isStalled)
    }
}
