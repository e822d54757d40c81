import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// counters, check, doctor, export and connections run in-process over the fake kernel:
/// the command a user types, what they see, and the exit code.
struct NamespaceCommandTests {
    static func kernel() -> FakeKernel {
        let kernel = FakeKernel(table: [
            Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow),
            Endpoint(id: 2, address: IPAddress("10.0.3.1")!, flags: [.address, .backup], interfaceIndex: 3),
        ], limits: Limits(subflows: 2, addAddrAccepted: 1))
        kernel.addresses = [IPAddress("10.0.2.1")!: "eth0", IPAddress("10.0.3.1")!: "eth1"]
        return kernel
    }

    @Test func countersReadTheDumpAndTheKernelsOwnCounters() {
        let program = InProcess(Self.kernel())
        #expect(program.result("counters") == (0, """
            namespace (current)

            COUNTER                    DUMP  MPTCP_INFO
            endpoints                  2     -
            signal                     0     0
            subflow                    1     1
            address                    1     1
            fullmesh                   0     -
            backup                     1     -
            implicit                   0     -
            subflows (limit)           2     2
            add_addr_accepted (limit)  1     1

            """, ""))
        #expect(program.result("-j counters") == (0, """
            {"netns":null,"endpoints":{"total":2,"signal":0,"subflow":1,"address":1,"fullmesh":0,"backup":1,"implicit":0},\
            "limits":{"subflows":2,"add_addr_accepted":1},"kernel":{"endp_signal_max":0,"endp_subflow_max":1,\
            "endp_address_max":1,"limit_subflows":2,"limit_add_addr_accepted":1}}

            """, ""))
        program.namespaces = ["ns1"]
        program.kernel.counters = KernelCounters(endpSignalMax: 0, endpSubflowMax: 1, endpAddressMax: 2, limitSubflows: 2,
                                                 limitAddAddrAccepted: 1)
        #expect(program.result("counters --all-netns") == (0, """
            NETNS      ENDPOINTS  SIGNAL  SUBFLOW  ADDRESS  FULLMESH  BACKUP  IMPLICIT  SUBFLOWS  ADD_ADDR_ACCEPTED  KERNEL
            (current)  2          0       1        1        0         1       0         2         1                  MISMATCH: address
            ns1        2          0       1        1        0         1       0         2         1                  MISMATCH: address

            """, ""))
    }

    /// The format given with `-b FILE` is every line's that chooses none, counters' too.
    @Test(arguments: ["-j", "-jp", "--format json", "--format openmetrics", "--format prometheus"])
    func aBatchsFormatIsItsCountersLinesFormat(format: String) throws {
        let alone = InProcess(Self.kernel()).result("\(format) counters")
        let batch = InProcess(Self.kernel())
        var context = batch.context
        context.readFile = { _, _ in "counters\n" }
        let status = try CommandLineTool.run(["mptcpctl"] + format.split(separator: " ").map(String.init) + ["-b", "lines"],
                                             context: context)
        #expect(alone.status == 0 && status == .success)
        #expect(batch.output == alone.output)
        #expect(!alone.output.hasPrefix("namespace"))
    }

    @Test func doctorFindsNothingThenTheErrorsWithTheirFixes() {
        let program = InProcess(Self.kernel())
        #expect(program.result("doctor") == (0, "namespace (current): no findings\n", ""))
        #expect(program.result("-j -n ns1 doctor") == (0, "{\"netns\":\"ns1\",\"findings\":[]}\n", ""))
        program.kernel.limits = Limits(subflows: 0, addAddrAccepted: 0)
        #expect(program.result("doctor") == (5, """
            namespace (current):
              ERROR address-ignored: 1 address endpoint(s) but add_addr_accepted is 0: the peer's announced addresses \
            are ignored, so the address endpoints are never used
                fix: mptcpctl limits set add_addr_accepted 1
              ERROR subflows-limit-zero: the subflows limit is 0: none of the 2 endpoint(s) can add a subflow, and no join is accepted
                fix: mptcpctl limits set subflows 2
              WARNING address-over-subflows: 1 address endpoints but the subflows limit is 0: at most 0 of them can be used by a connection
                fix: mptcpctl limits set subflows 1

            """, "mptcpctl: doctor: 2 error(s) found; each says what to run to fix it\n"))
    }

    @Test func exportWritesWhatApplyReads() {
        let program = InProcess(Self.kernel())
        program.kernel.sysctlValues["add_addr_timeout"] = "60"
        let yaml = """
            limits:
              subflows: 2
              add_addr_accepted: 1
            endpoints:
              - address: 10.0.2.1
                id: 1
                flags: [subflow]
              - address: 10.0.3.1
                id: 2
                dev: eth1
                flags: [backup, address]
            sysctl:
              add_addr_timeout: "60"

            """
        #expect(program.result("export") == (0, yaml, ""))
        #expect(program.result("-j export") == (0, """
            {"limits":{"subflows":2,"add_addr_accepted":1},"endpoints":[{"address":"10.0.2.1","id":1,"flags":["subflow"]},\
            {"address":"10.0.3.1","id":2,"dev":"eth1","flags":["backup","address"]}],"sysctl":{"add_addr_timeout":"60"}}

            """, ""))
        #expect(program.result("export --all").output.hasSuffix("""
              add_addr_timeout: "60"
              allow_join_initial_addr_port: "1"
              blackhole_timeout: "3600"
              checksum_enabled: "0"
              close_timeout: "60"
              enabled: "1"
              path_manager: kernel
              scheduler: default
              stale_loss_cnt: "4"
              syn_retrans_before_tcp_fallback: "2"

            """))
        program.namespaces = ["ns1"]
        #expect(program.result("export --all-netns").output.hasPrefix("namespaces:\n  ns1:\n    limits:\n"))
    }

    @Test func checkSaysWhatDoesNotHold() {
        let program = InProcess(Self.kernel())
        #expect(program.result("check address==1 subflow>=1") == (0, "", ""))
        #expect(program.result("check address==1 subflow>=2")
            == (5, "check failed: subflow>=2: found subflow=1\n", "mptcpctl: check: 1 of 2 expectation(s) do not hold\n"))
    }

    @Test func connectionsOfANamespaceWithoutAny() {
        let program = InProcess(Self.kernel())
        #expect(program.result("connections") == (0, "", ""))
        #expect(program.result("-j connections") == (0, "[]\n", ""))
    }

    /// `connections -P` and `check program=` as a user types them: the processes come
    /// from one reading of the process table for the connections' inodes; without -P
    /// it is not read at all.
    @Test func theProcessesOfConnectionsAndCheckProgram() {
        let program = InProcess(Self.kernel())
        program.connections = { _ in
            [Connection(token: 0x1234, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 40000, remotePort: 8080,
                        state: 1, inode: 4242)]
        }
        program.socketOwners = SocketOwners([4242: [SocketOwners.Owner(pid: 310, name: "curl", fd: 5)]])
        #expect(program.result("connections") == (0, """
            token 00001234  10.0.1.1:40000 -> 10.0.1.2:8080  established
              local  remote  loc_id  rem_id  backup  dev  state  endpoint

            """, ""))
        #expect(program.askedInodes == [])
        let line = "token 00001234  10.0.1.1:40000 -> 10.0.1.2:8080  established  process curl pid 310 fd 5\n"
        #expect(program.result("connections -P").output.hasPrefix(line))
        #expect(program.result("connections --processes").output.hasPrefix(line))
        #expect(program.result("-j connections -processes").output.contains(#""processes":[{"pid":310,"name":"curl","fd":5}]"#))
        #expect(program.askedInodes == [[4242], [4242], [4242]])

        #expect(program.result("check program=curl connections==1") == (0, "", ""))
        #expect(program.result("check program=nosuchprog") == (5, "check failed: program=nosuchprog: found MPTCP connections held by curl (pid 310)\n",
                                                             "mptcpctl: check: 1 of 1 expectation(s) do not hold\n"))
        #expect(program.result("-j check program=curl") == (0, #"[{"netns":null,"expectation":"program=curl","holds":true,"found":"MPTCP connections held by curl (pid 310)"}]"# + "\n", ""))
        #expect(program.result("check program=") == (2, "", "mptcpctl: check: bad program expectation 'program=': expected program=NAME, "
            + "a process name as ps and /proc/PID/comm show it (program=curl)\n"))
        #expect(program.result("connections -P extra") == (2, "", "mptcpctl: connections: unexpected word 'extra': connections takes no arguments\n"))
        #expect(program.result("counters -P").status == 2)
    }

    /// With --all-netns the process table is read once, for the sockets of every
    /// namespace (socket inodes are the kernel's, not a namespace's).
    @Test func everyNamespacesProcessesInOneReading() {
        let program = InProcess(Self.kernel())
        program.namespaces = ["ns1"]
        program.connections = { netns in
            [Connection(token: 1, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 1, remotePort: 2, state: 1,
                        inode: netns == nil ? 10 : 11)]
        }
        program.socketOwners = SocketOwners([11: [SocketOwners.Owner(pid: 7, name: "curl", fd: 4)]])
        let listed = program.result("--all-netns -j connections -P")
        #expect(listed.status == 0 && listed.output.contains(#""netns":null,"#) && listed.output.contains(#""processes":[],"#), "\(listed)")
        #expect(listed.output.contains(#""netns":"ns1","#) && listed.output.contains(#""processes":[{"pid":7,"name":"curl","fd":4}]"#))
        #expect(program.result("--all-netns check program=curl") == (5, "check failed in (current): program=curl: found 1 MPTCP connection(s), "
            + "held by no process found\n", "mptcpctl: check: 1 of 2 expectation(s) do not hold\n"))
        #expect(program.askedInodes == [[10, 11], [10, 11]])
    }

    /// `check` on path health, as a user types it: a connection whose subflow on b is
    /// black-holed (in retransmission backoff, nothing acknowledged for 3.6 s) beside a
    /// working one on a, and a connection its program closed, which no process holds.
    @Test func checkSeesStalledPathsAndLeavesOrphansUncounted() {
        let program = InProcess(Self.kernel())
        func subflow(_ link: Int, _ info: TCPInfo) -> Subflow {
            Subflow(local: IPAddress("10.0.\(link).1")!, remote: IPAddress("10.0.\(link).2")!, localPort: UInt16(40000 + link),
                    remotePort: 8080, state: 1, localToken: 7, remoteToken: 1, localID: UInt8(link - 1), remoteID: 0,
                    flags: link == 1 ? 0 : Subflow.joinLocalFlag, tcpInfo: info)
        }
        let working = subflow(1, TCPInfo(retransmits: 0, probes: 0, unacked: 12, lastDataReceived: 9_000, lastAckReceived: 4))
        let stalled = subflow(2, TCPInfo(retransmits: 4, probes: 0, unacked: 20, lastDataReceived: 9_000, lastAckReceived: 3_552))
        program.connections = { _ in
            [Connection(token: 7, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 40001, remotePort: 8080,
                        state: 1, subflows: [working, stalled], inode: 31),
             Connection(token: 8, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 40009, remotePort: 8080,
                        state: 4, inode: 0)]
        }
        #expect(program.result("check path=10.0.1.1>10.0.1.2 path=*>10.0.1.2 connections==1 live_subflows==2 stalled_subflows==1")
            == (0, "", ""))
        #expect(program.result("check path=10.0.2.1>10.0.2.2 stalled_subflows==0") == (5, """
            check failed: path=10.0.2.1>10.0.2.2: found established subflows 10.0.1.1>10.0.1.2, 10.0.2.1>10.0.2.2 (stalled/backoff for 3.6s)
            check failed: stalled_subflows==0: found stalled_subflows=1

            """, "mptcpctl: check: 2 of 2 expectation(s) do not hold\n"))
        #expect(program.result("-j check stalled_subflows>=1").output
            == #"[{"netns":null,"expectation":"stalled_subflows>=1","holds":true,"found":"stalled_subflows=1"}]"# + "\n")
        #expect(program.result("connections").output.contains("token 00000008  10.0.1.1:40009 -> 10.0.1.2:8080  fin-wait-1  orphan\n"))
    }

    /// `doctor` reads the connections and listeners too: here a connection from
    /// 10.0.1.1 (eth2) that lost its subflow from endpoint 1 (10.0.2.1 on eth0, up), and
    /// whose initial address no subflow endpoint has.
    @Test func doctorFindsALostPathAndAnInitialPathNothingReopens() {
        let kernel = Self.kernel()
        kernel.addresses[IPAddress("10.0.1.1")!] = "eth2"
        let program = InProcess(kernel)
        let initial = Subflow(local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 40001, remotePort: 8080, state: 1,
                              localToken: 7, remoteToken: 1, localID: 0, remoteID: 0, flags: 0, interfaceName: "eth2")
        program.connections = { _ in
            [Connection(token: 7, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 40001, remotePort: 8080,
                        state: 1, subflows: [initial], inode: 31)]
        }
        #expect(program.result("doctor") == (5, """
            namespace (current):
              ERROR lost-path: 1 connection(s) (token 00000007) have no subflow from endpoint 1 (10.0.2.1) though eth0 is up: \
            the path was lost, and the kernel never opens it again
                fix: mptcpctl endpoint delete id 1; mptcpctl endpoint add 10.0.2.1 dev eth0 id 1 subflow
              WARNING initial-path-unhealable: 1 connection(s) began from 10.0.1.1 (eth2), which no subflow endpoint has: \
            when that initial path fails, nothing can open it again
                fix: mptcpctl endpoint add 10.0.1.1 dev eth2 subflow

            """, "mptcpctl: doctor: 1 error(s) found; each says what to run to fix it\n"))
    }

    /// Connections that cannot be read leave the live findings out, and say so; the
    /// findings on the configuration still stand.
    @Test func doctorSaysWhenItCannotReadTheConnections() {
        let program = InProcess(Self.kernel())
        program.connectionsFailure = .permission(.notPermitted, extack: nil)
        let result = program.result("doctor")
        #expect(result.status == 0)
        #expect(result.output == "namespace (current): no findings\n")
        #expect(result.errors.hasPrefix("mptcpctl: warning: doctor: reading the connections of namespace (current): "))
        #expect(result.errors.hasSuffix("; the findings on live connections are left out\n"))
    }
}
