import Foundation
import Launch
import Testing

/// The environment `run` starts a program with: the library after the caller's own
/// preloads, MPTCP asked of Go unless the caller chose, the fallback switch.
struct MPTCPPreloadTests {
    let library = "/usr/local/lib/mptcpctl/libmptcpwrap.so"

    @Test func anEmptyEnvironmentGetsTheLibraryAndGoAskedForMPTCP() {
        #expect(MPTCPPreload.environment([:], library: library, fallback: true)
            == ["LD_PRELOAD": library, "GODEBUG": "multipathtcp=1"])
        #expect(MPTCPPreload.environment(["PATH": "/bin"], library: library, fallback: false)
            == ["PATH": "/bin", "LD_PRELOAD": library, "GODEBUG": "multipathtcp=1", "MPTCPCTL_NO_FALLBACK": "1"])
    }

    @Test func theCallersPreloadsAndGoSettingsAreKept() {
        let given: EnvironmentVariables = ["LD_PRELOAD": "libone.so:/opt/two.so", "GODEBUG": "http2debug=1,x509sha1=1", "MPTCPCTL_NO_FALLBACK": "1"]
        #expect(MPTCPPreload.environment(given, library: library, fallback: true)
            == ["LD_PRELOAD": "libone.so /opt/two.so \(library)", "GODEBUG": "http2debug=1,x509sha1=1,multipathtcp=1"])
        // Go's own choice wins, whatever its value; the library is not loaded twice.
        let chosen: EnvironmentVariables = ["LD_PRELOAD": "\(library) libone.so", "GODEBUG": "multipathtcp=0"]
        #expect(MPTCPPreload.environment(chosen, library: library, fallback: true) == chosen)
        #expect(MPTCPPreload.environment(["GODEBUG": "netdns=go,multipathtcp=2"], library: library, fallback: true)["GODEBUG"]
            == "netdns=go,multipathtcp=2")
        // A setting whose name only starts the same is another one.
        #expect(MPTCPPreload.environment(["GODEBUG": "multipathtcpx=1"], library: library, fallback: true)["GODEBUG"]
            == "multipathtcpx=1,multipathtcp=1")
    }

    @Test func theLibraryIsLookedForBesideTheBinaryThenInLib() {
        #expect(MPTCPPreload.candidates(besideBinaryIn: "/usr/local/sbin")
            == ["/usr/local/sbin/libmptcpwrap.so", "/usr/local/sbin/../lib/mptcpctl/libmptcpwrap.so"])
        #expect(MPTCPPreload.library(besideBinaryIn: "/nonexistent-\(UInt32.random(in: 0...UInt32.max))") == nil)
    }
}
