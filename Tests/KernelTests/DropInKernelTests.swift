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

    @Test func theLaminarLineIsIproute2s71() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.2 id 3 dev lo subflow backup address")
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
            ns.expectFailure("d", status: 2, message: "unknown object 'd': did you mean doctor? \(only)")
            ns.expectFailure("ex", status: 2, message: "unknown object 'ex': did you mean export? \(only)")
            ns.expectSuccess("e a 10.0.2.1 subflow")
            ns.expectSuccess("l s su 3")
            #expect(ns.mptcpctl("m --timeout 0.1").status == 0)
            #expect(ns.state == "10.0.2.1 id 1 subflow \n--\nadd_addr_accepted 0 subflows 3 \n")
        }
    }

    @Test func monitorTakesIPsEventNamesInAnyCaseAndLists() throws {
        try TestNamespace.with { ns in
            // A listening MPTCP socket makes LISTENER_CREATED, then LISTENER_CLOSED.
            let result = Shell.run("bash", ["-c", """
                "$0" -n "$1" -j monitor --event Listener_Created,SF_PRIO --event closed --count 1 --timeout 10 &
                sleep 0.5
                ip netns exec "$1" python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); s.bind(("127.0.0.1", 5000)); s.listen(); s.close()'
                wait $!
                """, Shell.mptcpctl, ns.name])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasPrefix(#"{"type":"listener_created","#), "\(result)")
            #expect(result.stdout.filter { $0 == "\n" }.count == 1)
            ns.expectFailure("monitor --event created,bogus", status: 2, message: "monitor: unknown event type 'bogus': expected "
                + "created, established, closed, announced, removed, sub_established, sub_closed, sub_priority, listener_created, "
                + "listener_closed (or ip's names: CREATED, ESTABLISHED, CLOSED, ANNOUNCED, REMOVED, SF_ESTABLISHED, SF_CLOSED, "
                + "SF_PRIO, LISTENER_CREATED, LISTENER_CLOSED)")
        }
    }

    @Test func formatMistakes() throws {
        try TestNamespace.with { ns in
            ns.expectFailure("-j --format ip endpoint show", status: 2, message: "'-j' and '--format ip' cannot go together: choose one")
            ns.expectFailure("--format ip counters", status: 2,
                             message: "'--format ip' works with endpoint show and limits show only (what 'ip mptcp' prints)")
            ns.expectFailure("--format yaml endpoint show", status: 2, message: "unknown format 'yaml': expected table, json, ip, openmetrics or prometheus")
            #expect(ns.mptcpctl("--format json limits show").stdout == #"{"subflows":2,"add_addr_accepted":0}"# + "\n")
            #expect(ns.mptcpctl("-j --format table limits show").stdout == "LIMIT              VALUE\nsubflows           2\nadd_addr_accepted  0\n")
        }
    }
}
