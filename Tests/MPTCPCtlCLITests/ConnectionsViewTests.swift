@testable import MPTCPCtlCLI
import MPTCPKit
import Testing

/// `connections` and `connections -j` as a user reads them, byte for byte: a connection
/// with two subflows (one a backup from endpoint 5, on an interface with a non-ASCII
/// name), an IPv6 connection that fell back to TCP, and a listener, in two namespaces.
struct ConnectionsViewTests {
    static let namespaces: [(netns: String?, connections: [Connection])] = {
        let join = Subflow.joinLocalFlag | Subflow.backupLocalFlag
        var first = Subflow(local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 40000, remotePort: 8080,
                            state: 1, localToken: 0x0a0b_0c0d, remoteToken: 1, localID: 0, remoteID: 0, flags: 0)
        first.interfaceName = "ca"
        var second = Subflow(local: IPAddress("10.0.2.1")!, remote: IPAddress("10.0.2.2")!, localPort: 40001, remotePort: 8080,
                             state: 1, localToken: 0x0a0b_0c0d, remoteToken: 1, localID: 5, remoteID: 1, flags: join)
        second.interfaceName = "é1"
        second.endpoint = 5
        let established = Connection(token: 0x0a0b_0c0d, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!,
                                     localPort: 40000, remotePort: 8080, state: 1,
                                     info: Connection.Info(subflows: 1, addAddrSignal: 0, addAddrAccepted: 0, flags: 0, token: 0x0a0b_0c0d,
                                                           bytesSent: 100, bytesReceived: 5, bytesAcked: 7),
                                     subflows: [first, second], inode: 4242)
        let fallback = Connection(token: 0xff, local: IPAddress("fd00::1")!, remote: IPAddress("fd00::2")!, localPort: 1, remotePort: 2,
                                  state: 2, info: Connection.Info(subflows: 0, addAddrSignal: 0, addAddrAccepted: 0, flags: 1, token: 0xff))
        let listener = Connection(token: 0, local: IPAddress("0.0.0.0")!, remote: IPAddress("0.0.0.0")!, localPort: 8080, remotePort: 0,
                                  state: 10, inode: 77)
        return [("ns1", [established, fallback]), (nil, [listener])]
    }()

