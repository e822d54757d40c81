import Glibc
import MPTCPKit

/// Reading YAML takes Yams and with it Foundation, which would cost every command a
/// few milliseconds of start-up; so `mptcpctl` has no state-file reader and hands
/// `apply` and `-b FILE` over to `mptcpctl-apply`, which has one.
enum ApplyHandOver {
    /// Whether this command line reads files that only `mptcpctl-apply` can.
    static func needed(for invocation: Invocation) -> Bool {
        if case .batch = invocation.mode { return true }
        if case .apply = invocation.command { return true }
        return false
    }

    /// Replaces this process with `mptcpctl-apply` and the same arguments.
    static func exec(_ arguments: [String]) throws(CLIError) -> Never {
        let candidates = ["mptcpctl-apply", "../libexec/mptcpctl/mptcpctl-apply"].map { directory + "/" + $0 }
        guard let helper = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw .environment("apply and -b need mptcpctl-apply beside mptcpctl (looked for \(candidates.joined(separator: ", "))); "
                + "reinstall with 'make install'")
        }
        var argv = ([helper] + arguments.dropFirst()).map { strdup($0) }
        argv.append(nil)
        execv(helper, &argv)
        throw .environment("cannot run \(helper): \(String(cString: strerror(errno)))")
    }

    /// The directory of the running binary.
    private static var directory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "." }
        let path = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }
}
