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
    static let hasAddressEndpoints: Bool = (try? KernelFeatures.running.keepsAddressFlag().get()) ?? false

    /// `net.mptcp.path_manager` (and `available_path_managers`): Linux 6.15; `pm_type` before.
    static let hasPathManagerSysctl = FileManager.default.fileExists(atPath: "/proc/sys/net/mptcp/path_manager")

    /// Whether the kernel has `net.mptcp.KEY`.
    static func hasSysctl(_ key: String) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/sys/net/mptcp/\(key)")
    }

    /// The largest value of a limit: the kernel refuses any larger one ("limit greater
    /// than maximum (8)" until 7.x, 64 since; 6.1 does not name the number), found by
    /// bisection over what the kernel takes.
    static let limitMax: UInt32 = probe { manager in
        var low: UInt32 = 0, high: UInt32 = 256 // the kernel takes `low`, refuses `high`
        while high - low > 1 {
            let middle = (low + high) / 2
            do throws(PathManagerError) {
                try manager.setLimits(LimitsChange(subflows: middle))
                low = middle
            } catch {
                high = middle
            }
        }
        return low
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

    /// The kernel's extack text for a limit above `limitMax` ("limit greater than
    /// maximum (8)" on 6.18, without the number on 6.1).
    static let limitError = ipError("mptcp limits set subflows \(limitMax + 1)")
}

extension RunningKernel {
    /// What the kernel answers a second endpoint with an address one already has, as
    /// mptcpctl reports it after "the kernel refused: ": its errno name and extack, and
    /// mptcpctl's hint where the errno names the cause. EEXIST and "too many addresses or
    /// duplicate one: -17" on 6.18; EINVAL without the number on 6.1, where one errno
    /// stands for a full namespace, a taken id and a duplicate address alike (no hint).
    static let duplicateAddressRefusal: String = {
        let (code, extack): (Int32, String) = probe { manager in
            do throws(PathManagerError) {
                try manager.add(EndpointSpec(address: IPAddress("10.0.2.1")!, flags: [.subflow]))
                try manager.add(EndpointSpec(address: IPAddress("10.0.2.1")!, flags: [.signal]))
                fatalError("the kernel took a second endpoint with the same address")
            } catch {
                guard case let .kernel(code, extack?) = error else { fatalError("cannot probe the running kernel: \(error)") }
                return (code.rawValue, extack)
            }
        }
        let hint = code == EEXIST ? " (an endpoint with this address already exists; see 'mptcpctl endpoint show')" : ""
        return "\(Errno(rawValue: code).name): \(extack)\(hint)"
    }()

    /// `net.mptcp.scheduler`: Linux 6.6.
    static let hasScheduler = hasSysctl("scheduler")

    /// `net.mptcp.available_schedulers` (read only): Linux 6.10.
    static let hasAvailableSchedulers = hasSysctl("available_schedulers")

    /// The `net.mptcp.*` keys of the running kernel that can be set, in the order mptcpctl
    /// lists them ("the kernel of namespace … has …").
    static let writableSysctls: [String] = {
        let keys = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/sys/net/mptcp")) ?? []
        return keys.filter { access("/proc/sys/net/mptcp/\($0)", W_OK) == 0 }.sorted()
    }()

    /// The userspace path manager's addresses of one connection, listed by token (GET_ADDR
    /// dump with a token): Linux 6.9. Before, the kernel ignores the token.
    static let listsUserspaceAddresses: Bool = (try? KernelFeatures.running.listsUserspaceAddresses().get()) ?? false

    /// Whether mptcp_info holds the bytes sent and received (bytes_sent and the rest,
    /// Linux 6.5: 80 bytes or more), from the length of the kernel's MPTCP_INFO reply.
    static let reportsByteCounters: Bool = ((try? RawGenericSocket.mptcpInfo())?.count ?? 0) >= 80
}
