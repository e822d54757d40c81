import MPTCPKit
import Testing

/// A subflow's `struct tcp_info` decoded from its bytes: Linux 6.18's 232 bytes, and
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
        put(UInt32(12_345), at: 68) // tcpi_rtt
        put(UInt32(42), at: 80) // tcpi_snd_cwnd
        put(UInt32(7), at: 100) // tcpi_total_retrans
        put(UInt64(1_500_000), at: 104) // tcpi_pacing_rate
        put(UInt64(10_000_000_000), at: 120) // tcpi_bytes_acked
        put(UInt64(2_000), at: 128) // tcpi_bytes_received
        put(UInt64(10_000_001_448), at: 200) // tcpi_bytes_sent
        return bytes
    }

    @Test func linux618sStructureHasEveryField() throws {
        let info = try #require(SockDiagAttributes.tcpInfo(Self.blob(length: 232)))
        #expect(info == TCPInfo(rtt: 12_345, congestionWindow: 42, totalRetransmits: 7, pacingRate: 1_500_000,
                                bytesAcked: 10_000_000_000, bytesReceived: 2_000, bytesSent: 10_000_001_448))
        // Bytes a later kernel adds after the known fields are ignored.
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 232) + [1, 2, 3, 4, 5, 6, 7, 8]) == info)
    }

    @Test func shorterStructuresLackTheirLaterFields() throws {
        // Linux 4.1 to 4.18: the byte counters but not tcpi_bytes_sent (200).
        let noBytesSent = try #require(SockDiagAttributes.tcpInfo(Self.blob(length: 160)))
        #expect(noBytesSent == TCPInfo(rtt: 12_345, congestionWindow: 42, totalRetransmits: 7, pacingRate: 1_500_000,
                                       bytesAcked: 10_000_000_000, bytesReceived: 2_000, bytesSent: nil))
        // Before Linux 3.15: up to tcpi_total_retrans (104 bytes), no pacing, no counters.
        let oldest = try #require(SockDiagAttributes.tcpInfo(Self.blob(length: 104)))
        #expect(oldest == TCPInfo(rtt: 12_345, congestionWindow: 42, totalRetransmits: 7))
        // A field cut in half is not read.
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 128))?.bytesAcked == 10_000_000_000)
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 135))?.bytesReceived == nil)
        // Too short to hold tcpi_rtt: no tcp_info at all.
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 71)) == nil)
        #expect(SockDiagAttributes.tcpInfo([]) == nil)
        #expect(SockDiagAttributes.tcpInfo(Self.blob(length: 72))?.rtt == 12_345)
    }
}
