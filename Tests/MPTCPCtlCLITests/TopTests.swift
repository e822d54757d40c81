import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// `top`: its options read into `TopOptions`, a sample shown as text and as one NDJSON
/// line, what --token, --port, --dev and --sort select, and the command run in-process.
struct TopTests {
    static let token: UInt32 = 0x0146_475a

    static func subflow(_ link: Int, port: UInt16, rtt: UInt32) -> Subflow {
        Subflow(local: IPAddress("10.0.\(link).1")!, remote: IPAddress("10.0.\(link).2")!, localPort: port, remotePort: 8080,
                state: 1, localToken: token, remoteToken: 1, localID: link == 1 ? 0 : 5, remoteID: link == 1 ? 0 : 1,
                flags: link == 1 ? 0 : Subflow.joinLocalFlag, interfaceName: "c\(link == 1 ? "a" : "b")",
                endpoint: link == 1 ? nil : 5,
                tcpInfo: TCPInfo(retransmits: 0, probes: 0, unacked: link == 1 ? 3 : 0, lastDataReceived: 9_000,
                                 lastAckReceived: link == 1 ? 4 : 2_500, rtt: rtt, congestionWindow: 10, totalRetransmits: 2,
                                 pacingRate: UInt64.max, bytesAcked: 1000, bytesReceived: 0, bytesSent: 1448))
    }

    static let connection = Connection(
        token: token, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 36416, remotePort: 8080, state: 1,
        info: Connection.Info(subflows: 1, addAddrSignal: 0, addAddrAccepted: 1, flags: 0, token: token,
                              bytesSent: 5000, bytesReceived: 0, bytesAcked: 4000),
        subflows: [subflow(1, port: 36416, rtt: 20_000), subflow(2, port: 35015, rtt: 900)])

    /// A sample of `connection`: 470 kB/s on ca, 1.4 MB/s on cb.
    static let sample = TrafficSample(
        time: 2, interval: 1,
        connections: [TrafficSample.ConnectionTraffic(
            netns: "client", connection: connection, rates: .init(send: 1_870_000, receive: 0),
            dataRates: .init(send: 1_800_000, receive: 0),
            subflows: [TrafficSample.SubflowTraffic(subflow: connection.subflows[0], rates: .init(send: 470_000, receive: 0)),
                       TrafficSample.SubflowTraffic(subflow: connection.subflows[1], rates: .init(send: 1_400_000, receive: 0))])],
        interfaces: [TrafficSample.InterfaceTraffic(netns: "client", name: "ca", subflows: 1, rates: .init(send: 470_000, receive: 0)),
                     TrafficSample.InterfaceTraffic(netns: "client", name: "cb", subflows: 1, rates: .init(send: 1_400_000, receive: 0))])

    static let time = Timestamp(seconds: 1_796_152_801, microseconds: 5)

