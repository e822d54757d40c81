// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mptcpctl",
    products: [
        .executable(name: "mptcpctl", targets: ["mptcpctl"]),
        // mptcpctl with `apply` files: the only binary that links Yams (and Foundation);
        // mptcpctl runs it for `apply`, so every other command starts lean.
        .executable(name: "mptcpctl-apply", targets: ["mptcpctl-apply"]),
        // A minimal MPTCP client and server for the tests and `make demo`.
        .executable(name: "mptcp-peer", targets: ["mptcp-peer"]),
        // The libraries, for the fuzz targets in Fuzz/ (a package of their own, built with
        // -sanitize=fuzzer, which `swift build` here never sees).
        .library(name: "Netlink", targets: ["Netlink"]),
        .library(name: "MPTCPKit", targets: ["MPTCPKit"]),
        .library(name: "MPTCPCtlCLI", targets: ["MPTCPCtlCLI"]),
        .library(name: "StateFile", targets: ["StateFile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The C boundary: libnl-genl-3, imported by the Netlink module only.
        .systemLibrary(
            name: "CLibNL",
            pkgConfig: "libnl-genl-3.0",
            providers: [.apt(["libnl-genl-3-dev"])]
        ),
        // Generic netlink sockets, messages and attributes over libnl.
        .target(name: "Netlink", dependencies: ["CLibNL"]),
        // The MPTCP path manager: endpoints, limits, namespaces, grammar, output.
        .target(name: "MPTCPKit", dependencies: ["Netlink"]),
        // Reads `apply` files with Yams (YAML, and JSON as a subset of it).
        .target(name: "StateFile", dependencies: ["MPTCPKit", .product(name: "Yams", package: "Yams")]),
        // The command tree (swift-argument-parser) and the run loop with exit codes.
        .target(
            name: "MPTCPCtlCLI",
            dependencies: [
                "MPTCPKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "mptcpctl", dependencies: ["MPTCPCtlCLI"]),
        .executableTarget(name: "mptcpctl-apply", dependencies: ["MPTCPCtlCLI", "StateFile"]),
        .executableTarget(name: "mptcp-peer"),
        .testTarget(name: "MPTCPKitTests", dependencies: ["MPTCPKit", "Netlink", "MPTCPCtlCLI", "StateFile"]),
        .testTarget(name: "KernelTests", dependencies: ["MPTCPKit", "Netlink", "mptcpctl", "mptcpctl-apply", "mptcp-peer"]),
    ]
)
