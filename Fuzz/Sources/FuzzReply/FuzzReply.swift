@testable import MPTCPCtlCLI
import MPTCPKit
import Netlink

/// A reply of GET_ADDR or GET_LIMITS as the kernel would send it: one netlink message,
/// decoded, then shown the ways `endpoint show` and `limits show` show it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let message = GenericMessage(bytes: bytes) else { return 0 }
    if let endpoint = try? Endpoint(message: message) {
        let view = EndpointView(interfaceName: { $0 == 2 ? "eth1" : nil })
        _ = view.table([endpoint])
        _ = view.json(endpoint).rendered(pretty: true)
        _ = EndpointView.summary(EndpointCounts([endpoint]), limits: Limits(subflows: 2, addAddrAccepted: 0))
    }
    if let limits = try? Limits(message: message) {
        _ = LimitsView.json(limits).rendered()
    }
    return 0
}