    @Test func theOptionsAreRead() throws {
        #expect(try Invocation.parse(["top"]).command == .top(TopOptions()))
        let line = "-n client -j top --delay 0.5 --iterations 3 --token 146475a --port 8080 --dev ca --sort rtt"
        let invocation = try Invocation.parse(line.split(separator: " ").map(String.init))
        #expect(invocation.command == .top(TopOptions(delay: 0.5, iterations: 3, token: Self.token, port: 8080, device: "ca", sort: .rtt)))
        #expect(invocation.argumentParserArguments == ["top", "--netns", "client", "--json", "--delay=0.5", "--iterations=3",
                                                       "--token=0146475a", "--port=8080", "--dev=ca", "--sort=rtt", "--"])
        #expect(try Invocation.parse(["top", "--token", "0x0146475A"]).command == .top(TopOptions(token: Self.token)))
        #expect(try Invocation.parse(["--all-netns", "top"]).allNetns)
        #expect(CommandTable.sort.values == TopOptions.SortKey.allCases.map(\.rawValue))
        #expect(CommandTable.sort.needs == "a key: " + Invocation.list(CommandTable.sort.values, last: "or"))
    }

    @Test(arguments: [
        ("top --delay 0", "top: bad --delay '0': a delay is a number of seconds above 0, at most 86400"),
        ("top --delay -1", "top: bad --delay '-1': a delay is a number of seconds above 0, at most 86400"),
        ("top --delay nan", "top: bad --delay 'nan': a delay is a number of seconds above 0, at most 86400"),
        ("top --iterations 1.5", "top: bad --iterations '1.5': a number of samples is a whole number, 1 or more"),
        ("top --token 0x", "top: bad --token '0x': a token is up to 8 hex digits, as connections and monitor print it"),
        ("top --token 1ffffffff", "top: bad --token '1ffffffff': a token is up to 8 hex digits, as connections and monitor print it"),
        ("top --port 0", "top: bad --port '0': a port is a number from 1 to 65535"),
        ("top --dev a/b", "top: bad --dev 'a/b': an interface name is 1 to 15 bytes, without '/' or blanks"),
        ("top --sort speed", "top: unknown --sort key 'speed': expected send, recv, rtt or token"),
        ("top --sort", "'--sort' needs a key: send, recv, rtt or token"),
        ("top --dev", "'--dev' needs an interface name"),
        ("top now", "top: unexpected word 'now': top takes no arguments"),
        ("connections --delay 1", "'--delay' works with top only"),
        ("--format ip top", "'--format ip' works with endpoint show, limits show and monitor only (what 'ip mptcp' prints)"),
    ])
    func badLinesAreRefused(line: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try Invocation.parse(line.split(separator: " ").map(String.init)) }
    }

    @Test func aSampleAsText() {
        let view = TopView(options: TopOptions(), showNetns: true)
        #expect(view.text(view.shown(Self.sample), time: Self.time) == """
            19:20:01.000005  client/ca: send 470.0kB/s recv 0B/s  client/cb: send 1.4MB/s recv 0B/s
            namespace client
            token 0146475a  10.0.1.1:36416 -> 10.0.1.2:8080  send 1.9MB/s  recv 0B/s  data send 1.8MB/s  recv 0B/s
              local           remote         dev  endpoint  backup  state    idle  send       recv  rtt_us  cwnd  retrans
              10.0.2.1:35015  10.0.2.2:8080  cb   5         0       idle     2.5s  1.4MB/s    0B/s  900     10    2
              10.0.1.1:36416  10.0.1.2:8080  ca   -         0       working  0.0s  470.0kB/s  0B/s  20000   10    2

            """)
        #expect([nil, 0, 812.4, 999.5, 487_249, 999_949, 999_950, 1_500_000, 2.5e9].map(TopView.rate)
            == ["-", "0B/s", "812B/s", "1.0kB/s", "487.2kB/s", "999.9kB/s", "1.0MB/s", "1.5MB/s", "2.5GB/s"])
    }

    @Test func aSampleAsOneJSONLine() {
        let view = TopView(options: TopOptions(sort: .token), showNetns: false)
        #expect(view.json(view.shown(Self.sample), time: Self.time) == """
            {"time":"2026-12-01T19:20:01.000005Z","connections":[{"token":"0146475a","saddr":"10.0.1.1","daddr":"10.0.1.2",\
            "sport":36416,"dport":8080,"state":"established","send_rate":1870000,"recv_rate":0,"data_send_rate":1800000,\
            "data_recv_rate":0,"bytes_sent":5000,"bytes_received":0,"bytes_acked":4000,"subflows":[{"saddr":"10.0.1.1",\
            "daddr":"10.0.1.2","sport":36416,"dport":8080,"loc_id":0,"rem_id":0,"dev":"ca","endpoint":null,"backup":0,\
            "state":"established","flags":0,"send_rate":470000,"recv_rate":0,"health":"working","stall":null,"idle_ms":4,\
            "rtt_us":20000,"cwnd":10,"retrans":2,"bytes_acked":1000,\
            "bytes_received":0,"bytes_sent":1448},{"saddr":"10.0.2.1","daddr":"10.0.2.2","sport":35015,"dport":8080,\
            "loc_id":5,"rem_id":1,"dev":"cb","endpoint":5,"backup":0,"state":"established","flags":8,"send_rate":1400000,"recv_rate":0,\
            "health":"idle","stall":null,"idle_ms":2500,"rtt_us":900,"cwnd":10,"retrans":2,"bytes_acked":1000,"bytes_received":0,"bytes_sent":1448}]}],\
            "interfaces":[{"dev":"ca","subflows":1,"send_rate":470000,"recv_rate":0},{"dev":"cb","subflows":1,\
            "send_rate":1400000,"recv_rate":0}]}
            """)
    }

    @Test func theOptionsSelectAndSort() {
        func shown(_ options: TopOptions) -> [[String]] {
            TopView(options: options, showNetns: false).shown(Self.sample).connections.map { $0.subflows.compactMap(\.subflow.interfaceName) }
        }
        #expect(shown(TopOptions()) == [["cb", "ca"]])
        #expect(shown(TopOptions(sort: .rtt)) == [["ca", "cb"]])
        #expect(shown(TopOptions(sort: .token)) == [["ca", "cb"]])
        #expect(shown(TopOptions(token: Self.token)) == [["cb", "ca"]])
        #expect(shown(TopOptions(token: 1)) == [])
        #expect(shown(TopOptions(port: 35015)) == [["cb", "ca"]])
        #expect(shown(TopOptions(port: 9)) == [])
        #expect(shown(TopOptions(device: "ca")) == [["ca"]])
        #expect(shown(TopOptions(device: "eth0")) == [])
        let onCB = TopView(options: TopOptions(device: "cb"), showNetns: false).shown(Self.sample)
        #expect(onCB.interfaces.map(\.name) == ["cb"])
    }

    /// The order `shown` sorts by, moved in place: higher keys first, nil last, equals in
    /// the order given, over permutations of one, two and several cycles.
    @Test func theOrderKeepsEqualsInPlaceAndNilLast() {
        func ordered(_ keys: [Double?]) -> [Int] {
            var items = Array(keys.enumerated())
            TopView.order(&items) { $0.element }
            return items.map(\.offset)
        }
        #expect(ordered([]) == [])
        #expect(ordered([1]) == [0])
        #expect(ordered([1, 2]) == [1, 0])
        #expect(ordered([3, nil, 5, 3, 0, nil, 5, 1]) == [2, 6, 0, 3, 7, 4, 1, 5])
        #expect(ordered([1, 2, 3, 4, 5, 6]) == [5, 4, 3, 2, 1, 0])
        #expect(ordered([2, 1, 4, 3, 6, 5]) == [4, 5, 2, 3, 0, 1])
        #expect(ordered([0, 0, 0]) == [0, 1, 2])
    }

    /// Run as the program runs it: the first reading sets the counters, each sample
    /// after it has rates; --iterations stops it.
    @Test func runInProcessItPrintsOneLinePerSample() throws {
        let program = InProcess()
        var readings = 0
        program.connections = { _ in
            readings += 1
            var connection = Self.connection
            connection.info?.bytesAcked = UInt64(readings) * 1000
            return [connection]
        }
        let result = program.result("-j top --delay 0.01 --iterations 2")
        #expect(result.status == 0 && result.errors == "", "\(result)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2 && readings == 3, "\(result.output)")
        #expect(lines.allSatisfy { $0.hasPrefix("{\"time\":\"") && $0.contains("\"token\":\"0146475a\"") && $0.contains("\"send_rate\":0,") })
        // Every namespace: each connection names its own (null for the current one).
        program.namespaces = ["client"]
        let all = program.result("-j --all-netns top --delay 0.01 --iterations 1 --sort token")
        #expect(all.status == 0 && all.output.contains(#""connections":[{"netns":null,"token":"0146475a""#)
            && all.output.contains(#"{"netns":"client","token":"0146475a""#), "\(all)")
        let text = program.result("top --delay 0.01 --iterations 1 --dev cz")
        #expect(text.status == 0 && text.output.hasSuffix("  no MPTCP subflows\n\n"), "\(text)")
    }

    /// The full-screen frame, as a terminal of 80×24 without colour or UTF-8 shows it,
    /// after two samples of history.
    @Test func theScreenFrame() {
        var screen = TopScreen()
        var earlier = Self.sample
        earlier.connections[0].subflows[1].rates.send = 700_000
        screen.record(earlier)
        screen.record(Self.sample)
        let view = TopView(options: TopOptions(), showNetns: false)
        let frame = screen.frame(view.shown(Self.sample), time: Self.time, options: TopOptions(), showNetns: false, paused: false,
                                 showingKeys: false, status: nil, rows: 24, columns: 80, style: .init(colour: false, unicode: false))
        #expect(frame == [
            "mptcpctl top  19:20:01 UTC  every 1s  sort: send  conn 1  subflows 2      ? keys",
            "rates in B/s   ca send 470.0k recv 0   cb send 1.4M recv 0",
            "",
            "0146475a  10.0.1.1:36416 -> 10.0.1.2:8080  send 1.9M  recv 0  data 1.8M/0",
            // Too wide for 80 columns with every column: cwnd and share, the least needed, are left out.
            " local          remote        dev ep path        send recv history  rtt retr",
            " 10.0.2.1:35015 10.0.2.2:8080 cb   5 idle 2.5s   1.4M    0 =@       0.9    2",
            " 10.0.1.1:36416 10.0.1.2:8080 ca   - ok        470.0k    0 --      20.0    2",
        ])
        #expect(frame.allSatisfy { $0.count <= 80 })
        // `?`: the keys, cut to the screen's width, nothing else.
        let help = screen.frame(nil, time: Self.time, options: TopOptions(), showNetns: false, paused: false, showingKeys: true,
                                status: nil, rows: 24, columns: 40, style: .init(colour: false, unicode: false))
        #expect(help.count == 16 && help[2] == "Keys:" && help[3] == "  q  quit" && help.allSatisfy { $0.count <= 40 }, "\(help)")
        #expect(help[10] == "bytes; history its send rate over the la", "\(help)")
        // Colour: the title in reverse video, the connection in bold; UTF-8: blocks and an arrow.
        let coloured = screen.frame(view.shown(Self.sample), time: Self.time, options: TopOptions(), showNetns: true, paused: true,
                                    showingKeys: false, status: nil, rows: 24, columns: 60, style: .init(colour: true, unicode: true))
        // At 60 columns the title's last parts, the second interface and the columns least
        // needed are left out whole, never cut.
        #expect(coloured[0] == "\u{1b}[7mmptcpctl top  PAUSED  19:20:01 UTC  every 1s          ? keys\u{1b}[m")
        #expect(coloured[1] == "rates in B/s   client/ca send 470.0k recv 0   +1 more")
        #expect(coloured[3] == "\u{1b}[1m[client] 0146475a  10.0.1.1:36416 → 10.0.1.2:8080  send 1.9M\u{1b}[m")
        #expect(coloured[4] == " local          remote        dev ep path        send recv", "\(coloured)")
        #expect(coloured[5] == " 10.0.2.1:35015 10.0.2.2:8080 cb   5 idle 2.5s   1.4M    0", "\(coloured)")
        // Too few rows: the first connection as far as it fits; more connections are counted.
        var two = Self.sample
        two.connections.append(two.connections[0])
        two.connections[1].connection.token = 7
        let short = screen.frame(two, time: Self.time, options: TopOptions(), showNetns: false, paused: false, showingKeys: false,
                                 status: "top: 1 namespace(s) could not be read: x: gone", rows: 8, columns: 80,
                                 style: .init(colour: false, unicode: false))
        #expect(short.count == 8 && short[1] == "top: 1 namespace(s) could not be read: x: gone")
        #expect(short.last == "... 1 more connection(s): --token, --port or --dev narrow the view", "\(short)")
        // Before the first sample, and the keys.
        let waiting = screen.frame(nil, time: nil, options: TopOptions(delay: 2), showNetns: false, paused: false, showingKeys: false,
                                   status: nil, rows: 24, columns: 80, style: .init(colour: false, unicode: false))
        #expect(waiting[0].hasPrefix("mptcpctl top  --:--:-- UTC  every 2s  sort: send   ") && waiting.count == 2)
        let keys = screen.frame(Self.sample, time: Self.time, options: TopOptions(), showNetns: false, paused: false, showingKeys: true,
                                status: nil, rows: 24, columns: 80, style: .init(colour: false, unicode: false))
        #expect(keys.contains("  q  quit") && keys.contains("  s  sort by the next key: send, recv, rtt, token"))
        #expect(TopScreen.sparkline([0, 1, 2, 4, 8], top: 8, unicode: true) == " ▁▂▄█")
        #expect([nil, 0, 3215, 9999, 10_000, 12_345, 99_999, 129_003, 999_999, 4_260_000, 1_300_000_000, UInt64.max].map(TopScreen.count)
            == ["-", "0", "3215", "9999", "10.0k", "12.3k", "99.9k", "129k", "999k", "4.2M", "1.3G", "18446744073G"])
        #expect([nil, 0, 449, 9_949, 9_950, 45_400, 99_499, 99_500, 3_600_000, 400_000_000, UInt32.max].map(SubflowHealth.duration)
            == ["-", "0.0s", "0.4s", "9.9s", "10s", "45s", "99s", "1m", "60m", "4d", "49d"])
        #expect(TopScreen.sparkline([3], top: 0, unicode: false) == " ")
    }

    /// A stalled subflow with huge counters, over IPv6, at 80 columns (issue 29, item 15):
    /// 129003 retransmissions read "129k", never "1290"; the dead path's RTT is blanked;
    /// what does not fit is left out whole; every rate's unit is on screen.
    @Test func eightyColumnsNeverCutADigit() {
        var sample = Self.sample
        var dead = Self.connection.subflows[1]
        dead.local = IPAddress("fd00:2::1")!
        dead.remote = IPAddress("fd00:2::2")!
        dead.tcpInfo = TCPInfo(retransmits: 6, probes: 0, unacked: 20, lastDataReceived: 600_000, lastAckReceived: 45_400,
                               rtt: 9_382, congestionWindow: 3_215, totalRetransmits: 129_003)
        sample.connections[0].subflows[1] = TrafficSample.SubflowTraffic(subflow: dead, rates: .init(send: 0, receive: 0))
        sample.connections[0].subflows[0].rates.send = 2.5e9
        sample.connections[0].subflows[0].subflow.tcpInfo?.totalRetransmits = 4_294_967_295
        let view = TopView(options: TopOptions(), showNetns: false)
        let frame = TopScreen().frame(view.shown(sample), time: Self.time, options: TopOptions(), showNetns: false, paused: false,
                                      showingKeys: false, status: nil, rows: 24, columns: 80, style: .init(colour: false, unicode: false))
        #expect(frame.allSatisfy { $0.count <= 80 }, "\(frame)")
        #expect(frame[1].hasPrefix("rates in B/s "))
        #expect(frame[4] == " local             remote           dev ep path      send recv history  rtt retr", "\(frame)")
        #expect(frame[5] == " 10.0.1.1:36416    10.0.1.2:8080    ca   - ok        2.5G    0         20.0 4.2G", "\(frame)")
        #expect(frame[6] == " [fd00:2::1]:35015 [fd00:2::2]:8080 cb   5 stall 45s    0    0            - 129k", "\(frame)")
        #expect(!frame.joined().contains("1290 ") && !frame.joined().contains("9.4"), "\(frame)")
        // The text view shows the whole numbers, the stall and its reason, and no RTT.
        let text = view.text(view.shown(sample), time: Self.time)
        #expect(text.contains("  stalled/backoff  45s   0B/s     0B/s  -       3215  129003\n"), "\(text)")
        let json = view.json(view.shown(sample), time: Self.time)
        #expect(json.contains(#""health":"stalled","stall":"backoff","idle_ms":45400,"rtt_us":9382,"cwnd":3215,"retrans":129003"#),
                "\(json)")
    }

    /// --all-netns keeps each namespace's interfaces apart (issue 29, item 14): the same
    /// name in two namespaces is two totals, each naming its namespace in -j; --dev
    /// selects that name in every namespace, each still apart.
    @Test func allNamespacesKeepTheirInterfacesApart() throws {
        let program = InProcess()
        program.connections = { _ in [Self.connection] }
        program.namespaces = ["client"]
        let all = program.result("-j --all-netns top --delay 0.01 --iterations 1 --sort token")
        #expect(all.status == 0, "\(all)")
        #expect(all.output.contains(#""interfaces":[{"netns":null,"dev":"ca","subflows":1,"send_rate":"#)
            && all.output.contains(#"{"netns":"client","dev":"ca","subflows":1,"send_rate":"#)
            && all.output.components(separatedBy: #""dev":"cb","subflows":1,"#).count == 3, "\(all)")
        let one = program.result("-j top --delay 0.01 --iterations 1")
        #expect(one.status == 0 && !one.output.contains(#""netns""#) && one.output.contains(#""interfaces":[{"dev":"ca","subflows":1,"#),
                "\(one)")
        let dev = program.result("--all-netns top --delay 0.01 --iterations 1 --dev ca")
        #expect(dev.status == 0 && dev.output.contains("  (current)/ca: send ") && dev.output.contains("  client/ca: send ")
            && !dev.output.contains("/cb:"), "\(dev)")
    }
}
