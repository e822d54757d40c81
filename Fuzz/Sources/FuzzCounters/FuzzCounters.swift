@testable import MPTCPCtlCLI
import MPTCPKit

/// MPTCP_INFO bytes as getsockopt returns them, decoded and shown as `counters` shows
/// them. The first two input bytes choose the kernel release the decoder is told
/// (major, minor), so both sides of 6.18 are tried; the rest is the reply.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let release = bytes.count >= 2 ? KernelRelease(major: Int(bytes[0] % 8), minor: Int(bytes[1] % 32)) : nil
    let counters = KernelCounters(info: Array(bytes.dropFirst(2)), kernel: release)
    let snapshot = NamespaceSnapshot(netns: "fuzz", endpoints: [], limits: Limits(subflows: 2, addAddrAccepted: 0),
                                     kernel: counters)
    let view = CountersView()
    _ = view.text(snapshot)
    _ = view.json(netns: "fuzz", .success(snapshot)).rendered()
    _ = view.table([(netns: "fuzz", result: .success(snapshot))])
    _ = DoctorView(netns: "fuzz").text(Doctor.diagnose(snapshot))
    return 0
}
