import Glibc
import MPTCPKit

/// Opens the namespace's path manager, carries out one command, prints its result.
enum Runner {
    static func run(object: String, verb: String, words: [String], options: GlobalOptions) throws(MPTCPError) {
        let operation = ([object, verb] + words).joined(separator: " ")
        // Parse before opening anything: a bad line never reaches the kernel.
        enum Parsed { case endpoint(EndpointCommand), limits(LimitsCommand) }
        let parsed: Parsed = object == "endpoint"
            ? .endpoint(try EndpointCommand.parse(verb: verb, words))
            : .limits(try LimitsCommand.parse(verb: verb, words))
        let manager = try PathManager.open(netns: options.netns)
        if manager.mptcpEnabled == false { warnDisabled(netns: options.netns) }
        let output: String?
        switch parsed {
        case let .endpoint(command):
            output = try EndpointActions(manager: manager, format: options.format).run(command, operation: operation)
        case let .limits(command):
            output = try LimitsActions(manager: manager, format: options.format).run(command, operation: operation)
        }
        if let output { print(output) }
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
    static func error(_ message: String) { write("mptcpctl: \(message)") }

    private static func write(_ line: String) {
        var bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
