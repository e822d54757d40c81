import Glibc
import MPTCPKit

/// The preload library that makes a program's TCP sockets MPTCP sockets (libmptcpwrap.so,
/// the package's `mptcpwrap` target), and the environment a program starts with to load
/// it: what `run` execs a program with.
///
/// The library overrides socket(): AF_INET or AF_INET6, SOCK_STREAM (SOCK_NONBLOCK and
/// SOCK_CLOEXEC aside), protocol 0 or IPPROTO_TCP opens IPPROTO_MPTCP instead. When the
/// kernel refuses MPTCP (ENOPROTOOPT, EPROTONOSUPPORT, EINVAL) it opens the TCP socket
/// asked for, unless `MPTCPCTL_NO_FALLBACK=1`. Programs that do not call the C library's
/// socket() are out of its reach: static binaries, and Go programs (their net package
/// makes the system call itself), which from Go 1.21 follow `GODEBUG=multipathtcp=1`.
enum MPTCPPreload {
    static let libraryName = "libmptcpwrap.so"
    /// Set to 1: no fallback to TCP when the kernel refuses MPTCP.
    static let noFallbackVariable = "MPTCPCTL_NO_FALLBACK"

    /// Where the library can be, for a binary in `directory`: beside it (the build
    /// tree), else under `../lib/mptcpctl` (where `make install` puts it).
    static func candidates(besideBinaryIn directory: String) -> [String] {
        [directory + "/" + libraryName, directory + "/../lib/mptcpctl/" + libraryName]
    }

    /// The first candidate that can be read; nil when none can.
    static func library(besideBinaryIn directory: String) -> String? {
        candidates(besideBinaryIn: directory).first { access($0, R_OK) == 0 }
    }

    /// The library beside this binary; refused, for `operation`, with where it was looked
    /// for, when it is missing.
    static func required(by operation: String) throws(CLIError) -> String {
        let directory = HelperHandOver.directory
        guard let found = library(besideBinaryIn: directory) else {
            throw .environment("\(operation): the preload library \(libraryName) is missing (looked for "
                + candidates(besideBinaryIn: directory).joined(separator: ", ") + "); reinstall with 'make install'")
        }
        return found
    }

    /// Refuses, for `operation`, the library at the canonical path `library` when
    /// anyone but root could replace it, or a directory above it: every root service
    /// given it would run their code (sshd's StrictModes: owned by root, writable by no
    /// group and no other, up to `/`).
    static func requireRootOnly(_ library: String, by operation: String) throws(CLIError) {
        do throws(FileTrust.Problem) { try FileTrust.checkRootOnly(library) } catch {
            let why: String
            switch error {
            case let .foreignOwner(path, uid):
                why = "\(path) is owned by uid \(uid), not root: its owner could replace the library; fix: 'chown root \(path)'"
            case let .writableByOthers(path, mode):
                let octal = String(mode, radix: 8)
                why = "\(path) is writable by group or others (mode \(String(repeating: "0", count: max(0, 4 - octal.count)) + octal)): "
                    + "they could replace the library; fix: 'chmod go-w \(path)'"
            case let .cannotRead(path, code): why = "\(path) cannot be checked: \(code)"
            case let .notRegularFile(path): why = "\(path) is not a regular file"
            }
            throw .environment("\(operation): the preload library \(library) is not safe to preload into root's services: \(why), "
                + "or install mptcpctl where only root can write ('make install')")
        }
    }

    /// `environment` with the library loaded and MPTCP asked of Go:
    /// - LD_PRELOAD: the library after what the caller preloads (theirs keep their place
    ///   and see socket() first); not added twice.
    /// - GODEBUG: `multipathtcp=1` added, unless the caller set `multipathtcp` already.
    /// - MPTCPCTL_NO_FALLBACK: 1 when `fallback` is false, else removed.
    static func environment(_ environment: EnvironmentVariables, library: String, fallback: Bool) -> EnvironmentVariables {
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
