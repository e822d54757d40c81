import CLaunch
import MPTCPKit

/// The rule by which a socket() call for TCP becomes MPTCP, as the supervisor applies
/// it: read through CLaunch from `mptcp_socket_rule.h`, the one table the preload
/// library and the seccomp filter are built from too.
public enum SocketRule {
    /// IPPROTO_MPTCP: what a TCP socket() opens instead.
    public static let mptcpProtocol: Int32 = mptcp_rule_protocol()

    /// Whether socket(`family`, `type`, `protocol`) asks for TCP: AF_INET or AF_INET6,
    /// SOCK_STREAM (its flags aside), protocol 0 or IPPROTO_TCP.
    public static func applies(family: Int32, type: Int32, protocol: Int32) -> Bool {
        mptcp_rule_applies(family, type, `protocol`) == 1
    }

    /// Whether the kernel's `refusal` of IPPROTO_MPTCP means it refuses MPTCP
    /// (ENOPROTOOPT, EPROTONOSUPPORT, EINVAL), after which the TCP socket asked for is
    /// opened when falling back; any other error is the caller's answer.
    public static func fallsBack(after refusal: Errno) -> Bool {
        mptcp_rule_falls_back(refusal.rawValue) == 1
    }
}
