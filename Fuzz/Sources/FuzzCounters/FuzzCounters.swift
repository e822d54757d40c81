@testable import MPTCPCtlCLI
import MPTCPKit

/// MPTCP_INFO bytes as getsockopt returns them, decoded and shown as `counters` shows
/// them. The first input byte's low bit tells the decoder whether the kernel counts
/// address endpoints, so kernels with and without the flag are tried; the rest is the reply.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let counts = bytes.first.map { $0 & 1 == 1 } ?? false
    let counters = KernelCounters(info: Array(bytes.dropFirst()), countsAddressEndpoints: counts)
    let snapshot = NamespaceSnapshot(netns: "fuzz", endpoints: [], limits: Limits(subflows: 2, addAddrAccepted: 0),
                                     kernel: counters)
    let view = CountersView()
    _ = view.text(snapshot)
    _ = view.json(netns: "fuzz", .success(snapshot)).rendered()
    _ = view.table([(netns: "fuzz", result: .success(snapshot))])
    _ = DoctorView(netns: "fuzz").text(Doctor.diagnose(snapshot))
    return 0
}
