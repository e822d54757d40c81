/// The processes holding sockets open, by socket inode: what sock_diag reports as
/// idiag_inode (`Connection.inode`) and `/proc/PID/fd/N` names as `socket:[INODE]`.
/// Socket inodes are the kernel's, not a namespace's, so one table answers for the
/// connections of every namespace. A socket may be held by several processes (one
/// that forked, or passed it on), each under its own descriptor number.
public struct SocketOwners: Sendable, Equatable {
    /// One process holding a socket, and the descriptor it holds it by.
    public struct Owner: Sendable, Equatable {
        public var pid: Int32
        /// The process's name as the kernel keeps it (`/proc/PID/comm`): at most
        /// `nameLimit` bytes of its program's file name, or what it set with prctl.
        public var name: String
        public var fd: Int32

        public init(pid: Int32, name: String, fd: Int32) {
            self.pid = pid
            self.name = name
            self.fd = fd
        }

        /// Whether it is the process called `program`: its name is `program`, or, for a
        /// name longer than the kernel keeps, the first `nameLimit` bytes of it.
        public func isNamed(_ program: String) -> Bool {
            name.utf8.elementsEqual(program.utf8.prefix(SocketOwners.nameLimit))
        }
    }

    /// How many bytes of a name the kernel keeps (TASK_COMM_LEN 16, with its NUL).
    public static let nameLimit = 15

    private var byInode: [UInt64: [Owner]]

    /// `byInode`'s lists are kept as given (`read` sorts them by pid, then descriptor).
    public init(_ byInode: [UInt64: [Owner]] = [:]) {
        self.byInode = byInode
    }

    /// The processes holding the socket with `inode`; empty when none is known (inode
    /// 0, a socket no program holds any more, or a process that could not be read).
    public subscript(inode inode: UInt32) -> [Owner] {
        inode == 0 ? [] : byInode[UInt64(inode)] ?? []
    }
}
