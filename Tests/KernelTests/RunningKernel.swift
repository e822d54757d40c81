import Foundation
import MPTCPKit
import Netlink

/// The MPTCP features of the kernel the tests run on, each asked of the kernel itself
/// (never read from its version: distributions backport). `make test-kernels` runs the
/// kernel tests on Debian's 6.1, 6.12 and sid's 7.2 besides this machine's 6.18: a test
/// that needs a feature says so here, and where the running kernel lacks it, asserts the
/// clean refusal instead. No test is skipped on any kernel.
enum RunningKernel {
    /// `uname -r`.
    static let release: String = {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()

    /// `address` (laminar) endpoints, flag 0x20 kept by the kernel: Linux 6.18.
    static let hasAddressEndpoints: Bool = KernelFeatures.keepsAddressFlag ?? false

    /// `net.mptcp.path_manager` (and `available_path_managers`): Linux 6.15; `pm_type` before.
    static let hasPathManagerSysctl = FileManager.default.fileExists(atPath: "/proc/sys/net/mptcp/path_manager")

    /// Whether the kernel has `net.mptcp.KEY`.
    static func hasSysctl(_ key: String) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/sys/net/mptcp/\(key)")
    }

    /// The largest value of a limit, from the kernel's own refusal of a larger one
    /// ("limit greater than maximum (8)" until 7.x, 64 since).
    static let limitMax: UInt32 = probe { manager in
        do throws(PathManagerError) {
            try manager.setLimits(LimitsChange(subflows: 255))
            return 255
        } catch {
            guard case let .kernel(_, extack?) = error, let open = extack.lastIndex(of: "("),
                  let value = UInt32(extack[extack.index(after: open)...].prefix { $0.isNumber }) else { return 0 }
            return value
        }
    }

    /// How many endpoints a namespace holds: the kernel answers ERANGE to one more
    /// (8 until 7.x).
    static let endpointMax: Int = probe { manager in
        for count in 0..<255 {
            let address = IPAddress("10.\(count / 200 + 100).\(count % 200).1")!
            do throws(PathManagerError) {
                _ = try manager.add(EndpointSpec(address: address, flags: [.subflow]))
            } catch {
                return count
            }
        }
        return 255
    }

    /// The kernel's extack text for a port endpoint whose address no interface has
    /// ("create listen socket error: -99" on 6.18, without the number on 6.1).
    static let listenSocketError = ipError(setUp: ["link set lo up"], "mptcp endpoint add 10.0.9.1 port 10100 signal")

    /// What the kernel answers `ip LINE` in a throwaway namespace after `setUp` (ip
    /// lines): its extack text, as ip prints it between "Error: " and the final ".".
    static func ipError(setUp: [String] = [], _ line: String) -> String {
        do {
            let ns = try TestNamespace()
            for command in setUp { ns.ip(command) }
            var text = ns.ip(line).stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.hasPrefix("Error: ") else { fatalError("ip \(line) was not refused: \(text)") }
            text.removeFirst("Error: ".count)
            if text.hasSuffix(".") { text.removeLast() }
            return text
        } catch {
            fatalError("cannot probe the running kernel: \(error)")
        }
    }

    /// Runs `body` with the path manager of a throwaway namespace.
    private static func probe<T>(_ body: (PathManager) -> T) -> T {
        do {
            let ns = try TestNamespace()
            return try withExtendedLifetime(ns) { body(try PathManager.open(netns: ns.name)) }
        } catch {
            fatalError("cannot probe the running kernel: \(error)")
        }
    }

    /// One line for the logs of `make test-kernels`.
    static var summary: String {
        "kernel \(release): address endpoints \(hasAddressEndpoints ? "yes" : "no"), "
            + "path_manager sysctl \(hasPathManagerSysctl ? "yes" : "no"), limits up to \(limitMax), "
            + "\(endpointMax) endpoints"
    }

    /// Listener events (LISTENER_CREATED, LISTENER_CLOSED): Linux 6.2. Asked by listening
    /// on an MPTCP socket in a throwaway namespace and watching its events.
    static let hasListenerEvents: Bool = {
        do {
            let ns = try TestNamespace()
            return try withExtendedLifetime(ns) {
                let monitor = try EventMonitor.open(netns: ns.name)
                let listened = ns.exec(["python3", "-c", "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); "
                    + "s.bind(('0.0.0.0', 5000)); s.listen(); s.close()"])
                guard listened.status == 0 else { fatalError("cannot listen on an MPTCP socket: \(listened)") }
                while case let .events(events, _) = try monitor.next(timeout: 1000) {
                    if events.contains(where: { $0.kind == .listenerCreated }) { return true }
                }
                return false
            }
        } catch {
            fatalError("cannot probe the running kernel: \(error)")
        }
    }()

    /// The `doctor` findings (check names) every namespace with MPTCP on and the in-kernel
    /// path manager has on this kernel, whatever its configuration: a kernel without
    /// address endpoints (before Linux 6.18) does not report their counter in MPTCP_INFO.
    static var standingFindings: [String] { hasAddressEndpoints ? [] : ["address-counter-unavailable"] }

    /// The fixes of `standingFindings`, in their order.
    static var standingFixes: [String] { hasAddressEndpoints ? [] : ["run Linux 6.18 or later"] }

    /// The sysctl (`net.mptcp.KEY=VALUE`) that makes a namespace's path manager the
    /// userspace one (`userspace: true`) or the in-kernel one: `path_manager` (Linux 6.15),
    /// `pm_type` before.
    static func pathManagerSysctl(userspace: Bool) -> String {
        hasPathManagerSysctl ? "net.mptcp.path_manager=\(userspace ? "userspace" : "kernel")"
            : "net.mptcp.pm_type=\(userspace ? 1 : 0)"
    }

    /// The kernel's extack text for an endpoint whose address another endpoint has
    /// ("too many addresses or duplicate one: -17" on 6.18, without the number on 6.1).
    static let duplicateAddressError = ipError(setUp: ["mptcp endpoint add 10.0.2.1 subflow"], "mptcp endpoint add 10.0.2.1 signal")

    /// The largest value of a limit the kernel takes, found by setting larger ones until
    /// it refuses (`limitMax` reads the number from the refusal, which 6.1's does not
    /// name: "limit greater than maximum"): 8 until 7.x, 64 since.
    static let largestLimit: UInt32 = probe { manager in
        for value in UInt32(1)...256 {
            do throws(PathManagerError) {
                try manager.setLimits(LimitsChange(subflows: value))
            } catch {
                return value - 1
            }
        }
        return 256
    }

    /// The kernel's extack text for a limit above `largestLimit` ("limit greater than
    /// maximum (8)" on 6.18, without the number on 6.1).
    static let limitError = ipError("mptcp limits set subflows \(largestLimit + 1)")
}
