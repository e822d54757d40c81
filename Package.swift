// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mptcpctl",
    products: [
        .executable(name: "mptcpctl", targets: ["mptcpctl"]),
        // mptcpctl with `apply` files and help: the only binary that links Yams (and
        // Foundation) and swift-argument-parser; mptcpctl runs it for `apply`, `-b` and
        // help, so every other command starts lean.
        .executable(name: "mptcpctl-apply", targets: ["mptcpctl-apply"]),
        // A minimal MPTCP client and server for the tests and `make demo`.
        .executable(name: "mptcp-peer", targets: ["mptcp-peer"]),
        // What a program embeds to manage the path manager, without the command line.
        .library(name: "MPTCPKit", targets: ["MPTCPKit"]),
        // The libraries the fuzz targets in Fuzz/ build on (a package of their own, built
        // with -sanitize=fuzzer, which `swift build` here never sees).
        .library(name: "Netlink", targets: ["Netlink"]),
        .library(name: "Launch", targets: ["Launch"]),
        .library(name: "MPTCPKitTesting", targets: ["MPTCPKitTesting"]),
        .library(name: "MPTCPCtlCLI", targets: ["MPTCPCtlCLI"]),
        .library(name: "MPTCPCtlHelp", targets: ["MPTCPCtlHelp"]),
        .library(name: "StateFile", targets: ["StateFile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The C boundary of netlink, imported by the Netlink module only: libnl (genl,
        // route and the socket layer), and the system calls Glibc's module hides (setns,
        // unshare, signalfd), which Netlink's HiddenSystemCalls hands to MPTCPKit's OS shims.
        .systemLibrary(
            name: "CLibNL",
            pkgConfig: "libnl-genl-3.0",
            providers: [.apt(["libnl-genl-3-dev"])]
        ),
        .target(name: "CLinux"),
        // The C boundary of starting programs, imported by the Launch module only: the
        // child between fork and exec, `run --intercept`'s seccomp filter and listener,
        // openat2; and mptcp_socket_rule.h, the TCP → MPTCP rule the preload library
        // includes too. (Sources/mptcpwrap, the preload library of `run`, is C that other
        // programs load with LD_PRELOAD: the Makefile builds it with the C compiler, as a
        // product here would link the Swift runtime into every program it is loaded into.)
        .target(name: "CLaunch"),
        // Generic netlink sockets, messages and attributes over libnl; typed errno.
        .target(name: "Netlink", dependencies: ["CLibNL", "CLinux"]),
        // What a daemon embeds: the model, the mptcp_pm family, the path-manager client,
        // provisioning, diagnosis and the OS shims. No words, text, JSON or exit codes.
        .target(name: "MPTCPKit", dependencies: ["Netlink"]),
        // Starting programs: spawning, the seccomp filter and supervisor of `run
        // --intercept`, task identity, waiting for children, the preload environment, and
        // the files a launch depends on (an image's root). Only the command line imports it.
        .target(name: "Launch", dependencies: ["CLaunch", "MPTCPKit"]),
        // Stand-ins for the system a launch meets (a launcher that records, files in
        // memory, the kernel's side of the supervisor), for the in-process tests.
        .target(name: "LaunchTesting", dependencies: ["Launch", "MPTCPKit"]),
        // One fake kernel for tests and fuzzers.
        .target(name: "MPTCPKitTesting", dependencies: ["MPTCPKit", "Netlink"]),
        // The command line: ip-style parsing into typed commands, grammar, runners,
        // views, exit codes. No swift-argument-parser: `mptcpctl` starts without it.
        .target(name: "MPTCPCtlCLI", dependencies: ["MPTCPKit", "Launch"]),
        // The swift-argument-parser tree: help, the manual's dump, completion scripts.
        // Linked only into mptcpctl-apply, the helper mptcpctl hands help lines to.
        .target(
            name: "MPTCPCtlHelp",
            dependencies: [
                "MPTCPCtlCLI", "MPTCPKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Reads `apply` files with Yams (YAML, and JSON as a subset of it).
        .target(name: "StateFile", dependencies: ["MPTCPKit", .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "mptcpctl", dependencies: ["MPTCPCtlCLI"]),
        .executableTarget(name: "mptcpctl-apply", dependencies: ["MPTCPCtlCLI", "MPTCPCtlHelp", "StateFile"]),
        .executableTarget(name: "mptcp-peer"),
        // The architecture's rules read from the sources (which module imports which, who
        // starts programs, what is written once): it links no module and needs no root.
        .testTarget(name: "ArchitectureTests"),
        // One test target per module, then the kernel's black-box tests.
        .testTarget(name: "NetlinkTests", dependencies: ["Netlink", "MPTCPKitTesting"]),
        .testTarget(name: "MPTCPKitTests", dependencies: ["MPTCPKit", "MPTCPKitTesting", "Netlink"]),
        .testTarget(name: "LaunchTests", dependencies: ["Launch", "LaunchTesting", "MPTCPKit"]),
        .testTarget(name: "MPTCPCtlCLITests", dependencies: ["MPTCPCtlCLI", "MPTCPKit", "Launch", "LaunchTesting", "MPTCPKitTesting", "StateFile"]),
        .testTarget(name: "MPTCPCtlHelpTests", dependencies: ["MPTCPCtlHelp", "MPTCPCtlCLI", "mptcpctl", "mptcpctl-apply"]),
        .testTarget(name: "StateFileTests", dependencies: ["StateFile", "MPTCPKit"]),
        .testTarget(name: "KernelTests", dependencies: ["MPTCPKit", "Netlink", "mptcpctl", "mptcpctl-apply", "mptcp-peer"]),
    ]
)
