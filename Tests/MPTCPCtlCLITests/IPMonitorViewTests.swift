import Glibc
import MPTCPKit
import Testing
@testable import MPTCPCtlCLI

/// `--format ip monitor` against what iproute2 7.1's ip/ipmptcp.c and lib/json_writer.c
/// print, for what a real connection does not produce on demand: every event type, an
/// event ip does not know, flag bits it does not know, a reset, the text and JSON edges
/// of C's "%#x", names of interfaces that are gone, and the JSON array's framing.
/// (IPMonitorKernelTests holds mptcpctl beside ip 7.1 itself on real connections.)
struct IPMonitorViewTests {
    let time = Timestamp(seconds: 1_795_000_000, microseconds: 42)

    func event(_ kind: PathManagerEvent.Kind, _ set: (inout PathManagerEvent) -> Void = { _ in }) -> PathManagerEvent {
        var event = PathManagerEvent(kind: kind)
        set(&event)
        return event
    }

    func view(_ form: IPMonitorView.Form, _ names: [Int32: String] = [:]) -> IPMonitorView {
        IPMonitorView(form: form, timestamps: nil, interfaceName: { names[$0] })
    }

    func text(_ event: PathManagerEvent, _ names: [Int32: String] = [:]) -> String {
        var view = view(.text, names)
        return view.render(event, time: time)
    }

    /// The event's object alone, as the array's first item writes it (without the "[").
    func json(_ event: PathManagerEvent, _ names: [Int32: String] = [:]) -> String {
        var view = view(.json, names)
        return String(view.render(event, time: time).dropFirst())
    }

    @Test func everyEventTypeIsNamedRightAlignedInSixteenPlaces() {
        let expected: [(PathManagerEvent.Kind, String)] = [
            (.created, "[         CREATED]"), (.established, "[     ESTABLISHED]"), (.closed, "[          CLOSED]"),
            (.announced, "[       ANNOUNCED]"), (.removed, "[         REMOVED]"), (.subflowEstablished, "[  SF_ESTABLISHED]"),
            (.subflowClosed, "[       SF_CLOSED]"), (.subflowPriority, "[         SF_PRIO]"),
            (.listenerCreated, "[LISTENER_CREATED]"), (.listenerClosed, "[ LISTENER_CLOSED]"),
        ]
        #expect(expected.map(\.0) == PathManagerEvent.Kind.known)
        for (kind, name) in expected {
            #expect(text(event(kind)) == name + "\n")
            #expect(json(event(kind)) == #"{"event":"\#(name.dropFirst().dropLast().drop { $0 == " " })"}"#)
        }
    }

