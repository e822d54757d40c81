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
}
