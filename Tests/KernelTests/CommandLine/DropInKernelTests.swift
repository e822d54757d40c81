import Foundation
import Testing

/// mptcpctl as a drop-in for `ip mptcp`: `--format ip` prints `ip`'s text byte for byte,
/// `-b` runs `ip -batch` files, only `ip`'s objects abbreviate, and `monitor --event`
/// takes `ip`'s event names. Debian's `ip` (iproute2 6.1) is the reference; it prints
/// bit 0x20 as `rawflags 20` where iproute2 7.1 prints `laminar`.
struct DropInKernelTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "mptcpctl-dropin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func formatIPIsIPsTextByteForByte() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            // Nothing at all, not even a newline, when there are no endpoints.
            #expect(ns.mptcpctl("--format ip endpoint show") == CommandResult(status: 0, stdout: "", stderr: ""))
            #expect(ns.ip("mptcp endpoint show").stdout == "")
            ns.expectSuccess("endpoint add 10.0.5.1 port 10100 signal")
            ns.expectSuccess("endpoint add 10.0.2.1 id 7 dev v0 subflow backup")
            ns.expectSuccess("endpoint add 2001:db8::1 fullmesh")
            ns.expectSuccess("endpoint add 10.0.2.3 dev lo subflow")
            ns.expectSuccess("limits set subflows 3 add_addr_accepted 1")
            let ip = ns.ip("mptcp endpoint show").stdout
            #expect(ip == "10.0.5.1 port 10100 id 1 signal \n10.0.2.1 id 7 subflow backup dev v0 \n"
                + "2001:db8::1 id 8 fullmesh \n10.0.2.3 id 9 subflow dev lo \n")
            #expect(ns.mptcpctl("--format ip endpoint show").stdout == ip)
            #expect(ns.mptcpctl("endpoint show --format=ip").stdout == ip)
            #expect(ns.mptcpctl("--format ip endpoint show id 7").stdout == ns.ip("mptcp endpoint show id 7").stdout)
            #expect(ns.mptcpctl("--format ip limits show").stdout == ns.ip("mptcp limits show").stdout)
            #expect(ns.mptcpctl("--format ip limits show").stdout == "add_addr_accepted 1 subflows 3 \n")
            // An interface that has gone: `ip` names its index "ifN".
            ns.ip("link del v0")
            #expect(ns.mptcpctl("--format ip endpoint show").stdout == ns.ip("mptcp endpoint show").stdout)
            #expect(ns.mptcpctl("--format ip endpoint show id 7").stdout.hasPrefix("10.0.2.1 id 7 subflow backup dev if"))
        }
    }

    /// Without address endpoints (before Linux 6.18) there is no such line: the refusal.
    @Test func theLaminarLineIsIproute2s71() throws {
        try TestNamespace.with { ns in
            guard ns.expectEndpointAdded("10.0.2.2 id 3 dev lo subflow backup address") else { return }
            #expect(ns.ip("mptcp endpoint show").stdout == "10.0.2.2 id 3 subflow backup rawflags 20 dev lo \n")
            #expect(ns.mptcpctl("--format ip endpoint show").stdout == "10.0.2.2 id 3 subflow backup laminar dev lo \n")
        }
    }

    @Test func aScriptThatParsesIPsTextRunsUnchanged() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 id 4 subflow")
            ns.expectSuccess("endpoint add 10.0.2.2 id 5 signal")
            ns.expectSuccess("endpoint add 10.0.2.3 id 6 subflow backup")
            let script = try write("""
                # Written for ip: the ids of the subflow endpoints, then the subflows limit.
                $IP -n "$NS" mptcp endpoint show | awk '/ subflow / { print $3 }'
                $IP -n "$NS" mptcp limits show | awk '{ print $4 }'
                """)
            defer { try? FileManager.default.removeItem(atPath: script) }
            let viaIP = Shell.run("env", ["IP=ip", "NS=\(ns.name)", "bash", script])
            let viaUs = Shell.run("env", ["IP=\(Shell.mptcpctl) --format ip", "NS=\(ns.name)", "bash", script])
            #expect(viaIP == CommandResult(status: 0, stdout: "4\n6\n2\n", stderr: ""))
            #expect(viaUs == viaIP)
        }
    }

    @Test func anIPBatchFileRunsUnchanged() throws {
        try TestNamespace.with { theirs in
            try TestNamespace.with { ours in
                let file = try write("""
                    # written for ip -batch
                    mptcp endpoint add 10.0.2.1 id 1 subflow
                    mptcp endpoint add 10.0.2.2 signal backup
                    mptcp limits set subflows 4 add_addr_accepted 2
                    mptcp endpoint show
                    mptcp limits show
                    """)
                defer { try? FileManager.default.removeItem(atPath: file) }
                let ip = Shell.run("ip", ["-n", theirs.name, "-batch", file])
                let us = Shell.run(Shell.mptcpctl, ["-n", ours.name, "--format", "ip", "-b", file])
                #expect(ip.status == 0 && us.status == 0, "\(ip)\n\(us)")
                #expect(us.stdout == ip.stdout)
                #expect(ours.state == theirs.state)
                // -j with -b, as 'ip -j -batch': every line that prints, prints JSON.
                let show = try write("mptcp endpoint show id 1\nmptcp limits show\n")
                defer { try? FileManager.default.removeItem(atPath: show) }
                #expect(Shell.run(Shell.mptcpctl, ["-j", "-n", ours.name, "-b", show]) == CommandResult(status: 0, stdout: """
                    [{"address":"10.0.2.1","id":1,"subflow":true,"ifindex":0,"flags":["subflow"]}]
                    {"subflows":4,"add_addr_accepted":2}

                    """, stderr: ""))
            }
        }
    }

    @Test func onlyIPsObjectsAbbreviate() throws {
        try TestNamespace.with { ns in
            let file = try write("limits: {subflows: 5}\nendpoints: []\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let only = "Only endpoint, limits and monitor (the objects of 'ip mptcp') may be abbreviated"
            ns.expectFailure("a \(file)", status: 2, message: "unknown object 'a': did you mean apply? \(only)")
            ns.expectFailure("ap \(file)", status: 2, message: "unknown object 'ap': did you mean apply? \(only)")
            ns.expectFailure("c", status: 2, message: "unknown object 'c': did you mean counters, check or connections? \(only)")
            ns.expectFailure("d", status: 2, message: "unknown object 'd': did you mean doctor or disable? \(only)")
            ns.expectFailure("ex", status: 2, message: "unknown object 'ex': did you mean export? \(only)")
            ns.expectSuccess("e a 10.0.2.1 subflow")
            ns.expectSuccess("l s su 3")
            #expect(ns.mptcpctl("m --timeout 0.1").status == 0)
            #expect(ns.state == "10.0.2.1 id 1 subflow \n--\nadd_addr_accepted 0 subflows 3 \n")
        }
    }

    /// A listener and one connection to it on lo: the first event of the filter is
    /// LISTENER_CREATED, or CLOSED on a kernel without listener events (before Linux 6.2).
    @Test func monitorTakesIPsEventNamesInAnyCaseAndLists() throws {
        try TestNamespace.with { ns in
            ns.ip("link set lo up")
            let result = Shell.run("bash", ["-c", """
                "$0" -n "$1" -j monitor --event Listener_Created,SF_PRIO --event closed --count 1 --timeout 20 &
                sleep 1
                ip netns exec "$1" python3 -c '
                import socket
                listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
                listener.bind(("127.0.0.1", 5000))
                listener.listen()
                client = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
                client.connect(("127.0.0.1", 5000))
                server = listener.accept()[0]
                client.close(); server.close(); listener.close()'
                wait $!
                """, Shell.mptcpctl, ns.name])
            let first = RunningKernel.hasListenerEvents ? "listener_created" : "closed"
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasPrefix(#"{"type":"\#(first)","#), "\(result)")
            #expect(result.stdout.filter { $0 == "\n" }.count == 1)
            ns.expectFailure("monitor --event created,bogus", status: 2, message: "monitor: unknown event type 'bogus': expected "
                + "created, established, closed, announced, removed, sub_established, sub_closed, sub_priority, listener_created, "
                + "listener_closed (or ip's names: CREATED, ESTABLISHED, CLOSED, ANNOUNCED, REMOVED, SF_ESTABLISHED, SF_CLOSED, "
                + "SF_PRIO, LISTENER_CREATED, LISTENER_CLOSED)")
        }
    }

    /// The warning mptcpctl adds to a line the kernel takes whose address no subflow can use.
    static func unusable(_ line: String, _ address: String, _ what: String) -> String {
        "mptcpctl: warning: \(line): \(address) is \(what): no subflow can start from it or reach it, so the endpoint adds no path\n"
    }

    /// Lines `ip` and the kernel take (or refuse), each after `setup` (given to `ip` in both
    /// namespaces): mptcpctl takes them too, saying at most one warning.
    static let asIPTakesThem: [(setup: [String], line: String, warning: String)] = [
        ([], "endpoint add ::ffff:10.0.3.2 subflow", ""),
        ([], "endpoint add 224.0.0.1 signal", unusable("endpoint add 224.0.0.1 signal", "224.0.0.1", "a multicast address")),
        ([], "endpoint add 0.0.0.0 subflow", unusable("endpoint add 0.0.0.0 subflow", "0.0.0.0", "the unspecified address")),
        ([], "endpoint add :: signal", unusable("endpoint add :: signal", "::", "the unspecified address")),
        ([], "endpoint add 255.255.255.255 signal",
         unusable("endpoint add 255.255.255.255 signal", "255.255.255.255", "the limited broadcast address")),
        ([], "endpoint add ff02::1 subflow", unusable("endpoint add ff02::1 subflow", "ff02::1", "a multicast address")),
        (["mptcp endpoint add 10.0.2.2 id 1 subflow"], "endpoint add 10.0.2.1 id 0 subflow", ""),
        // The kernel finds 10.0.3.3 by either form and holds one of the two only.
        (["mptcp endpoint add ::ffff:10.0.3.3 signal backup"], "endpoint change 10.0.3.3 nobackup", ""),
        (["mptcp endpoint add 10.0.3.3 signal"], "endpoint change id 0 ::ffff:10.0.3.3 backup", ""),
        (["mptcp endpoint add ::ffff:10.0.3.3 signal"], "endpoint add 10.0.3.3 signal", ""),
        (["mptcp endpoint add ::ffff:10.0.3.3 signal"], "endpoint delete id 0 ::ffff:10.0.3.3", ""),
        // Id 0 names no endpoint: the kernel answers.
        (["mptcp endpoint add 10.0.2.1 subflow"], "endpoint show id 0", ""),
        (["mptcp endpoint add 10.0.2.1 subflow"], "endpoint change id 0 backup", ""),
        // What `ip` refuses before asking the kernel, mptcpctl refuses too.
        (["mptcp endpoint add 10.0.2.1 subflow"], "endpoint delete id 0", ""),
        ([], "endpoint add 10.0.2.1 id 256 subflow", ""),
        ([], "endpoint add 10.0.2.1/24 subflow", ""),
    ]

    /// Each line once with mptcpctl and once with `ip mptcp`, in two namespaces on the
    /// same running kernel: both succeed (mptcpctl printing nothing but its warning), or
    /// the kernel refuses both with the same words, or both refuse the line before the
    /// kernel; and the namespaces end alike. (No kernel's answers are written in here:
    /// the tests also run on 6.1, 6.12 and 7.2.)
    @Test(arguments: asIPTakesThem)
    func whatIPTakesMptcpctlTakes(setup: [String], line: String, warning: String) throws {
        try TestNamespace.with { theirs in
            try TestNamespace.with { ours in
                for ns in [theirs, ours] {
                    for step in setup { #expect(ns.ip(step).status == 0, "\(step)") }
                }
                let ip = theirs.ip("mptcp \(line)")
                let us = ours.mptcpctl(line)
                #expect(us.stdout == "", "\(line)\n\(us)")
                switch ip.status {
                case 0:
                    #expect(us.status == 0 && us.stderr == warning, "\(line)\n\(us)")
                case 2:
                    // The kernel refused: its words, "Error: TEXT." from ip, verbatim from us; or,
                    // when it gave none (6.1 often does not), the errno's text ip prints after
                    // "RTNETLINK answers: ".
                    let text = ip.stderr.hasPrefix("Error: ") ? String(ip.stderr.dropFirst(7).prefix { $0 != "\n" }.dropLast())
                        : String(ip.stderr.dropFirst("RTNETLINK answers: ".count).prefix { $0 != "\n" })
                    #expect(!text.isEmpty, "\(ip)")
                    #expect(us.status == 1 && us.stderr.hasPrefix("mptcpctl: \(line): the kernel refused: ")
                        && us.stderr.contains(text), "\(line)\n\(ip)\n\(us)")
                default:
                    #expect(us.status == 2 && us.stderr.hasPrefix("mptcpctl: "), "\(line)\n\(ip)\n\(us)")
                }
                #expect(ours.state == theirs.state, "\(line)")
                // And what each client shows of the result is the same.
                #expect(ours.mptcpctl("--format ip endpoint show").stdout == theirs.ip("mptcp endpoint show").stdout)
            }
        }
    }

    /// What the kernel does with each line (the test above only compares): every address
    /// is taken, id 0 picks an id, id 0 names no endpoint.
    @Test func whatTheKernelDoes() throws {
        try TestNamespace.with { ns in
            for (_, line, warning) in Self.asIPTakesThem.prefix(6) {
                #expect(ns.mptcpctl(line) == CommandResult(status: 0, stdout: "", stderr: warning), "\(line)")
            }
            #expect(ns.mptcpctl("endpoint add 10.0.2.1 id 0 subflow") == CommandResult(status: 0, stdout: "", stderr: ""))
            #expect(ns.ip("mptcp endpoint show").stdout == """
                ::ffff:10.0.3.2 id 1 subflow \n224.0.0.1 id 2 signal \n0.0.0.0 id 3 subflow \n:: id 4 signal \n\
                255.255.255.255 id 5 signal \nff02::1 id 6 subflow \n10.0.2.1 id 7 subflow \n
                """)
            #expect(ns.mptcpctl("-j endpoint show id 1").stdout
                == #"[{"address":"::ffff:10.0.3.2","id":1,"subflow":true,"ifindex":0,"flags":["subflow"]}]"# + "\n")
            ns.expectFailure("endpoint show id 0", status: 1, message: "endpoint show id 0: the kernel refused: EINVAL: address not found")
            // The kernel's words where it gives some ("missing address ID" on 6.18, "missing
            // required inputs" on 6.12), the errno alone where it does not (6.1), as ip shows it.
            let ipSays = ns.ip("mptcp endpoint change id 0 backup").stderr
            let why: String
            if ipSays.hasPrefix("Error: "), ipSays.hasSuffix(".\n") {
                why = ": " + ipSays.dropFirst("Error: ".count).dropLast(2)
            } else {
                #expect(ipSays == "RTNETLINK answers: Operation not supported\n")
                why = " (Operation not supported)"
            }
            ns.expectFailure("endpoint change id 0 backup", status: 1, message: "endpoint change id 0 backup: the kernel refused: EOPNOTSUPP\(why)")
            // 10.0.3.2 is ::ffff:10.0.3.2 to the kernel: refused as a duplicate, in the running
            // kernel's words (EINVAL without the number on 6.1); found by either form.
            let duplicate = RunningKernel.duplicateAddressError
            if duplicate == "too many addresses or duplicate one: -17" {
                ns.expectFailure("endpoint add 10.0.3.2 signal", status: 1, message: "endpoint add 10.0.3.2 signal: the kernel refused: "
                    + "EEXIST: \(duplicate) (an endpoint with this address already exists; see 'mptcpctl endpoint show')")
            } else {
                let before = ns.state
                let refused = ns.mptcpctl("endpoint add 10.0.3.2 signal")
                #expect(refused.status == 1 && refused.stdout == "", "\(refused)")
                #expect(refused.stderr.hasPrefix("mptcpctl: endpoint add 10.0.3.2 signal: the kernel refused: ")
                    && refused.stderr.contains(": \(duplicate)") && refused.stderr.filter { $0 == "\n" }.count == 1, "\(refused)")
                #expect(ns.state == before)
            }
            ns.expectSuccess("endpoint change 10.0.3.2 backup")
            ns.expectSuccess("endpoint delete 10.0.3.2")
            #expect(!ns.ip("mptcp endpoint show").stdout.contains("10.0.3.2"))
        }
    }

    /// A file of these lines for `ip -batch` runs unchanged with `-b`: the same endpoints,
    /// one warning per unusable address, each naming its line's command.
    @Test func anIPBatchFileWithEveryAddressTheKernelTakes() throws {
        try TestNamespace.with { theirs in
            try TestNamespace.with { ours in
                let lines = Self.asIPTakesThem.prefix(7).map(\.line)
                let file = try write(lines.map { "mptcp \($0)\n" }.joined())
                defer { try? FileManager.default.removeItem(atPath: file) }
                let ip = Shell.run("ip", ["-n", theirs.name, "-batch", file])
                let us = Shell.run(Shell.mptcpctl, ["-n", ours.name, "-b", file])
                if ip.status == 0 {
                    #expect(us == CommandResult(status: 0, stdout: "", stderr: Self.asIPTakesThem.prefix(7).map(\.warning).joined()))
                } else {
                    #expect(us.status == 1, "\(ip)\n\(us)")
                }
                #expect(ours.state == theirs.state)
            }
        }
    }

    /// A state file with these addresses (and id 0: the kernel picks, as without an id)
    /// applies to what `ip` makes of the same lines, warns once per unusable address with
    /// its position, and applies again as no change; its export applies as no change.
    @Test func aStateFileWithEveryAddressTheKernelTakes() throws {
        try TestNamespace.with { theirs in
            try TestNamespace.with { ours in
                let file = try write("""
                    endpoints:
                      - {address: "::ffff:10.0.3.2", flags: subflow}
                      - {address: 224.0.0.1, flags: signal}
                      - {address: 0.0.0.0, flags: subflow}
                      - {address: "::", flags: signal}
                      - {address: 255.255.255.255, flags: signal}
                      - {address: "ff02::1", flags: subflow}
                      - {address: 10.0.2.1, id: 0, flags: subflow}

                    """)
                defer { try? FileManager.default.removeItem(atPath: file) }
                let taken = Self.asIPTakesThem.prefix(7).map { theirs.ip("mptcp \($0.line)").status }
                let result = ours.mptcpctl("apply \(file)")
                let warnings = [(3, "224.0.0.1", "a multicast address"), (4, "0.0.0.0", "the unspecified address"),
                                (5, "::", "the unspecified address"), (6, "255.255.255.255", "the limited broadcast address"),
                                (7, "ff02::1", "a multicast address")]
                    .map { Self.unusable("apply: \(file):\($0.0):5", $0.1, $0.2) }.joined()
                #expect(result.stderr.hasPrefix(warnings), "\(result)")
                if taken.allSatisfy({ $0 == 0 }) {
                    #expect(result.status == 0 && result.stderr == warnings, "\(result)")
                    #expect(ours.state == theirs.state)
                    let again = ours.mptcpctl("apply \(file)")
                    #expect(again == CommandResult(status: 0, stdout: "\(ours.name): no changes\n", stderr: warnings))
                    let exported = try write(ours.mptcpctl("export").stdout)
                    defer { try? FileManager.default.removeItem(atPath: exported) }
                    let dry = ours.mptcpctl("apply --dry-run \(exported)")
                    #expect(dry.status == 0 && dry.stdout == "\(ours.name): no changes\n", "\(dry)")
                } else {
                    // A kernel that refuses one of them refuses the plan: rolled back.
                    #expect(result.status == 1 && ours.ip("mptcp endpoint show").stdout == "", "\(result)")
                }
            }
        }
    }

    @Test func formatMistakes() throws {
        try TestNamespace.with { ns in
            ns.expectFailure("-j --format ip endpoint show", status: 2, message: "'-j' and '--format ip' go together with monitor only ('ip -j mptcp monitor'): choose one")
            ns.expectFailure("--format ip counters", status: 2,
                             message: "'--format ip' works with endpoint show, limits show and monitor only (what 'ip mptcp' prints)")
            ns.expectFailure("--format yaml endpoint show", status: 2, message: "unknown format 'yaml': expected table, json, ip, openmetrics or prometheus")
            #expect(ns.mptcpctl("--format json limits show").stdout == #"{"subflows":2,"add_addr_accepted":0}"# + "\n")
            #expect(ns.mptcpctl("-j --format table limits show").stdout == "LIMIT              VALUE\nsubflows           2\nadd_addr_accepted  0\n")
        }
    }
}