    @Test func aSubflowWithEveryFieldInIPsOrder() {
        let subflow = event(.subflowEstablished) {
            $0.token = 0x0711c4a7; $0.localID = 1; $0.remoteID = 0
            $0.saddr = IPAddress("10.0.2.1"); $0.daddr = IPAddress("10.0.1.2"); $0.sport = 52349; $0.dport = 7000
            $0.backup = 0; $0.interfaceIndex = 3
        }
        #expect(text(subflow, [3: "b1"]) == "[  SF_ESTABLISHED] token=0711c4a7 remid=0 locid=1 saddr4=10.0.2.1 daddr4=10.0.1.2 "
            + "sport=52349 dport=7000 backup=0 ifindex=3 dev=b1\n")
        #expect(json(subflow, [3: "b1"]) == #"{"event":"SF_ESTABLISHED","token":"0x711c4a7","remid":0,"locid":1,"saddr4":"10.0.2.1","#
            + #""daddr4":"10.0.1.2","sport":52349,"dport":7000,"backup":0,"ifindex":3,"dev":"b1"}"#)
    }

    @Test func aResetSubflowOverIPv6WithErrorAndTimeout() {
        let closed = event(.subflowClosed) {
            $0.token = 7; $0.saddr = IPAddress("fd00:2::1"); $0.daddr = IPAddress("::ffff:10.0.1.1"); $0.dport = 443
            $0.error = 111; $0.timeout = 30; $0.resetReason = 1; $0.resetFlags = 0x2
        }
        #expect(text(closed) == "[       SF_CLOSED] token=00000007 saddr6=fd00:2::1 daddr6=::ffff:10.0.1.1 dport=443 error=111 "
            + "timeout=30 reset_reason=1 reset_flags=0x2\n")
        #expect(json(closed) == #"{"event":"SF_CLOSED","token":"0x7","saddr6":"fd00:2::1","daddr6":"::ffff:10.0.1.1","dport":443,"#
            + #""error":111,"timeout":30,"reset_reason":1,"reset_flags":"0x2"}"#)
    }

    /// C's "%#x" writes zero as "0", without "0x"; the text's token is "%08x".
    @Test func zeroTokensAndResetFlags() {
        let zero = event(.subflowClosed) { $0.token = 0; $0.resetFlags = 0 }
        #expect(text(zero) == "[       SF_CLOSED] token=00000000 reset_flags=0\n")
        #expect(json(zero) == #"{"event":"SF_CLOSED","token":"0","reset_flags":"0"}"#)
    }

    @Test func serverSideFromTheFlagsOrItsOwnAttribute() {
        let flagged = event(.created) { $0.token = 1; $0.flags = 0x2 }
        #expect(text(flagged) == "[         CREATED] token=00000001 server_side\n")
        #expect(json(flagged) == #"{"event":"CREATED","token":"0x1","server_side":true}"#)
        // Older kernels: MPTCP_ATTR_SERVER_SIDE, 1 on the server, 0 (printed as nothing) on the client.
        #expect(text(event(.established) { $0.serverSide = 1 }) == "[     ESTABLISHED] server_side\n")
        #expect(text(event(.established) { $0.serverSide = 0 }) == "[     ESTABLISHED]\n")
        #expect(json(event(.established) { $0.serverSide = 0 }) == #"{"event":"ESTABLISHED"}"#)
    }

    @Test func denyJoinID0AndUnknownFlagBits() {
        let flags = event(.established) { $0.flags = 0x1 }
        #expect(text(flags) == "[     ESTABLISHED] deny_join_id0\n")
        #expect(json(flags) == #"{"event":"ESTABLISHED","deny_join_id0":true}"#)
        // Bits ip does not know are what is left: server_side and deny_join_id0 first.
        let all = event(.established) { $0.flags = 0x8007 }
        #expect(text(all) == "[     ESTABLISHED] server_side deny_join_id0 flags=0x8004\n")
        #expect(json(all) == #"{"event":"ESTABLISHED","server_side":true,"deny_join_id0":true,"flags":"0x8004"}"#)
        #expect(text(event(.closed) { $0.flags = 0 }) == "[          CLOSED]\n")
    }

    @Test func anEventIPDoesNotKnowIsItsNumberAlone() {
        let unknown = event(.unknown(99)) { $0.token = 5; $0.saddr = IPAddress("10.0.0.1") }
        #expect(text(unknown) == "[UNKNOWN 99]\n")
        #expect(json(unknown) == #"{"event":"UNKNOWN 99"}"#)
    }

    /// ip names an index without an interface "ifN" (unsigned), prints no dev for index
    /// 0, and keeps the name it first found for an index for the rest of the run.
    @Test func interfaceNames() {
        #expect(text(event(.subflowEstablished) { $0.interfaceIndex = 7 }) == "[  SF_ESTABLISHED] ifindex=7 dev=if7\n")
        #expect(text(event(.subflowEstablished) { $0.interfaceIndex = 0 }) == "[  SF_ESTABLISHED] ifindex=0\n")
        #expect(text(event(.subflowEstablished) { $0.interfaceIndex = -1 }) == "[  SF_ESTABLISHED] ifindex=-1 dev=if4294967295\n")
        #expect(json(event(.subflowEstablished) { $0.interfaceIndex = -1 }) == #"{"event":"SF_ESTABLISHED","ifindex":-1,"dev":"if4294967295"}"#)
        var name = "cb"
        var view = IPMonitorView(form: .text, timestamps: nil, interfaceName: { $0 == 3 ? name : nil })
        let subflow = event(.subflowEstablished) { $0.interfaceIndex = 3 }
        #expect(view.render(subflow, time: time) == "[  SF_ESTABLISHED] ifindex=3 dev=cb\n")
        name = "renamed"
        #expect(view.render(subflow, time: time) == "[  SF_ESTABLISHED] ifindex=3 dev=cb\n")
    }

    /// One array: "[" with the first event, "," before each next, "]" and a newline at
    /// the end; "[]" when no event came. Indented as ip's writer does it.
    @Test func theJSONArrayIsOpenedWithTheFirstEventAndClosedAtTheEnd() {
        var compact = view(.json)
        #expect(compact.end == "[]\n")
        #expect(compact.render(event(.created) { $0.token = 1 }, time: time) == #"[{"event":"CREATED","token":"0x1"}"#)
        #expect(compact.render(event(.closed) { $0.token = 1 }, time: time) == #",{"event":"CLOSED","token":"0x1"}"#)
        #expect(compact.end == "]\n")

        var pretty = view(.prettyJSON)
        #expect(pretty.end == "[ ]\n")
        #expect(pretty.render(event(.created) { $0.token = 1; $0.flags = 2 }, time: time)
            == "[ {\n        \"event\": \"CREATED\",\n        \"token\": \"0x1\",\n        \"server_side\": true\n    }")
        #expect(pretty.render(event(.closed), time: time) == ",{\n        \"event\": \"CLOSED\"\n    }")
        #expect(pretty.end == " ]\n")
        #expect(view(.text).end == "")
    }

    @Test func timestampsAsIPWritesThem() {
        var t = tm()
        t.tm_year = 126; t.tm_mon = 11; t.tm_mday = 7; t.tm_wday = 1; t.tm_hour = 7; t.tm_min = 3; t.tm_sec = 5
        #expect(Timestamp.ipFull(t, microseconds: 42) == "Mon Dec  7 07:03:05 2026 42 usec")
        #expect(Timestamp.ipShort(t, microseconds: 42) == "2026-12-07T07:03:05.000042")
        t.tm_mday = 17; t.tm_wday = 4
        #expect(Timestamp.ipFull(t, microseconds: 483_763) == "Thu Dec 17 07:03:05 2026 483763 usec")

        let local = time.local
        let full = "Timestamp: \(Timestamp.ipFull(local, microseconds: 42))\n"
        let short = "[\(Timestamp.ipShort(local, microseconds: 42))] "
        var text = IPMonitorView(form: .text, timestamps: .full, interfaceName: { _ in nil })
        #expect(text.render(event(.closed), time: time) == full + "[          CLOSED]\n")
        text = IPMonitorView(form: .text, timestamps: .short, interfaceName: { _ in nil })
        #expect(text.render(event(.unknown(42)), time: time) == short + "[UNKNOWN 42]\n")
        var json = IPMonitorView(form: .json, timestamps: .full, interfaceName: { _ in nil })
        #expect(json.render(event(.closed), time: time) == #"[{"timestamp":"\#(full.dropFirst(11).dropLast())","event":"CLOSED"}"#)
        json = IPMonitorView(form: .json, timestamps: .short, interfaceName: { _ in nil })
        #expect(json.render(event(.closed), time: time) == #"[{"timestamp_short":"\#(short.dropFirst().dropLast(2))","event":"CLOSED"}"#)
    }

    @Test func jsonStringsAreEscapedAsIPsWriterDoes() {
        #expect(IPMonitorView.quoted("a\"b\\c\td\ne\rf\u{0C}g\u{08}h\u{01}i\u{7F}jé")
            == #""a\"b\\c\td\ne\rf\fg\bh\u0001i\u007fjé""#)
    }
}
