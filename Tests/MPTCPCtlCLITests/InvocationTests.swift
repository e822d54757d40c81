import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// How a command line is split into options, object, command and words.
struct InvocationTests {
    func parse(_ line: String) throws -> Invocation {
        try Invocation.parse(line.split(separator: " ").map(String.init))
    }

    @Test func globalOptionsMayStandBeforeOrAfterTheObject() throws {
        for line in ["-n ns1 -j endpoint show", "endpoint -n ns1 show -j", "endpoint show --json --netns ns1",
                     "--netns=ns1 endpoint show -json", "-netns ns1 endpoint -j show"] {
            let invocation = try parse(line)
            #expect(invocation.netns == "ns1", "\(line)")
            #expect(invocation.format == OutputFormat(.json), "\(line)")
            #expect(invocation.path == ["endpoint", "show"], "\(line)")
            #expect(invocation.words == [], "\(line)")
        }
        #expect(try parse("-jp e").format == OutputFormat(.json, pretty: true))
        #expect(try parse("-j -p l").format == OutputFormat(.json, pretty: true))
    }

    @Test func objectsAndCommandsMayBeAbbreviated() throws {
        #expect(try parse("e a 10.0.2.1 subflow").path == ["endpoint", "add"])
        #expect(try parse("e a 10.0.2.1 subflow").words == ["10.0.2.1", "subflow"])
        #expect(try parse("endp c id 1 backup").path == ["endpoint", "change"])
        #expect(try parse("e d id 1").path == ["endpoint", "delete"])
        #expect(try parse("e s").path == ["endpoint", "show"])
        #expect(try parse("e f").path == ["endpoint", "flush"])
        #expect(try parse("l s subflows 1").path == ["limits", "set"])
        #expect(try parse("l sh").path == ["limits", "show"])
    }

    @Test func namespaceWideObjectsTakeWordsDirectly() throws {
        let check = try parse("check --all-netns address>=1 endpoint=10.0.2.1:address")
        #expect(check.path == ["check"])
        #expect(check.allNetns)
        #expect(check.words == ["address>=1", "endpoint=10.0.2.1:address"])
        #expect(check.argumentParserArguments == ["check", "--all-netns", "--", "address>=1", "endpoint=10.0.2.1:address"])
        #expect(try parse("counters -j").path == ["counters"])
        #expect(try parse("doctor -A").path == ["doctor"])
    }

    @Test func anObjectAloneShows() throws {
        #expect(try parse("endpoint").path == ["endpoint", "show"])
        #expect(try parse("limits").path == ["limits", "show"])
    }

    @Test func helpAndVersion() throws {
        #expect(try parse("").mode == .help)
        #expect(try parse("help").mode == .help)
        #expect(try parse("help endpoint").path == ["endpoint"])
        #expect(try parse("endpoint add --help").mode == .help)
        #expect(try parse("endpoint add --help").path == ["endpoint", "add"])
        #expect(try parse("limits help").mode == .help)
        #expect(try parse("--version").mode == .version)
    }

