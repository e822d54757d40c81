/// A socket() call CMD's tree made under the filter of `InterceptedLaunch`, waiting for
/// the supervisor's answer.
public struct SocketCall: Sendable, Equatable {
    /// The listener's id for the call.
    public let id: UInt64
    /// The caller's thread id in the supervisor's pid namespace; 0 when not visible.
    public let thread: Int32
    public let family: Int32
    public let type: Int32
    public let `protocol`: Int32

    public init(id: UInt64, thread: Int32, family: Int32, type: Int32, protocol: Int32) {
        self.id = id
        self.thread = thread
        self.family = family
        self.type = type
        self.protocol = `protocol`
    }
}
