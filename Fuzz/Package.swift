// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for mptcpctl's decoders and parsers, in a package of their own: a
// target has no `main` (libFuzzer brings it), so it links only with the fuzzer
// sanitizer, which the main package's `swift build` never uses. `make fuzz` builds and
// runs them; see README.md here.
let fuzzTargets = ["FuzzReply", "FuzzAttributes", "FuzzEvent", "FuzzCounters", "FuzzCommandLine", "FuzzApply", "FuzzSockDiag", "FuzzRouteMessages", "FuzzRules", "FuzzUnitFile", "FuzzTaskIdentity"]

// `name:` because a path dependency's identity is its directory's name, which differs
// between checkouts; the products are looked up in the package named here.
let mptcpctl: [Target.Dependency] = ["Netlink", "MPTCPKit", "Launch", "MPTCPKitTesting", "MPTCPCtlCLI", "StateFile"]
    .map { .product(name: $0, package: "mptcpctl") }

let package = Package(
    name: "mptcpctl-fuzz",
    dependencies: [.package(name: "mptcpctl", path: "..")],
    // The stand-in for the kernel is the tests' own (MPTCPKitTesting's FakeKernel).
    targets: fuzzTargets.map { .executableTarget(name: $0, dependencies: mptcpctl) }
)
