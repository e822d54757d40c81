import Foundation
import Launch
@testable import MPTCPCtlCLI
import Testing

/// Where systemd finds a service's unit file and drop-ins, read from a sample image
/// (Tests/Systemd/image, through `RootDirectory`): the first directory's file hides the
/// others of its name, drop-ins apply by name across the directories, an instance has
/// its template's, `a-b-c.service` has `a-.service.d` and `a-b-.service.d`, every
/// service has `service.d`; links resolve inside the image. systemd itself is asked
/// too (`systemd-analyze verify` of the image lists what it loaded), and must agree.
struct UnitSearchPathTests {
    static let image = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Systemd/image").path

    static func search() throws -> UnitSearchPath { try UnitSearchPath(root: image, in: SystemFileSystem()) }

    /// Each unit's file and its drop-ins (ours too), as read here.
    static func files(_ unit: String) throws -> [String] {
        let search = try search()
        return try [#require(search.unitFile(unit))] + search.dropIns(unit, leaving: "").map(\.path)
    }

    @Test func theUnitFileAndItsDropInsAreTheOnesSystemdApplies() throws {
        #expect(try Self.files("web.service") == [
            "/etc/systemd/system/web.service", "/usr/lib/systemd/system/service.d/05-every.conf",
            "/etc/systemd/system/web.service.d/10-override.conf", "/run/systemd/system/web.service.d/20-runtime.conf",
            "/usr/lib/systemd/system/web.service.d/30-vendor.conf", "/etc/systemd/system/web.service.d/50-mptcp.conf",
        ])
        #expect(try Self.files("getty@tty1.service") == [
            "/usr/lib/systemd/system/getty@.service", "/usr/lib/systemd/system/service.d/05-every.conf",
            "/usr/lib/systemd/system/getty@.service.d/10-template.conf", "/etc/systemd/system/getty@tty1.service.d/20-instance.conf",
        ])
        #expect(try Self.files("a-b-c.service") == [
            "/usr/lib/systemd/system/a-b-c.service", "/usr/lib/systemd/system/service.d/05-every.conf",
            "/usr/lib/systemd/system/a-.service.d/10-a.conf", "/usr/lib/systemd/system/a-b-.service.d/20-ab.conf",
        ])
        #expect(try Self.files("local.service") == [
            "/usr/local/lib/systemd/system/local.service", "/usr/lib/systemd/system/service.d/05-every.conf",
        ])
        // An image whose /usr is not merged: /lib/systemd/system comes before
        // /usr/lib/systemd/system, as systemd 252 (Debian 12) searches them.
        #expect(try Self.files("split.service") == [
            "/lib/systemd/system/split.service", "/usr/lib/systemd/system/service.d/05-every.conf",
        ])
        #expect(try Self.search().unitFile("none.service") == nil)
        #expect(try Self.search().dropIns("web.service", leaving: DropInView.fileName).map(\.name)
            == ["05-every.conf", "10-override.conf", "20-runtime.conf", "30-vendor.conf"])
    }

    /// systemd's own answer for the same image: the Fragment and DropIn paths of the
    /// unit it loaded.
    @Test(arguments: ["web.service", "getty@tty1.service", "a-b-c.service", "local.service", "split.service"])
    func systemdFindsTheSameFiles(unit: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["systemd-analyze", "verify", "--man=no", "--root=\(Self.image)", unit]
        process.environment = ["SYSTEMD_LOG_LEVEL": "debug", "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let dump = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let loaded = dump.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            for label in ["Fragment Path: ", "DropIn Path: "] where trimmed.hasPrefix(label) {
                return String(trimmed.dropFirst(label.count).dropFirst(Self.image.count))
            }
            return nil
        }
        #expect(try loaded == Self.files(unit), "systemd-analyze said:\n\(dump.suffix(2000))")
    }

    @Test func linksResolveInsideTheImage() throws {
        let search = try Self.search()
        // /opt/units/linked.service is the image's, not this machine's.
        #expect(search.unitFile("linked.service") == "/etc/systemd/system/linked.service")
        #expect(try UnitFile(parsing: search.contents("/etc/systemd/system/linked.service")).value(of: "LINKED") == "inside-the-image")
        #expect(search.root.linkTarget("/etc/systemd/system/linked.service") == "/opt/units/linked.service")
        // A link to /dev/null masks what it names, and reads as nothing.
        #expect(search.masks("/etc/systemd/system/masked.service") && !search.masks("/etc/systemd/system/web.service"))
        #expect(try search.contents("/etc/systemd/system/masked.service") == [])
        #expect(search.onDisk("/etc/x") == Self.image + "/etc/x")
    }

    @Test func servicesSocketsAndTheDropInsOfMptcpctlAreFound() throws {
        let search = try Self.search()
        #expect(search.services() == ["a-b-c.service", "linked.service", "local.service", "masked.service", "split.service", "web.service"])
        #expect(search.services(withDropIn: DropInView.fileName).map(\.unit) == ["other.service", "web.service"])
        #expect(search.socketUnit("web.service") == "/usr/lib/systemd/system/web.socket")
        #expect(search.socketUnit("local.service") == nil)
    }

    /// What the drop-in carries back: the administrator's copy of web.service hides the
    /// vendor's (and its LD_PRELOAD); its GODEBUG is the last before ours.
    @Test func theUnitsOwnEnvironmentIsTheOneBeforeTheDropIn() throws {
        let search = try Self.search()
        let environment = try UnitEnvironment(unit: "web.service", unitFile: "/etc/systemd/system/web.service", search: search)
        #expect(environment.files.map(\.name) == ["", "05-every.conf", "10-override.conf", "20-runtime.conf", "30-vendor.conf"])
        #expect(environment.inherited.mapValues { "\($0.value) from \($0.file)" } == ["GODEBUG": "admin=1 from /etc/systemd/system/web.service"])
    }
}
