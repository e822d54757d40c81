/// The numbers of the `mptcp_pm` generic netlink family (uapi linux/mptcp_pm.h), each
/// beside the name of its uapi constant.
public enum PathManagerFamily {
    /// MPTCP_PM_NAME
    public static let name = "mptcp_pm"
    /// MPTCP_PM_VER
    public static let version: UInt8 = 1
    /// MPTCP_PM_EV_GRP_NAME
    public static let eventsGroup = "mptcp_pm_events"

    /// MPTCP_PM_CMD_*
    enum Command: UInt8, Sendable {
        case addAddress = 1       // MPTCP_PM_CMD_ADD_ADDR
        case deleteAddress = 2    // MPTCP_PM_CMD_DEL_ADDR
        case getAddress = 3       // MPTCP_PM_CMD_GET_ADDR
        case flushAddresses = 4   // MPTCP_PM_CMD_FLUSH_ADDRS
        case setLimits = 5        // MPTCP_PM_CMD_SET_LIMITS
        case getLimits = 6        // MPTCP_PM_CMD_GET_LIMITS
        case setFlags = 7         // MPTCP_PM_CMD_SET_FLAGS
        case announce = 8         // MPTCP_PM_CMD_ANNOUNCE (userspace PM)
        case remove = 9           // MPTCP_PM_CMD_REMOVE (userspace PM)
        case subflowCreate = 10   // MPTCP_PM_CMD_SUBFLOW_CREATE (userspace PM)
        case subflowDestroy = 11  // MPTCP_PM_CMD_SUBFLOW_DESTROY (userspace PM)
    }

    /// Top-level attributes (MPTCP_PM_ATTR_*).
    enum Attr {
        static let address: UInt16 = 1              // MPTCP_PM_ATTR_ADDR (nested)
        static let receiveAddAddresses: UInt16 = 2  // MPTCP_PM_ATTR_RCV_ADD_ADDRS (u32)
        static let subflows: UInt16 = 3             // MPTCP_PM_ATTR_SUBFLOWS (u32)
        static let token: UInt16 = 4                // MPTCP_PM_ATTR_TOKEN (u32)
        static let localID: UInt16 = 5              // MPTCP_PM_ATTR_LOC_ID (u8)
        static let remoteAddress: UInt16 = 6        // MPTCP_PM_ATTR_ADDR_REMOTE (nested)
    }

    /// MPTCP_PM_ADDR_MAX in Linux 6.18: the endpoints a namespace may hold, also the top
    /// of both limits there. A fact of that kernel, not of the protocol.
    public static let maxEndpoints = 8
    public static let maxLimit: UInt32 = 8
}
