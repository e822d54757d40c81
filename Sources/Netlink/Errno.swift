import Glibc

/// An errno value with its symbolic name, as people search for it ("EEXIST", not 17).
/// Errors of the layers above carry this, never a bare integer.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's errno, right after a failed system call.
    public static var current: Errno { Errno(rawValue: errno) }

    // The values this package names, called as POSIX and swift-system call them.
    /// EPERM: the operation needs a privilege (a capability) the caller lacks.
    public static let notPermitted = Errno(rawValue: EPERM)
    /// ENOENT
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    /// EINTR
    public static let interrupted = Errno(rawValue: EINTR)
    /// EIO
    public static let ioError = Errno(rawValue: EIO)
    /// ENOMEM
    public static let noMemory = Errno(rawValue: ENOMEM)
    /// EACCES: a file's permission bits (or a security module) refuse the caller.
    public static let permissionDenied = Errno(rawValue: EACCES)
    /// EBUSY
    public static let resourceBusy = Errno(rawValue: EBUSY)
    /// EEXIST
    public static let fileExists = Errno(rawValue: EEXIST)
    /// EINVAL
    public static let invalidArgument = Errno(rawValue: EINVAL)
    /// EROFS
    public static let readOnlyFileSystem = Errno(rawValue: EROFS)
    /// ERANGE
    public static let outOfRange = Errno(rawValue: ERANGE)
    /// EAGAIN
    public static let resourceTemporarilyUnavailable = Errno(rawValue: EAGAIN)
    /// EOPNOTSUPP
    public static let notSupportedOnSocket = Errno(rawValue: EOPNOTSUPP)
    /// EADDRNOTAVAIL
    public static let addressNotAvailable = Errno(rawValue: EADDRNOTAVAIL)
    /// ENOBUFS
    public static let noBufferSpace = Errno(rawValue: ENOBUFS)

    /// EPERM or EACCES: the caller lacks a privilege or a permission. The one test of
    /// "permission" for every layer above.
    public var isPermissionFailure: Bool { self == .notPermitted || self == .permissionDenied }

    private static let names: [(Int32, String)] = [
        (EPERM, "EPERM"), (ENOENT, "ENOENT"), (ESRCH, "ESRCH"), (EINTR, "EINTR"), (EIO, "EIO"),
        (ENXIO, "ENXIO"), (E2BIG, "E2BIG"), (ENOEXEC, "ENOEXEC"), (EBADF, "EBADF"), (EAGAIN, "EAGAIN"), (ENOMEM, "ENOMEM"),
        (EACCES, "EACCES"), (EFAULT, "EFAULT"), (EBUSY, "EBUSY"), (EEXIST, "EEXIST"), (ENODEV, "ENODEV"),
        (ENOTDIR, "ENOTDIR"), (EISDIR, "EISDIR"), (EINVAL, "EINVAL"), (ENFILE, "ENFILE"), (EMFILE, "EMFILE"),
        (ENOSPC, "ENOSPC"), (EROFS, "EROFS"), (EPIPE, "EPIPE"), (ERANGE, "ERANGE"), (ENAMETOOLONG, "ENAMETOOLONG"),
        (ENOSYS, "ENOSYS"), (ELOOP, "ELOOP"), (ENODATA, "ENODATA"), (EPROTO, "EPROTO"), (EMSGSIZE, "EMSGSIZE"),
        (ENOPROTOOPT, "ENOPROTOOPT"), (EPROTONOSUPPORT, "EPROTONOSUPPORT"), (EOPNOTSUPP, "EOPNOTSUPP"),
        (EAFNOSUPPORT, "EAFNOSUPPORT"), (EADDRINUSE, "EADDRINUSE"), (EADDRNOTAVAIL, "EADDRNOTAVAIL"),
        (ENETDOWN, "ENETDOWN"), (ENETUNREACH, "ENETUNREACH"), (ECONNRESET, "ECONNRESET"),
        (ENOBUFS, "ENOBUFS"), (ENOTCONN, "ENOTCONN"), (ETIMEDOUT, "ETIMEDOUT"),
        (ECONNREFUSED, "ECONNREFUSED"), (EHOSTUNREACH, "EHOSTUNREACH"), (EALREADY, "EALREADY"),
        (EINPROGRESS, "EINPROGRESS"), (ENOLINK, "ENOLINK"),
    ]
    // (A list, not a dictionary: it is read at most once per run, on an error path.)

    /// "EEXIST" for 17; "errno 4242" for values without a name.
    public var name: String {
        Self.names.first { $0.0 == rawValue }?.1 ?? "errno \(rawValue)"
    }

    /// The C library's description ("File exists").
    public var text: String { String(cString: strerror(rawValue)) }

    /// "EEXIST (File exists)"
    public var description: String { "\(name) (\(text))" }

    /// Makes system call `call` (one that fails with -1 and errno) again for as long as
    /// a signal interrupts it (EINTR); its result, or the errno of its failure. The one
    /// loop around an interruptible call, as swift-system's `retryOnInterrupt:` is. A
    /// call with a timeout computes it inside `call`, from a deadline, so that a retry
    /// waits only for what is left.
    @inlinable
    @discardableResult
    public static func retryOnInterrupt<Result: FixedWidthInteger>(_ call: () -> Result) throws(Errno) -> Result {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = Errno.current
            if code != .interrupted { throw code }
        }
    }
}
