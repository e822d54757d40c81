import Glibc
import MPTCPKit

/// Opens what a command needs, carries it out, prints its result.
enum Runner {
    /// Runs one command line; `managers` keeps the sockets for the lines that follow.
    static func run(_ invocation: Invocation, managers: PathManagers = PathManagers()) throws(MPTCPError) {
        let object = invocation.path.first ?? ""
        switch object {
        case "endpoint", "limits":
            try runPathManager(invocation, managers: managers)
        case "apply":
            try ApplyRun(invocation: invocation, managers: managers).run()
        case "export":
            try ExportRun(invocation: invocation, managers: managers).run()
        case "monitor":
            try MonitorRun(invocation).run()
        default:
            try runNamespaceWide(invocation)
        }
    }

    static func runPathManager(_ invocation: Invocation, managers: PathManagers) throws(MPTCPError) {
        let (object, verb, words) = (invocation.path[0], invocation.path[1], invocation.words)
        // Built by hand: the generic joined(separator:) instantiates metadata at run time.
        var operation = object + " " + verb
        for word in words { operation += " " + word }
        // Parse before opening anything: a bad line never reaches the kernel.
        enum Parsed { case endpoint(EndpointCommand), limits(LimitsCommand) }
        let parsed: Parsed = object == "endpoint"
            ? .endpoint(try EndpointCommand.parse(verb: verb, words))
            : .limits(try LimitsCommand.parse(verb: verb, words))
        let manager = try managers.manager(for: invocation.netns)
        let output: String?
        switch parsed {
        case let .endpoint(command):
            output = try EndpointActions(manager: manager, format: invocation.format).run(command, operation: operation)
        case let .limits(command):
            output = try LimitsActions(manager: manager, format: invocation.format).run(command, operation: operation)
        }
        if let output { Output.line(output) }
    }

    static func runNamespaceWide(_ invocation: Invocation) throws(MPTCPError) {
        let (object, words) = (invocation.path[0], invocation.words)
        let actions = NamespaceActions(format: invocation.format, scope: invocation.allNetns ? .all : .one(invocation.netns))
        let report: NamespaceActions.Report
        switch object {
        case "check":
            guard !words.isEmpty else {
                throw .usage("check: missing EXPECTATION: e.g. 'address>=1' or endpoint=10.0.2.1:address")
            }
            var expectations: [Expectation] = []
            for word in words { expectations.append(try Expectation(word)) }
            report = actions.check(expectations)
        default:
            if let word = words.first { throw .usage("\(object): unexpected word '\(word)': \(object) takes no arguments") }
            report = object == "counters" ? actions.counters() : actions.doctor()
        }
        if let output = report.output { Output.line(output) }
        if let failure = report.failure { throw failure }
    }

    static func warnDisabled(netns: String?) {
        let fix = netns.map { "ip netns exec \($0) sysctl -w net.mptcp.enabled=1" } ?? "sysctl -w net.mptcp.enabled=1"
        Diagnostics.warn("MPTCP is disabled in this namespace (net.mptcp.enabled = 0): "
            + "endpoints have no effect until '\(fix)'")
    }
}

/// Messages for people, on standard error, one line each.
enum Diagnostics {
    static func warn(_ message: String) { write("mptcpctl: warning: \(message)") }
    static func note(_ message: String) { write("mptcpctl: \(message)") }
    static func error(_ message: String) { write("mptcpctl: \(message)") }

    private static func write(_ line: String) { Output.write(line + "\n", to: STDERR_FILENO) }
}