    @Test func negativeNumbersAreWordsNotOptions() throws {
        // Read as the value of 'id' (and refused by the grammar), never as an option.
        #expect(throws: CLIError.usage("endpoint add: bad id '-1': an id is a number from 1 to 255")) {
            try parse("e a 10.0.2.1 id -1")
        }
        #expect(try parse("check subflows>=1 -n x").words == ["subflows>=1"])
    }

    @Test func wordsAfterDoubleDashAreNeverOptions() throws {
        #expect(try parse("e a -- 10.0.2.1 dev -j").words == ["10.0.2.1", "dev", "-j"])
    }

    @Test(arguments: [
        ("bogus", "unknown object 'bogus': expected endpoint, limits, monitor, counters, check, doctor, apply, export, connections, top, sync, run, enable, disable or userspace; see 'mptcpctl --help'"),
        ("endpoint show --count 1", "'--count' works with monitor only"),
        ("--all-netns endpoint show", "--all-netns works with counters, check, doctor, export, connections and top"),
        ("endpoint show --dry-run", "'--dry-run' works with apply only"),
        ("limits --keep-unlisted", "'--keep-unlisted' works with apply and sync only"),
        ("endpoint show --force", "'--force' works with -b FILE only"),
        ("-b", "'-b' needs a file name ('-' for standard input)"),
        ("-b f endpoint show", "-b FILE: unexpected word 'endpoint': the commands come from the file"),
        ("-b f --dry-run", "-b FILE takes -n, -j, -p, --format and --force only; options of a command go on its line"),
        ("-n x counters --all-netns", "-n and --all-netns cannot go together: choose one"),
        ("endpoint zz", "endpoint: unknown command 'zz': expected add, change, delete, show or flush"),
        ("limits zz", "limits: unknown command 'zz': expected set or show"),
        ("--frobnicate endpoint", "unknown option '--frobnicate'; see 'mptcpctl --help'"),
        ("endpoint -n", "'-n' needs a namespace name"),
        ("-n ../etc endpoint", "bad namespace name '../etc': a name is not empty, not '.' or '..', and has no '/'"),
        ("-n .. endpoint", "bad namespace name '..': a name is not empty, not '.' or '..', and has no '/'"),
        ("sync", "sync: expected one FILE (YAML or JSON; not standard input, as SIGHUP reads it again)"),
        ("sync -", "sync: expected one FILE (YAML or JSON; not standard input, as SIGHUP reads it again)"),
        ("sync --interval 0.5 f", "sync: bad --interval '0.5': an interval is a number of seconds from 1 to 86400"),
        ("sync --interval x f", "sync: bad --interval 'x': an interval is a number of seconds from 1 to 86400"),
        ("apply --ignore-managers f", "'--ignore-managers' works with sync only"),
        ("sync --dry-run f", "'--dry-run' works with apply only"),
        ("apply --no-heal f", "'--no-heal' works with sync only"),
    ])
    func rejects(line: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try parse(line) }
    }

    /// `mptcpctl --format ip monitor` is `ip mptcp monitor`: with -j (and -p) ip's JSON,
    /// with ip's -t and -ts, filters as always.
    @Test func formatIPMonitorTakesIPsJSONAndTimestamps() throws {
        let json = try parse("-j --format ip monitor -ts --token 0x711c4a7 --event SF_ESTABLISHED")
        #expect(json.format == OutputFormat(.ipJSON))
        #expect(json.command == .monitor(MonitorOptions(events: [.subflowEstablished], token: 0x0711c4a7, timestamps: .short)))
        #expect(json.argumentParserArguments == ["monitor", "--json", "--format", "ip", "--event=sub_established",
                                                 "--token=0711c4a7", "--tshort", "--"])
        #expect(try parse("-t --format=ip m").command == .monitor(MonitorOptions(timestamps: .full)))
        #expect(try parse("-timestamp --format ip monitor").command == .monitor(MonitorOptions(timestamps: .full)))
        // As with ip, -ts wins over -t in either order.
        #expect(try parse("-t -ts --format ip monitor").command == .monitor(MonitorOptions(timestamps: .short)))
        #expect(try parse("-tshort -t --format ip monitor").command == .monitor(MonitorOptions(timestamps: .short)))
        #expect(try parse("--format ip -jp monitor").format == OutputFormat(.ipJSON, pretty: true))
        #expect(try parse("monitor --token c0ab1c74").command == .monitor(MonitorOptions(token: 0xc0ab1c74)))
    }

    @Test(arguments: [
        ("monitor -t", "monitor: '-t' (ip's timestamps) works with '--format ip' only: mptcpctl's own lines and JSON carry the time already"),
        ("-j monitor -ts", "monitor: '-ts' (ip's timestamps) works with '--format ip' only: mptcpctl's own lines and JSON carry the time already"),
        ("-t endpoint show", "'--timestamp' works with monitor only"),
        ("--format ip limits -ts", "'--tshort' works with monitor only"),
        ("-j --format ip endpoint show", "'-j' and '--format ip' go together with monitor only ('ip -j mptcp monitor'): choose one"),
        ("--format ip -j -b f", "'-j' and '--format ip' go together with monitor only ('ip -j mptcp monitor'): choose one"),
        ("--format ip counters", "'--format ip' works with endpoint show, limits show and monitor only (what 'ip mptcp' prints)"),
        ("monitor --token 123456789", "monitor: bad --token '123456789': a token is up to 8 hex digits, as monitor prints it"),
        ("monitor --token 0x", "monitor: bad --token '0x': a token is up to 8 hex digits, as monitor prints it"),
    ])
    func formatIPMonitorMistakes(line: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try parse(line) }
    }

    @Test func argumentParserGetsTheWordsAfterATerminator() throws {
        let invocation = try parse("-n x e a 10.0.2.1 id 4 -j")
        #expect(invocation.argumentParserArguments == ["endpoint", "add", "--netns", "x", "--json", "--", "10.0.2.1", "id", "4"])
    }

    @Test func batchTakesAFileANamespaceAndForce() throws {
        let invocation = try parse("-n ns1 --force -b lines.txt")
        #expect(invocation.mode == .batch("lines.txt"))
        #expect(invocation.netns == "ns1")
        #expect(invocation.force)
        #expect(try parse("--batch -").mode == .batch("-"))
    }

    @Test func applyAndExportTakeTheirWordsAndOptions() throws {
        let apply = try parse("apply --dry-run state.yaml --keep-unlisted -n ns1")
        #expect(apply.path == ["apply"])
        #expect(apply.words == ["state.yaml"])
        #expect(apply.command == .apply(ApplyOptions(file: "state.yaml", dryRun: true, keepUnlisted: true)))
        #expect(apply.argumentParserArguments == ["apply", "--netns", "ns1", "--dry-run", "--keep-unlisted", "--", "state.yaml"])
        #expect(try parse("export --all-netns").path == ["export"])
        // Objects `ip mptcp` lacks are spelled out: a prefix is a usage error naming them.
        #expect(throws: CLIError.usage("unknown object 'a': did you mean apply? Only endpoint, limits and monitor "
            + "(the objects of 'ip mptcp') may be abbreviated")) { try parse("a state.yaml") }
        #expect(throws: CLIError.usage("unknown object 'ex': did you mean export? Only endpoint, limits and monitor "
            + "(the objects of 'ip mptcp') may be abbreviated")) { try parse("ex --all-netns") }
    }

    @Test func syncTakesAFileAnIntervalAndItsFlags() throws {
        let sync = try parse("-n ns1 sync --interval 5 --keep-unlisted --ignore-managers rules.yaml -j")
        #expect(sync.command == .sync(SyncOptions(file: "rules.yaml", interval: 5, keepUnlisted: true, ignoreManagers: true)))
        #expect(sync.format.json && sync.netns == "ns1")
        #expect(sync.argumentParserArguments == ["sync", "--netns", "ns1", "--json", "--keep-unlisted", "--interval=5",
                                                 "--ignore-managers", "--", "rules.yaml"])
        #expect(try parse("sync --interval=60 f").command == .sync(SyncOptions(file: "f", interval: 60)))
        #expect(try parse("sync f").command == .sync(SyncOptions(file: "f", interval: 30)))
        let plain = try parse("sync --no-heal f")
        #expect(plain.command == .sync(SyncOptions(file: "f", noHeal: true)))
        #expect(plain.argumentParserArguments == ["sync", "--no-heal", "--", "f"])
    }
}

