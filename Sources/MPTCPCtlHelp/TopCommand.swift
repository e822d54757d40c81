import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl top`
struct TopCommand: WordsCommand {
    static let object = "top", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Where the bytes go: send and receive rates per MPTCP connection, subflow and interface, sampled live.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] top [--delay SECONDS] [--iterations N] [--token T] [--port P] [--dev IF] [--sort KEY]",
        discussion: """
            Reads the connections as 'connections' does (sock_diag, each subflow's tcp_info \
            joined to its connection's mptcp_info by token) every --delay seconds (default 1), \
            and prints the rates over the last interval, in bytes per second: send counts bytes \
            the peer acknowledged, receive bytes received. The first reading only sets the \
            counters: the first sample comes one delay later. A connection's rates are the sums \
            of its subflows' (a subflow that closed in the interval still counts, through the \
            connection's mptcp_info counters, which also give its data rates: each byte once); \
            a counter that went backwards (a socket reset or reused) counts from 0.

            Each subflow's health, judged from its tcp_info: working, idle (nothing \
            outstanding, nothing moved for a second: a path the scheduler leaves unused), \
            stalled (data waits and nothing was acknowledged for a second: backoff after \
            retransmission timeouts, probes unanswered, or unacked), opening or closing; and \
            its idle time (since data was last received or acknowledged). A stalled or \
            closing subflow's RTT is its dead path's last: the text views blank it. Only the \
            sending end can tell a stall: a path that only receives reads idle.

            On a terminal (no -j; TERM set and not dumb) it takes the whole screen and redraws \
            it each interval: a title bar, the rates' unit (B/s) and each interface's totals, \
            then a block per connection with a row per subflow: local, remote, dev, ep \
            (endpoint id; b: backup), path (ok, idle N, stall N, open, close), send, recv, \
            history (a sparkline of its send rate, one scale for all), share (of its \
            connection's bytes), rtt (ms), cwnd, retr. Long numbers take a unit suffix (129k); \
            nothing is cut: what does not fit is left out whole, the least needed columns \
            first (cwnd, share, history). Keys: q quits, s sorts by the next key, p pauses, ? \
            shows the keys. The screen is given back on q, SIGINT, SIGTERM and SIGHUP. No bold \
            or reverse video with NO_COLOR; ASCII without a UTF-8 locale.

            Otherwise (a pipe, a file): per sample, a line with the time (UTC) and each interface's totals, then one \
            block per connection: token, addresses, rates, and a table of its subflows (local, \
            remote, dev, endpoint, backup, state, idle, send, recv, rtt_us, cwnd, retrans); a \
            blank line ends the sample. With --all-netns each interface is named after its \
            namespace (client/eth0): every namespace's totals are its own.

            JSON (-j): one object per sample and line (NDJSON), written at once: {time, \
            connections: [{netns (with --all-netns), token, saddr, daddr, sport, dport, state, \
            send_rate, recv_rate, data_send_rate, data_recv_rate, bytes_sent, bytes_received, bytes_acked, subflows: [{saddr, \
            daddr, sport, dport, loc_id, rem_id, dev, endpoint, backup, state, flags, send_rate, \
            recv_rate, health, stall, idle_ms, rtt_us, cwnd, retrans, pacing_rate, bytes_acked, \
            bytes_received, bytes_sent}]}], interfaces: [{netns (with --all-netns), dev, \
            subflows, send_rate, recv_rate}]}. See Docs/json.md.

            --token, --port (either end of the connection or of a subflow) and --dev (the \
            subflows leaving by that interface, in every namespace with --all-netns, each \
            namespace's total apart) select what is shown. KEY := send | recv | rtt \
            | token (rates and RTT highest first, tokens lowest first). --iterations N exits 0 \
            after N samples; SIGINT, SIGTERM and SIGHUP exit 0.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Option(help: ArgumentHelp("Seconds between samples (above 0; default 1).", valueName: "seconds"))
    var delay: Double?
    @Option(help: ArgumentHelp("Exit 0 after this many samples.", valueName: "n"))
    var iterations: Int?
    @Option(help: ArgumentHelp("Only the connection with this token (hex, as 'connections' prints it).", valueName: "token"))
    var token: String?
    @Option(help: ArgumentHelp("Only connections with this port at either end.", valueName: "port"))
    var port: String?
    @Option(help: ArgumentHelp("Only the subflows that leave by this interface.", valueName: "interface"))
    var dev: String?
    @Option(help: ArgumentHelp("Order connections and subflows by this key (default send).", valueName: "key"),
            completion: .list(TopOptions.SortKey.allCases.map(\.rawValue)))
    var sort: String?
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }

    var options: [(name: String, value: String?)] {
        var options: [(name: String, value: String?)] = []
        if let delay { options.append(("--delay", SyncOptions.seconds(delay))) }
        if let iterations { options.append(("--iterations", String(iterations))) }
        if let token { options.append(("--token", token)) }
        if let port { options.append(("--port", port)) }
        if let dev { options.append(("--dev", dev)) }
        if let sort { options.append(("--sort", sort)) }
        return options
    }
}
