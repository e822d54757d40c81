import Foundation
import MPTCPKit
import Testing

/// A file that decides what root does is checked on what was opened, and on every
/// directory above it, as sshd's StrictModes checks key files. (A race in which another
/// user swaps the file between a check and the read cannot be timed reliably from a
/// test: what is pinned here is that the file read is the descriptor checked.)
struct FileTrustTests {
    /// A private directory under /tmp for one test, removed after it.
    final class Scratch {
        let path: String
        init() throws {
            var template = Array((NSTemporaryDirectory() + "mptcpctl-trust-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
            // The kernel's name for it, as the file's directories are checked by.
            path = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }

        @discardableResult
        func file(_ name: String, _ text: String = "endpoints: []\n", mode: mode_t = 0o600) throws -> String {
            let file = path + "/" + name
            try text.write(toFile: file, atomically: false, encoding: .utf8)
            chmod(file, mode)
            return file
        }

        func directory(_ name: String, mode: mode_t) throws -> String {
            let directory = path + "/" + name
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            chmod(directory, mode)
            return directory
        }
    }

    @Test func aPrivateFileIsRead() throws {
        let scratch = try Scratch()
        #expect(String(decoding: try FileTrust.read(try scratch.file("s.yaml")), as: UTF8.self) == "endpoints: []\n")
    }

    /// A directory others may write, anywhere above the file, lets them put another
    /// file in its place: refused, naming the directory and its mode.
    @Test func aWritableDirectoryAboveIsRefused() throws {
        let scratch = try Scratch()
        let open = try scratch.directory("open", mode: 0o777)
        let file = try scratch.file("open/s.yaml")
        #expect(throws: FileTrust.Problem.writableDirectory(path: open, mode: 0o777)) { try FileTrust.read(file) }
        _ = try scratch.directory("open/deeper", mode: 0o755)
        let deeper = try scratch.file("open/deeper/s.yaml")
        #expect(throws: FileTrust.Problem.writableDirectory(path: open, mode: 0o777)) { try FileTrust.read(deeper) }
        chmod(open, 0o775)
        #expect(throws: FileTrust.Problem.writableDirectory(path: open, mode: 0o775)) { try FileTrust.read(deeper) }
        chmod(open, 0o755)
        #expect(try FileTrust.read(deeper).count == 14)
    }

    /// In a sticky directory (as /tmp is) only an entry's owner may replace it, and the
    /// entry is checked: accepted.
    @Test func aStickyDirectoryIsAccepted() throws {
        let scratch = try Scratch()
        _ = try scratch.directory("sticky", mode: 0o1777)
        #expect(try FileTrust.read(try scratch.file("sticky/s.yaml")).count == 14)
    }

    /// A link is followed, and the directories checked are those of the file reached.
    @Test func theDirectoriesOfTheFileReachedAreChecked() throws {
        let scratch = try Scratch()
        let open = try scratch.directory("open", mode: 0o777)
        let hidden = try scratch.file("open/s.yaml")
        let safe = try scratch.file("safe.yaml")
        let viaOpen = open + "/link"
        try FileManager.default.createSymbolicLink(atPath: viaOpen, withDestinationPath: safe)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/into-open", withDestinationPath: hidden)
        #expect(try FileTrust.read(viaOpen).count == 14)
        #expect(throws: FileTrust.Problem.writableDirectory(path: open, mode: 0o777)) { try FileTrust.read(scratch.path + "/into-open") }
    }

    /// The file read is the one opened and checked: one put in its place afterwards
    /// (what a user who owns the directory would do between a check by name and a
    /// read by name) is not read.
    @Test func aFileSwappedAfterItWasOpenedIsNotRead() throws {
        let scratch = try Scratch()
        let file = try scratch.file("s.yaml")
        let other = try scratch.file("other.yaml", "endpoints: [{address: 10.6.6.6}]\n")
        let fd = try FileTrust.open(file)
        defer { close(fd) }
        #expect(rename(other, file) == 0)
        #expect(String(decoding: try FileTrust.read(fd, path: file), as: UTF8.self) == "endpoints: []\n")
    }

    /// A FIFO would hang a read, a device never end: neither is opened for long.
    @Test func onlyRegularFilesOfBoundedSizeAreRead() throws {
        let scratch = try Scratch()
        let fifo = scratch.path + "/fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FileTrust.Problem.notRegular(path: fifo, mode: S_IFIFO | 0o600)) { try FileTrust.read(fifo) }
        #expect(throws: FileTrust.Problem.notRegular(path: "/dev/zero", mode: S_IFCHR | 0o666)) { try FileTrust.read("/dev/zero") }
        let big = try scratch.file("big.yaml", String(repeating: "#\n", count: 100))
        #expect(throws: FileTrust.Problem.tooLarge(path: big, size: 200, limit: 199)) { try FileTrust.read(big, limit: 199) }
        #expect(try FileTrust.read(big, limit: 200).count == 200)
    }

    @Test func theFileItselfIsCheckedFirst() throws {
        let scratch = try Scratch()
        let file = try scratch.file("s.yaml", mode: 0o620)
        #expect(throws: FileTrust.Problem.writableByOthers(path: file, mode: 0o620)) { try FileTrust.read(file) }
        #expect(throws: FileTrust.Problem.cannotRead(path: scratch.path + "/none", .noSuchFileOrDirectory)) {
            try FileTrust.read(scratch.path + "/none")
        }
    }
}
