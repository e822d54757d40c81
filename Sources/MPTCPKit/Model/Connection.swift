/// One MPTCP connection (or listener) of a namespace, as sock_diag reports it, with
/// its subflows.
public struct Connection: Sendable, Equatable {
    /// The connection's token at this end (what `monitor` events carry).
    public var token: UInt32
    public var local: IPAddress
    public var remote: IPAddress
    public var localPort: UInt16
    public var remotePort: UInt16
    /// The MPTCP socket's state (TCP_ESTABLISHED 1, TCP_LISTEN 10, …).
    public var state: UInt8
    /// `struct mptcp_info`, nil when the kernel sent none.
    public var info: Info?
    /// Its subflows in the order the kernel listed them; empty for a listener.
    public var subflows: [Subflow]
    /// The MPTCP socket's inode (idiag_inode): what `/proc/PID/fd/*` links name as
    /// `socket:[INODE]` (`SocketOwners`); 0 when no file holds it (closed by its program).
    public var inode: UInt32

    public init(token: UInt32, local: IPAddress, remote: IPAddress, localPort: UInt16, remotePort: UInt16,
                state: UInt8, info: Info? = nil, subflows: [Subflow] = [], inode: UInt32 = 0) {
        self.token = token
        self.local = local
        self.remote = remote
        self.localPort = localPort
        self.remotePort = remotePort
        self.state = state
        self.info = info
        self.subflows = subflows
        self.inode = inode
    }

    /// TCP_LISTEN.
    public var isListening: Bool { state == 10 }

    /// Closed by its program and left to the kernel to finish: past the connection's
    /// end (a FIN sent or received, or closed) and held by no file (inode 0). (A
    /// connection not yet accepted has no file either, but is established.)
    public var isOrphan: Bool {
        switch state {
        case 1, 2, 3, 10, 12: false // established, SYN sent or received, listening, new SYN received
        default: inode == 0
        }
    }

    /// What `struct mptcp_info` tells of one connection. Fields a shorter (older)
    /// structure lacks are nil.
    public struct Info: Sendable, Equatable {
        /// Additional subflows (the initial one not counted), as the kernel counts them.
        public var subflows: UInt8
        public var addAddrSignal: UInt8
        public var addAddrAccepted: UInt8
        /// MPTCP_INFO_FLAG_* (fallback to TCP is bit 0).
        public var flags: UInt32
        public var token: UInt32
        public var bytesSent: UInt64?
        public var bytesReceived: UInt64?
        public var bytesAcked: UInt64?

        public init(subflows: UInt8, addAddrSignal: UInt8, addAddrAccepted: UInt8, flags: UInt32, token: UInt32,
                    bytesSent: UInt64? = nil, bytesReceived: UInt64? = nil, bytesAcked: UInt64? = nil) {
            self.subflows = subflows
            self.addAddrSignal = addAddrSignal
            self.addAddrAccepted = addAddrAccepted
            self.flags = flags
            self.token = token
            self.bytesSent = bytesSent
            self.bytesReceived = bytesReceived
            self.bytesAcked = bytesAcked
        }

        /// The connection fell back to plain TCP.
        public var fallback: Bool { flags & 1 != 0 }
    }
}
