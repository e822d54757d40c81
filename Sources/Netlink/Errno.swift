import Glibc

/// An errno value with its symbolic name, as people search for it ("EEXIST", not 17).
/// Errors of the layers above carry this, never a bare integer.
public struct Errno: Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's errno, right after a failed system call.
    public static var current: Errno { Errno(rawValue: errno) }

    public static let permissionDenied = Errno(rawValue: EPERM)
    public static let accessDenied = Errno(rawValue: EACCES)
    public static let noEntry = Errno(rawValue: ENOENT)
    public static let invalidArgument = Errno(rawValue: EINVAL)
    public static let protocolError = Errno(rawValue: EPROTO)
    public static let outOfMemory = Errno(rawValue: ENOMEM)
    public static let noBufferSpace = Errno(rawValue: ENOBUFS)
    public static let interrupted = Errno(rawValue: EINTR)

    private static let names: [(Int32, String)] = [
        (EPERM, "EPERM"), (ENOENT, "ENOENT"), (ESRCH, "ESRCH"), (EINTR, "EINTR"), (EIO, "EIO"),
        (ENXIO, "ENXIO"), (E2BIG, "E2BIG"), (EBADF, "EBADF"), (EAGAIN, "EAGAIN"), (ENOMEM, "ENOMEM"),
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
}
