import Glibc
@testable import Launch
@testable import MPTCPKit

/// A thread's /proc status and cgroup files (the input up to its first NUL, and the rest),
/// as `run --intercept`'s supervisor reads them for the socket it makes in the thread's
/// name: `TaskIdentity.parse`, and the same files read whole from a folder laid out as
/// /proc (`TaskIdentity.read(thread:proc:)`). Whatever the bytes: no crash; the folder
/// reads as the text does; and the identity taken reads back the same from a status
/// holding only its ids, so no group is lost, added or changed on the way.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let cut = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let status = Array(bytes[..<cut]), cgroups = Array(bytes[min(cut + 1, bytes.endIndex)...])
    let text = String(decoding: status, as: UTF8.self).trimmingWhitespace
    let cgroupText = String(decoding: cgroups, as: UTF8.self).trimmingWhitespace
    let parsed = TaskIdentity.parse(status: text, cgroups: cgroupText)

    write(status, to: proc + "/1/status")
    write(cgroups, to: proc + "/1/cgroup")
    require(TaskIdentity.read(thread: 1, proc: proc) == parsed, "the files read otherwise than their text")

    guard let parsed else { return 0 }
    let again = "Uid:\t0\t0\t0\t\(parsed.fsuid)\nGid:\t0\t0\t0\t\(parsed.fsgid)\nGroups:\t"
        + parsed.groups.map { "\($0) " }.joined() + "\n"
    require(TaskIdentity.parse(status: again, cgroups: cgroupText) == parsed, "the identity does not read back")
    return 0
}

/// A folder of this process's, laid out as /proc with one thread, 1; removed at exit.
let proc: String = {
    let path = "/tmp/fuzz-task-identity-\(getpid())"
    mkdir(path, 0o700)
    mkdir(path + "/1", 0o700)
    atexit {
        for file in ["/1/status", "/1/cgroup"] { unlink(proc + file) }
        rmdir(proc + "/1")
        rmdir(proc)
    }
    return path
}()

func write(_ bytes: [UInt8], to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    require(fd >= 0, "cannot open \(path)")
    let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    close(fd)
    require(written == bytes.count, "cannot write \(path)")
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