/// `counters --format` and `--output`.
struct CountersOptionsTests {
    func parse(_ line: String) throws -> Invocation {
        try Invocation.parse(line.split(separator: " ").map(String.init))
    }

    @Test func formatsAndOutputAreRead() throws {
        #expect(try parse("counters").format == OutputFormat(.table))
        #expect(try parse("counters").command == .counters(CountersOptions()))
        #expect(try parse("-j counters").format == OutputFormat(.json))
        #expect(try parse("counters --format json -j").format == OutputFormat(.json))
        let openMetrics = try parse("-A counters --format=openmetrics --output /tmp/x.prom")
        #expect(openMetrics.format == OutputFormat(.metrics(.openMetrics)))
        #expect(openMetrics.command == .counters(CountersOptions(output: "/tmp/x.prom")))
        let prometheus = try parse("counters --output=f --format prometheus")
        #expect(prometheus.format == OutputFormat(.metrics(.prometheus)))
        #expect(prometheus.command == .counters(CountersOptions(output: "f")))
    }

    @Test func aBadFormatOrAMisplacedOptionIsOneLine() throws {
        func message(_ line: String) -> String? {
            do throws(CLIError) { _ = try Invocation.parse(line.split(separator: " ").map(String.init)); return nil } catch { return error.message }
        }
        #expect(message("counters --format yaml") == "unknown format 'yaml': expected table, json, ip, openmetrics or prometheus")
        #expect(message("-j counters --format openmetrics") == "-j and --format openmetrics cannot go together: choose one")
        #expect(message("counters --output=") == "counters: '--output' needs a file name")
        #expect(message("counters --output") == "'--output' needs a value")
        #expect(message("limits show --format prometheus") == "'--format prometheus' works with counters only")
        #expect(message("doctor --output f") == "'--output' works with counters only")
    }

