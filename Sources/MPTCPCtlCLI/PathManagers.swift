import MPTCPKit

/// The path managers opened so far, one per namespace, so a batch file or an `apply`
/// over many namespaces uses one netlink socket per namespace however many lines or
/// steps it has.
final class PathManagers {
    /// By namespace name; a list, as a batch file names few namespaces.
    private var open: [(netns: String?, manager: PathManager)] = []

    /// The path manager of `netns` (nil: the current namespace), opened on first use;
    /// warns once if MPTCP is disabled there.
    func manager(for netns: String?) throws(MPTCPError) -> PathManager {
        if let known = open.first(where: { $0.netns == netns }) { return known.manager }
        let manager = try PathManager.open(netns: netns)
        if manager.mptcpEnabled == false { Runner.warnDisabled(netns: netns) }
        open.append((netns, manager))
        return manager
    }
}
