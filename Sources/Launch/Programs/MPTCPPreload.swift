import Glibc

/// The preload library that makes a program's TCP sockets MPTCP sockets (libmptcpwrap.so,
/// built from Sources/mptcpwrap by the Makefile), where it is, and the environment a
/// program starts with to load it: what `run` starts a program with, and what `enable`'s
/// drop-in gives a service.
///
/// The library overrides socket() by the socket rule (`SocketRule`): AF_INET or AF_INET6,
/// SOCK_STREAM (its flags aside), protocol 0 or IPPROTO_TCP opens IPPROTO_MPTCP instead.
/// When the kernel refuses MPTCP (ENOPROTOOPT, EPROTONOSUPPORT, EINVAL) it opens the TCP
/// socket asked for, unless `MPTCPCTL_NO_FALLBACK=1`. Programs that do not call the C library's
/// socket() are out of its reach: static binaries, and Go programs (their net package
/// makes the system call itself), which from Go 1.21 follow `GODEBUG=multipathtcp=1`.
public enum MPTCPPreload {
    public static let libraryName = "libmptcpwrap.so"
    /// Set to 1: no fallback to TCP when the kernel refuses MPTCP.
    public static let noFallbackVariable = "MPTCPCTL_NO_FALLBACK"

    /// Where the library can be, for a binary in `directory`: beside it (the build
    /// tree), else under `../lib/mptcpctl` (where `make install` puts it).
    public static func candidates(besideBinaryIn directory: String) -> [String] {
        [directory + "/" + libraryName, directory + "/../lib/mptcpctl/" + libraryName]
    }

    /// The first candidate `files` can read; nil when none can.
    public static func library(besideBinaryIn directory: String, files: any FileSystem = SystemFileSystem()) -> String? {
        candidates(besideBinaryIn: directory).first { files.canAccess($0, .read) }
    }

    /// `environment` with the library loaded and MPTCP asked of Go:
    /// - LD_PRELOAD: the library after what the caller preloads (theirs keep their place
    ///   and see socket() first); not added twice.
    /// - GODEBUG: `multipathtcp=1` added, unless the caller set `multipathtcp` already.
    /// - MPTCPCTL_NO_FALLBACK: 1 when `fallback` is false, else removed.
    public static func environment(_ environment: EnvironmentVariables, library: String, fallback: Bool) -> EnvironmentVariables {
        var result = environment
        let preloaded = (environment["LD_PRELOAD"] ?? "").split(whereSeparator: { $0 == " " || $0 == ":" })
        if !preloaded.contains(where: { $0 == library }) {
            // Written out, not joined(separator:): generic code that looks its types up
            // at run time, before CMD starts.
            var value = ""
            for name in preloaded { value += name + " " }
            result["LD_PRELOAD"] = value + library
        }
        let debug = environment["GODEBUG"] ?? ""
        let settings = debug.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).first ?? "" }
        if !settings.contains("multipathtcp") {
            result["GODEBUG"] = debug.isEmpty ? "multipathtcp=1" : debug + ",multipathtcp=1"
        }
        result[noFallbackVariable] = fallback ? nil : "1"
        return result
    }
}
