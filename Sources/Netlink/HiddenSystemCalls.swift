import CLinux
import Glibc

/// The system calls Glibc's Swift module hides behind _GNU_SOURCE (setns, unshare,
/// signalfd, malloc_trim, O_PATH), over the CLinux shim: this module holds the whole C boundary, so the
/// layers above call these and import no C module. MPTCPKit's `ThreadNamespace` and
/// `SignalDescriptor` build on them.
public enum HiddenSystemCalls {
    /// setns(fd, CLONE_NEWNET): moves the calling thread into a network namespace.
    public static func enterNetworkNamespace(_ fd: Int32) throws(Errno) {
        if clinux_enter_network_namespace(fd) != 0 { throw .current }
    }

    /// unshare(CLONE_NEWNET): moves the calling thread into a new, empty network namespace.
    public static func enterNewNetworkNamespace() throws(Errno) {
        if clinux_enter_new_network_namespace() != 0 { throw .current }
    }

    /// The directory `name` under `directory` (AT_FDCWD: the working directory), held
    /// with O_PATH (for fstat and openat; no read permission needed), never through a
    /// symbolic link: close it.
    public static func openDirectoryPath(_ name: String, under directory: Int32 = AT_FDCWD) throws(Errno) -> Int32 {
        let fd = clinux_open_directory_path(directory, name)
        if fd < 0 { throw .current }
        return fd
    }

    /// A non-blocking, close-on-exec signalfd(2) for `signals`, which the caller has blocked.
    public static func signalDescriptor(for signals: UnsafePointer<sigset_t>) throws(Errno) -> Int32 {
        let fd = clinux_signalfd(signals)
        if fd < 0 { throw .current }
        return fd
    }

    /// The number of the signal queued on a signalfd, nil when none is.
    public static func takeSignal(from fd: Int32) throws(Errno) -> Int32? {
        let number = clinux_signalfd_read(fd)
        if number < 0 { throw .current }
        return number == 0 ? nil : number
    }

    /// malloc_trim(0): gives the heap's free memory back to the system, after a large
    /// reading a daemon dropped (its resident size would keep the high-water mark).
    public static func releaseFreeMemory() {
        _ = clinux_release_free_memory()
    }

    /// O_PATH (<fcntl.h> has it for _GNU_SOURCE only): a descriptor that names a file
    /// without opening it for reading or writing; it serves fstat, readlinkat and *at().
    public static let pathOnly: Int32 = clinux_o_path
}
