import Foundation
import Launch
import MPTCPKit
@testable import MPTCPCtlCLI
import Testing

/// `enable` writes the library's path into root's services: only a library nobody but
/// root can replace is given (issue 29, item 5).
struct PreloadTrustTests {
    /// A folder only root can write (under /run, root's 0755), with a library in it;
    /// each test spoils one piece.
    final class Folder {
        let path = "/run/mptcpctl-test-trust-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var library: String { path + "/libmptcpwrap.so" }

        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            try Data("not a library".utf8).write(to: URL(fileURLWithPath: library))
            chmod(path, 0o755)
            chmod(library, 0o644)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func refusal(_ why: String) -> CLIError {
            .environment("enable: the preload library \(library) is not safe to preload into root's services: \(why), "
                + "or install mptcpctl where only root can write ('make install')")
        }
    }

    @Test func aLibraryOnlyRootCanReplaceIsTaken() throws {
        let folder = try Folder()
        try MPTCPPreload.requireRootOnly(folder.library, by: "enable", SystemFileSystem())
        // Through a link too: the check is on the canonical path enable writes.
        #expect(symlink(folder.library, folder.path + "/link.so") == 0)
        let canonical = try SystemFileSystem().canonicalPath(folder.path + "/link.so")
        #expect(canonical == folder.library)
        try MPTCPPreload.requireRootOnly(canonical, by: "enable", SystemFileSystem())
    }

    @Test func aLibraryOthersCouldReplaceIsRefusedWithTheReason() throws {
        let folder = try Folder()
        for mode: mode_t in [0o777, 0o775, 0o1777] {
            chmod(folder.path, mode)
            #expect(throws: folder.refusal("\(folder.path) is writable by group or others (mode \(mode == 0o1777 ? "1777" : "0" + String(mode, radix: 8)))"
                + ": they could replace the library; fix: 'chmod go-w \(folder.path)'")) { try MPTCPPreload.requireRootOnly(folder.library, by: "enable", SystemFileSystem()) }
        }
        chmod(folder.path, 0o755)
        chmod(folder.library, 0o664)
        #expect(throws: folder.refusal("\(folder.library) is writable by group or others (mode 0664): they could replace the library; "
            + "fix: 'chmod go-w \(folder.library)'")) { try MPTCPPreload.requireRootOnly(folder.library, by: "enable", SystemFileSystem()) }
        chmod(folder.library, 0o644)
        #expect(chown(folder.library, 65534, 65534) == 0)
        #expect(throws: folder.refusal("\(folder.library) is owned by uid 65534, not root: its owner could replace the library; "
            + "fix: 'chown root \(folder.library)'")) { try MPTCPPreload.requireRootOnly(folder.library, by: "enable", SystemFileSystem()) }
        #expect(chown(folder.library, 0, 0) == 0 && chown(folder.path, 65534, 65534) == 0)
        #expect(throws: folder.refusal("\(folder.path) is owned by uid 65534, not root: its owner could replace the library; "
            + "fix: 'chown root \(folder.path)'")) { try MPTCPPreload.requireRootOnly(folder.library, by: "enable", SystemFileSystem()) }
        #expect(chown(folder.path, 0, 0) == 0)
        // A link in its place is judged as what it is, not as what it points to.
        let link = folder.path + "/link.so"
        #expect(symlink(folder.library, link) == 0)
        #expect(throws: CLIError.environment("enable: the preload library \(link) is not safe to preload into root's services: "
            + "\(link) is not a regular file, or install mptcpctl where only root can write ('make install')")) {
            try MPTCPPreload.requireRootOnly(link, by: "enable", SystemFileSystem())
        }
    }

    /// A sticky directory is writable by others all the same: sshd refuses /tmp too.
    @Test func aLibraryUnderTmpIsRefused() throws {
        let folder = NSTemporaryDirectory() + "mptcpctl-test-trust-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        chmod(folder, 0o700)
        try Data().write(to: URL(fileURLWithPath: folder + "/libmptcpwrap.so"))
        let tmp = "/" + (folder.split(separator: "/").first ?? "tmp")
        #expect(throws: CLIError.environment("enable: the preload library \(folder)/libmptcpwrap.so is not safe to preload into root's "
            + "services: \(tmp) is writable by group or others (mode 1777): they could replace the library; fix: 'chmod go-w \(tmp)', "
            + "or install mptcpctl where only root can write ('make install')")) {
            try MPTCPPreload.requireRootOnly(folder + "/libmptcpwrap.so", by: "enable", SystemFileSystem())
        }
    }
}
