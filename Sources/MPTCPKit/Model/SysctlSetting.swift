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

    /// Two names of one setting: a namespace's path manager (`pm_type` before 6.15).
    public static let pathManagerKeys = ["path_manager", "pm_type"]
}