    @Test func theTextListing() {
        #expect(ConnectionsView(showNetns: true).text(Self.namespaces) == """
            namespace ns1
            token 0a0b0c0d  10.0.1.1:40000 -> 10.0.1.2:8080  established  sent 100  received 5
              local           remote         loc_id  rem_id  backup  dev  state        endpoint
              10.0.1.1:40000  10.0.1.2:8080  0       0       0       ca   established  -
              10.0.2.1:40001  10.0.2.2:8080  5       1       1       é1   established  5

            namespace ns1
            token 000000ff  [fd00::1]:1 -> [fd00::2]:2  syn-sent  fallback
              local  remote  loc_id  rem_id  backup  dev  state  endpoint

            namespace (current)
            listen  0.0.0.0:8080

            """)
        #expect(ConnectionsView(showNetns: false).text([]) == nil)
        #expect(ConnectionsView(showNetns: false).text([("ns1", [])]) == nil)
    }

    @Test func theJSONListing() {
        let view = ConnectionsView(showNetns: true)
        #expect(view.json(Self.namespaces, pretty: false) == #"[{"netns":"ns1","token":"0a0b0c0d","saddr":"10.0.1.1","daddr":"10.0.1.2","sport":40000,"dport":8080,"state":"established","orphan":false,"fallback":false,"bytes_sent":100,"bytes_received":5,"bytes_acked":7,"subflows":[{"saddr":"10.0.1.1","daddr":"10.0.1.2","sport":40000,"dport":8080,"loc_id":0,"rem_id":0,"backup":0,"dev":"ca","state":"established","flags":0,"endpoint":null,"health":"working","stall":null,"idle_ms":null},{"saddr":"10.0.2.1","daddr":"10.0.2.2","sport":40001,"dport":8080,"loc_id":5,"rem_id":1,"backup":1,"dev":"é1","state":"established","flags":40,"endpoint":5,"health":"working","stall":null,"idle_ms":null}]},{"netns":"ns1","token":"000000ff","saddr":"fd00::1","daddr":"fd00::2","sport":1,"dport":2,"state":"syn-sent","orphan":false,"fallback":true,"subflows":[]},{"netns":null,"token":"00000000","saddr":"0.0.0.0","daddr":"0.0.0.0","sport":8080,"dport":0,"state":"listen","orphan":false,"subflows":[]}]"# + "\n")
        #expect(view.json(Self.namespaces, pretty: true) == """
            [
                {
                    "netns": "ns1",
                    "token": "0a0b0c0d",
                    "saddr": "10.0.1.1",
                    "daddr": "10.0.1.2",
                    "sport": 40000,
                    "dport": 8080,
                    "state": "established",
                    "orphan": false,
                    "fallback": false,
                    "bytes_sent": 100,
                    "bytes_received": 5,
                    "bytes_acked": 7,
                    "subflows": [
                        {
                            "saddr": "10.0.1.1",
                            "daddr": "10.0.1.2",
                            "sport": 40000,
                            "dport": 8080,
                            "loc_id": 0,
                            "rem_id": 0,
                            "backup": 0,
                            "dev": "ca",
                            "state": "established",
                            "flags": 0,
                            "endpoint": null,
                            "health": "working",
                            "stall": null,
                            "idle_ms": null
                        },
                        {
                            "saddr": "10.0.2.1",
                            "daddr": "10.0.2.2",
                            "sport": 40001,
                            "dport": 8080,
                            "loc_id": 5,
                            "rem_id": 1,
                            "backup": 1,
                            "dev": "é1",
                            "state": "established",
                            "flags": 40,
                            "endpoint": 5,
                            "health": "working",
                            "stall": null,
                            "idle_ms": null
                        }
                    ]
                },
                {
                    "netns": "ns1",
                    "token": "000000ff",
                    "saddr": "fd00::1",
                    "daddr": "fd00::2",
                    "sport": 1,
                    "dport": 2,
                    "state": "syn-sent",
                    "orphan": false,
                    "fallback": true,
                    "subflows": []
                },
                {
                    "netns": null,
                    "token": "00000000",
                    "saddr": "0.0.0.0",
                    "daddr": "0.0.0.0",
                    "sport": 8080,
                    "dport": 0,
                    "state": "listen",
                    "orphan": false,
                    "subflows": []
                }
            ]

            """)
        #expect(ConnectionsView(showNetns: false).json([], pretty: true) == "[]\n")
    }

    /// `--processes`: curl and the shell that started it share the connection's socket,
    /// python3 holds the listener, the fallen-back connection's socket no process holds.
    static let owners = SocketOwners([
        4242: [SocketOwners.Owner(pid: 310, name: "curl", fd: 5), SocketOwners.Owner(pid: 312, name: "sh", fd: 3)],
        77: [SocketOwners.Owner(pid: 9, name: "python3", fd: 3)],
    ])

    @Test func theProcessesOnEachConnectionsLine() {
        #expect(ConnectionsView(showNetns: false, owners: Self.owners).text(Self.namespaces) == """
            token 0a0b0c0d  10.0.1.1:40000 -> 10.0.1.2:8080  established  sent 100  received 5  process curl pid 310 fd 5  process sh pid 312 fd 3
              local           remote         loc_id  rem_id  backup  dev  state        endpoint
              10.0.1.1:40000  10.0.1.2:8080  0       0       0       ca   established  -
              10.0.2.1:40001  10.0.2.2:8080  5       1       1       é1   established  5

            token 000000ff  [fd00::1]:1 -> [fd00::2]:2  syn-sent  fallback  process -
              local  remote  loc_id  rem_id  backup  dev  state  endpoint

            listen  0.0.0.0:8080  process python3 pid 9 fd 3

            """)
    }

    @Test func theProcessesInJSON() {
        let json = ConnectionsView(showNetns: false, owners: Self.owners).json(Self.namespaces, pretty: false)
        #expect(json.contains(#""bytes_acked":7,"processes":[{"pid":310,"name":"curl","fd":5},{"pid":312,"name":"sh","fd":3}],"subflows":["#), "\(json)")
        #expect(json.contains(#""fallback":true,"processes":[],"subflows":[]"#), "\(json)")
        #expect(json.contains(#""state":"listen","orphan":false,"processes":[{"pid":9,"name":"python3","fd":3}],"subflows":[]"#), "\(json)")
        // Not asked for: no key.
        #expect(!ConnectionsView(showNetns: false).json(Self.namespaces, pretty: false).contains("processes"))
    }

    /// A connection its program closed, which the kernel still winds down and no process
    /// holds (inode 0, past established), is marked orphan; one not yet accepted (inode
    /// 0, established) is not; a stalled subflow says so in -j.
    @Test func orphansAreMarkedAndStallsNamed() {
        var closed = Self.namespaces[0].connections[0]
        closed.state = 5
        closed.inode = 0
        var queued = Self.namespaces[0].connections[0]
        queued.inode = 0
        queued.subflows[1].tcpInfo = TCPInfo(retransmits: 4, probes: 0, unacked: 20, lastDataReceived: 99_000, lastAckReceived: 3_552)
        #expect(closed.isOrphan && !queued.isOrphan && !Self.namespaces[0].connections.contains(where: \.isOrphan))
        let text = ConnectionsView(showNetns: false).text([(nil, [closed, queued])]) ?? ""
        #expect(text.hasPrefix("token 0a0b0c0d  10.0.1.1:40000 -> 10.0.1.2:8080  fin-wait-2  orphan  sent 100  received 5\n"), "\(text)")
        #expect(text.contains("\n\ntoken 0a0b0c0d  10.0.1.1:40000 -> 10.0.1.2:8080  established  sent 100  received 5\n"), "\(text)")
        let json = ConnectionsView(showNetns: false).json([(nil, [closed, queued])], pretty: false)
        #expect(json.hasPrefix(#"[{"token":"0a0b0c0d","saddr":"10.0.1.1","daddr":"10.0.1.2","sport":40000,"dport":8080,"state":"fin-wait-2","orphan":true,"#))
        #expect(json.contains(#""state":"established","orphan":false,"#))
        #expect(json.contains(#""endpoint":5,"health":"stalled","stall":"backoff","idle_ms":3552}"#), "\(json)")
    }
}
