import MPTCPKit

/// The path managers opened so far, one per namespace, so a batch file or an `apply`
/// over many namespaces uses one netlink socket per namespace however many lines or
/// steps it has.
final class ManagerCache {
    private let context: Context
    /// By namespace name; a list, as a batch file names few namespaces.
    private var open: [(netns: String?, manager: PathManager)] = []

    init(context: Context) { self.context = context }

    /// The path manager of `netns` (nil: the current namespace), opened on first use;
    /// warns once if MPTCP is disabled there.
    func manager(for netns: String?) throws(PathManagerError) -> PathManager {
        if let known = open.first(where: { $0.netns == netns }) { return known.manager }
        let manager = try context.open(netns)
        if manager.mptcpEnabled == false {
            let fix = netns.map { "ip netns exec \($0) sysctl -w net.mptcp.enabled=1" } ?? "sysctl -w net.mptcp.enabled=1"
            context.console.warn("MPTCP is disabled in this namespace (net.mptcp.enabled = 0): "
                + "endpoints have no effect until '\(fix)'")
        }
        open.append((netns, manager))
        return manager
    }

    /// `manager(for:)`, its failure worded as opening one.
    func opened(_ netns: String?) throws(CLIError) -> PathManager {
        try CLIError.worded(as: "opening the MPTCP path manager") { () throws(PathManagerError) in try manager(for: netns) }
    }
}
