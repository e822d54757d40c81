import MPTCPKit

/// The path managers opened so far, one per namespace, so a batch file or an `apply`
/// over many namespaces uses one netlink socket per namespace however many lines or
/// steps it has.
final class PathManagers {
    private var open: [String: PathManager] = [:]

    /// The path manager of `netns` (nil: the current namespace), opened on first use;
    /// warns once if MPTCP is disabled there.
    func manager(for netns: String?) throws(MPTCPError) -> PathManager {
        // "/" cannot be in a namespace name, so it stands for the current namespace.
        let key = netns ?? "/"
        if let manager = open[key] { return manager }
        let manager = try PathManager.open(netns: netns)
        if manager.mptcpEnabled == false { Runner.warnDisabled(netns: netns) }
        open[key] = manager
        return manager
    }
}
