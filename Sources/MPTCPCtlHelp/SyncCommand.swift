import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl sync FILE`
struct SyncCommand: WordsCommand {
    static let object = "sync", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Keep a namespace as a file says, with endpoints that follow its interfaces' addresses, and heal its paths (a daemon).",
        usage: "mptcpctl [-n NAME] [-j] sync [--interval SECONDS] [--keep-unlisted] [--ignore-managers] [--no-heal] FILE",
        discussion: """
            FILE is an apply file for one namespace (no 'namespaces:'): 'limits:', fixed 'endpoints:' \
            and 'interfaces:' rules ('- name: "eth*"' with 'flags:' and optional 'families:'). Every \
            usable address of an up interface a rule matches gets one endpoint with the rule's flags \
            and 'dev' set to the interface. See Docs/sync.md.

            Runs in the foreground (for systemd, Type=notify: READY=1 once the first reconciliation \
            is done). Reconciles at start, on every link and address change, and every --interval \
            seconds (default 30), under the namespace's writers' lock. Each step done is printed as a \
            plan line after its time; -j: one JSON object per step (NDJSON). SIGINT and SIGTERM exit 0 \
            and leave the endpoints; SIGHUP reads FILE again (an invalid file keeps the old rules). \
            FILE must be owned by root (or you) and writable by its owner only. Refuses to start when \
            mptcpd or NetworkManager runs in the namespace, unless --ignore-managers. Exits 2 for a \
            bad file, 3 when the namespace goes away or FILE is not trusted.

            Heals paths by default (--no-heal or 'heal: false' in FILE turn it off): a path (an \
            endpoint's address to a peer) is dead when its interface loses its carrier or address, or \
            when probes of the peer (ICMP echo every 0.2 s from the address and its interface) go \
            unanswered for 1 s; once it is back, a connection that still carries nothing on it after \
            0.2 s gets its subflow back: the endpoint is deleted and added again (same id, address, dev \
            and flags), which reopens the subflows from it on every connection (a signal endpoint: \
            announces the address again), at most once a second per endpoint, the wait doubling up to \
            60 s while it does not heal. An address endpoint is kept while its interface is gone (120 \
            s): its subflows come back when the peer announces again. Each failure and repair is a line \
            (-j: an object with \"event\": path_down, path_up, repair, healed, waiting_for_peer, \
            gave_up); 'counters --format openmetrics' shows healing's counters. 'heal:' in FILE tunes \
            it: probe_interval, dead_after, grace, hold, repair_backoff, probes (a target per \
            interface: ADDRESS for ICMP, ADDRESS:PORT for a TCP connection, or none). Probes need \
            CAP_NET_RAW. See Docs/sync.md.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Seconds between full checks that repair what others changed (1 to 86400).", valueName: "seconds"))
    var interval: Double?
    @Flag(help: "Leave endpoints the file does not produce (by default they are deleted).")
    var keepUnlisted = false
    @Flag(help: "Start even when mptcpd or NetworkManager runs in the namespace.")
    var ignoreManagers = false
    @Flag(help: "Follow the interfaces only: do not heal paths (whatever FILE's 'heal:' says).")
    var noHeal = false
    @Argument(parsing: .postTerminator, help: ArgumentHelp("FILE", valueName: "words"))
    var words: [String] = []

    var options: [(name: String, value: String?)] {
        (keepUnlisted ? [("--keep-unlisted", nil)] : []) + (interval.map { [("--interval", SyncOptions.seconds($0))] } ?? [])
            + (ignoreManagers ? [("--ignore-managers", nil)] : []) + (noHeal ? [("--no-heal", nil)] : [])
    }
}
