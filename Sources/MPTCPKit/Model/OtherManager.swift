/// Another program that manages MPTCP endpoints and runs in the namespace, so may add,
/// change or delete endpoints configured by anyone else.
public struct OtherManager: Sendable, Equatable {
    public enum Program: Sendable, Equatable {
        /// NetworkManager (1.40+ adds endpoints for the addresses it configures).
        case networkManager
        /// mptcpd, the MPTCP path-manager daemon.
        case mptcpd
    }

    public var program: Program
    public var pid: Int32

    public init(program: Program, pid: Int32) {
        self.program = program
        self.pid = pid
    }
}