    /// Two formats at once are refused naming the options as typed: `--format json` is
    /// not `-j`.
    @Test(arguments: [
        ("-j counters --format openmetrics", "-j and --format openmetrics cannot go together: choose one"),
        ("-jp counters --format openmetrics", "-j and --format openmetrics cannot go together: choose one"),
        ("--json counters --format prometheus", "--json and --format prometheus cannot go together: choose one"),
        ("--format json counters --format openmetrics", "--format json and --format openmetrics cannot go together: choose one"),
        ("--format=json --format=prometheus counters", "--format json and --format prometheus cannot go together: choose one"),
        ("--format json -j counters --format prometheus", "-j and --format prometheus cannot go together: choose one"),
        ("--format json --format ip endpoint show",
         "'--format json' and '--format ip' go together with monitor only ('ip -j mptcp monitor'): choose one"),
        ("-json --format ip limits show", "'-json' and '--format ip' go together with monitor only ('ip -j mptcp monitor'): choose one"),
        ("--format json --format ip -b f",
         "'--format json' and '--format ip' go together with monitor only ('ip -j mptcp monitor'): choose one"),
        ("-j --format prometheus -b f", "-j and --format prometheus cannot go together: choose one"),
    ])
    func twoFormatsAreRefusedAsTyped(line: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try parse(line) }
    }

    /// A later `--format` replaces an earlier one, `table` and `json` the JSON asked for
    /// too; `-j` adds JSON to what `--format` chose.
    @Test(arguments: [
        ("-j --format table endpoint show", OutputFormat(.table)),
        ("--format table -j endpoint show", OutputFormat(.json)),
        ("--format ip --format json endpoint show", OutputFormat(.json)),
        ("--format json --format ip monitor", OutputFormat(.ipJSON)),
        ("--format ip -j --format table monitor", OutputFormat(.table)),
        ("--format openmetrics --format json counters", OutputFormat(.json)),
        ("--format ip --format prometheus counters", OutputFormat(.metrics(.prometheus))),
        ("--format openmetrics --format ip limits show", OutputFormat(.ip)),
        ("-p --format openmetrics counters", OutputFormat(.metrics(.openMetrics), pretty: true)),
    ])
    func laterFormatsReplaceEarlierOnes(line: String, format: OutputFormat) throws {
        #expect(try parse(line).format == format)
    }
}

/// Options and their values are read as typed values, once: a value that starts with a
/// combining mark (U+0301) is that option's value, and a bad one is that option's fault.
struct OptionValueTests {
    @Test func aCountThatStartsWithACombiningMarkIsABadCount() {
        #expect(throws: CLIError.usage("monitor: bad --count '\u{301}5': a count is a whole number, 1 or more")) {
            try Invocation.parse(["monitor", "--count", "\u{301}5"])
        }
        #expect(throws: CLIError.usage("monitor: bad --count '\u{301}5': a count is a whole number, 1 or more")) {
            try Invocation.parse(["monitor", "--count=\u{301}5"])
        }
        #expect(throws: CLIError.usage("monitor: bad --timeout '\u{301}': a timeout is a number of seconds above 0")) {
            try Invocation.parse(["monitor", "--timeout=\u{301}"])
        }
    }

    @Test func anIntervalThatStartsWithACombiningMarkIsABadInterval() throws {
        for line in [["sync", "--interval", "\u{301}5", "/nonexistent.yaml"], ["sync", "--interval=\u{301}5", "/nonexistent.yaml"]] {
            #expect(throws: CLIError.usage("sync: bad --interval '\u{301}5': an interval is a number of seconds from 1 to 86400")) {
                try Invocation.parse(line)
            }
        }
        // Not taken for --ignore-managers, the other option of sync.
        #expect(try Invocation.parse(["sync", "--interval", "5", "f"]).command == .sync(SyncOptions(file: "f", interval: 5)))
    }

    @Test func theOptionsOfEachCommandAreItsTypedValues() throws {
        #expect(try Invocation.parse(["monitor", "--event", "created,SF_CLOSED", "--count=2", "--timeout", "0.5"]).command
            == .monitor(MonitorOptions(events: [.created, .subflowClosed], count: 2, timeout: 0.5)))
        #expect(try Invocation.parse(["export", "--all"]).command == .export(allSysctls: true))
        #expect(try Invocation.parse(["connections", "-listening"]).command == .connections(listening: true, processes: false))
        #expect(try Invocation.parse(["apply", "-"]).command == .apply(ApplyOptions(file: "-")))
    }

    @Test func anEqualsSignJoinsOnlyALongOptionThatTakesAValue() {
        #expect(throws: CLIError.usage("unknown option '--dry-run=1'; see 'mptcpctl --help'")) { try Invocation.parse(["apply", "--dry-run=1", "f"]) }
        #expect(throws: CLIError.usage("unknown option '--batch=f'; see 'mptcpctl --help'")) { try Invocation.parse(["--batch=f"]) }
        #expect(throws: CLIError.usage("unknown option '-n=x'; see 'mptcpctl --help'")) { try Invocation.parse(["-n=x", "endpoint"]) }
    }
}

extension CountersOptionsTests {
    /// "=" followed by a combining mark is one Character: found by the property test.
    @Test func aCombiningMarkAfterTheEqualsSignIsAValue() throws {
        #expect(try Invocation.parse(["counters", "--output", "\u{301}"]).command == .counters(CountersOptions(output: "\u{301}")))
        #expect(throws: CLIError.self) { try Invocation.parse(["counters", "--format", "\u{301}"]) }
    }
}
