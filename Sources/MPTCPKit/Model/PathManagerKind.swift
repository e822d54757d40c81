/// Which path manager a namespace runs (`net.mptcp.path_manager`, or `pm_type` before
/// Linux 6.15).
public enum PathManagerKind: Sendable, Equatable {
    /// The in-kernel path manager, which endpoints and limits configure.
    case kernel
    /// A userspace daemon's: in-kernel endpoints are inert.
    case userspace
    /// A value this version does not know.
    case other(String)
}
