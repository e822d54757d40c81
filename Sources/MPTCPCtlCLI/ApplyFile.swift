import Glibc
import MPTCPKit

/// Who reads apply files. Reading YAML takes Yams and with it Foundation, which would
/// cost every command a few milliseconds of start-up; so `mptcpctl` leaves `reader`
/// nil and hands `apply` and `-b FILE` over to `mptcpctl-apply`, which sets it.
public enum ApplyFile {
    public typealias Reader = @Sendable (_ text: String, _ file: String) throws(DesiredState.Invalid) -> DesiredState

    /// Set by `mptcpctl-apply` before it runs; nil in `mptcpctl`.
    nonisolated(unsafe) public static var reader: Reader?

    /// Whether this command line reads files that only `mptcpctl-apply` can.
    static func needsReader(_ invocation: Invocation) -> Bool {
        if case .batch = invocation.mode { return true }
        return invocation.mode == .run && invocation.path.first == "apply"
    }

    /// Replaces this process with `mptcpctl-apply` and the same arguments.
    static func handOver(_ arguments: [String]) throws(MPTCPError) -> Never {
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
