/// The numbers of the `mptcp_pm` generic netlink family (uapi linux/mptcp_pm.h).
public enum PathManagerProtocol {
    public static let familyName = "mptcp_pm"
    public static let version: UInt8 = 1
    public static let eventsGroup = "mptcp_pm_events"

    public enum Command: UInt8, Sendable {
        case addAddress = 1, deleteAddress = 2, getAddress = 3, flushAddresses = 4
        case setLimits = 5, getLimits = 6, setFlags = 7
    }

    /// Top-level attributes (MPTCP_PM_ATTR_*).
    public enum Attr {
        public static let address: UInt16 = 1
        public static let receiveAddAddresses: UInt16 = 2
        public static let subflows: UInt16 = 3
        public static let token: UInt16 = 4
        public static let localID: UInt16 = 5
        public static let remoteAddress: UInt16 = 6
    }

    /// Attributes inside an address nest (MPTCP_PM_ADDR_ATTR_*).
    public enum AddrAttr {
        public static let family: UInt16 = 1
        public static let id: UInt16 = 2
        public static let address4: UInt16 = 3
        public static let address6: UInt16 = 4
        public static let port: UInt16 = 5
        public static let flags: UInt16 = 6
        public static let interfaceIndex: UInt16 = 7
    }

    /// MPTCP_PM_ADDR_MAX: endpoints a namespace may hold; also the top of both limits.
    public static let maxEndpoints = 8
    public static let maxLimit: UInt32 = 8
}
