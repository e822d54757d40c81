import MPTCPKit
import Testing

/// A subflow's `struct tcp_info` decoded from its bytes: Linux 6.18's 280 bytes, and
/// the shorter structures older kernels send (their missing fields nil).
struct TCPInfoDecodingTests {
    /// A `struct tcp_info` of `length` bytes with the fields mptcpctl reads set, at the
    /// offsets linux/tcp.h gives them (checked with offsetof), each where it fits.
    static func blob(length: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xEE, count: length)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            guard offset + MemoryLayout<T>.size <= length else { return }
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
        }
        put(UInt8(1), at: 0) // tcpi_state
        put(UInt8(4), at: 1) // tcpi_ca_state
        put(UInt8(3), at: 2) // tcpi_retransmits
        put(UInt8(2), at: 3) // tcpi_probes
        put(UInt8(5), at: 4) // tcpi_backoff
        put(UInt32(1_696_000), at: 8) // tcpi_rto
        put(UInt32(20), at: 24) // tcpi_unacked
        put(UInt32(6), at: 32) // tcpi_lost
        put(UInt32(436), at: 44) // tcpi_last_data_sent
        put(UInt32(13_636), at: 52) // tcpi_last_data_recv
        put(UInt32(1_128), at: 56) // tcpi_last_ack_recv
        put(UInt32(12_345), at: 68) // tcpi_rtt
        put(UInt32(42), at: 80) // tcpi_snd_cwnd
        put(UInt32(7), at: 100) // tcpi_total_retrans
        put(UInt64(1_500_000), at: 104) // tcpi_pacing_rate
        put(UInt64(10_000_000_000), at: 120) // tcpi_bytes_acked
        put(UInt64(2_000), at: 128) // tcpi_bytes_received
        put(UInt32(305_232), at: 144) // tcpi_notsent_bytes
        put(UInt64(648_000), at: 168) // tcpi_busy_time
        put(UInt64(10_000_001_448), at: 200) // tcpi_bytes_sent
        put(UInt32(2_528_256), at: 228) // tcpi_snd_wnd
        put(UInt16(9), at: 240) // tcpi_total_rto
        put(UInt16(1), at: 242) // tcpi_total_rto_recoveries
        put(UInt32(3_392), at: 244) // tcpi_total_rto_time
        return bytes
    }

    static let whole = TCPInfo(state: 1, congestionState: 4, retransmits: 3, probes: 2, backoff: 5, retransmissionTimeout: 1_696_000,
                               unacked: 20, lost: 6, lastDataSent: 436, lastDataReceived: 13_636, lastAckReceived: 1_128,
                               rtt: 12_345, congestionWindow: 42, totalRetransmits: 7, pacingRate: 1_500_000,
                               bytesAcked: 10_000_000_000, bytesReceived: 2_000, notSentBytes: 305_232, busyTime: 648_000,
                               bytesSent: 10_000_001_448, peerWindow: 2_528_256, totalTimeouts: 9, totalTimeoutTime: 3_392)

    @Test func linux618sStructureHasEveryField() throws {
        let info = try #require(SockDiagAttributes.tcpInfo(Self.blob(length: 280)))
        #expect(info == Self.whole)
        // Bytes a later kernel adds after the known fields are ignored.
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 280) + [1, 2, 3, 4, 5, 6, 7, 8]) == info)
    }

    @Test func shorterStructuresLackTheirLaterFields() throws {
        // Linux 5.4 to 6.6 (6.1 sends 232 bytes): all but the timeout totals of 6.7.
        var before67 = Self.whole
        before67.totalTimeouts = nil
        before67.totalTimeoutTime = nil
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 232)) == before67)
        // tcpi_total_rto fits, tcpi_total_rto_time (244) does not.
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 244))?.totalTimeouts == 9)
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 244))?.totalTimeoutTime == nil)
        // Linux 4.1 to 4.5: the byte counters but not tcpi_notsent_bytes (144) and later.
        let noNotSent = try #require(SockDiagAttributes.tcpInfo(Self.blob(length: 144)))
        #expect(noNotSent.bytesReceived == 2_000 && noNotSent.notSentBytes == nil && noNotSent.busyTime == nil)
        #expect(noNotSent.bytesSent == nil && noNotSent.peerWindow == nil)
        // Before Linux 3.15: up to tcpi_total_retrans (104 bytes), no pacing, no counters;
        // every field before tcpi_rtt is there.
        let oldest = try #require(SockDiagAttributes.tcpInfo(Self.blob(length: 104)))
        #expect(oldest == TCPInfo(state: 1, congestionState: 4, retransmits: 3, probes: 2, backoff: 5, retransmissionTimeout: 1_696_000,
                                  unacked: 20, lost: 6, lastDataSent: 436, lastDataReceived: 13_636, lastAckReceived: 1_128,
                                  rtt: 12_345, congestionWindow: 42, totalRetransmits: 7))
        // A field cut in half is not read.
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 128))?.bytesAcked == 10_000_000_000)
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 135))?.bytesReceived == nil)
        // Too short to hold tcpi_rtt: no tcp_info at all.
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 71)) == nil)
        #expect(SockDiagAttributes.tcpInfo([]) == nil)
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 72))?.rtt == 12_345)
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 72))?.congestionWindow == nil)
    }
}
