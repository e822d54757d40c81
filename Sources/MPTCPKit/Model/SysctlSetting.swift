/// One `net.mptcp.*` sysctl of a namespace: its key without the prefix ("enabled",
/// "path_manager"), its value as the kernel prints it, and whether it can be set
/// (`available_schedulers` and the like cannot).
public struct SysctlSetting: Sendable, Equatable {
    public var key: String
    public var value: String
    public var writable: Bool

    public init(key: String, value: String, writable: Bool = true) {
        self.key = key
        self.value = value
        self.writable = writable
    }

    /// The values of a new namespace on Linux 6.18, for the settings an export leaves
    /// out when they are unchanged.
    public static let defaults: [String: String] = [
        "enabled": "1", "add_addr_timeout": "120", "allow_join_initial_addr_port": "1", "blackhole_timeout": "3600",
        "checksum_enabled": "0", "close_timeout": "60", "path_manager": "kernel", "pm_type": "0", "scheduler": "default",
        "stale_loss_cnt": "4", "syn_retrans_before_tcp_fallback": "2",
    ]

    /// Two names of one setting: a namespace's path manager (`pm_type` before 6.15).
    public static let pathManagerKeys = ["path_manager", "pm_type"]
}
