import Glibc

/// The ids a program takes before exec: another user's, with its groups.
public struct ProgramIdentity: Sendable, Equatable {
    public var uid: uid_t
    public var gid: gid_t
    /// nil: keep the groups (a caller who is not root cannot change them).
    public var groups: [gid_t]?

    public init(uid: uid_t, gid: gid_t, groups: [gid_t]?) {
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }
}
