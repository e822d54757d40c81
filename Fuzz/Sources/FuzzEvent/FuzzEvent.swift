@testable import MPTCPCtlCLI
import MPTCPKit
import Netlink

/// One datagram of the mptcp_pm_events group: its messages decoded into events and
/// printed as `monitor` prints them, in text and as NDJSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let datagram = Array(UnsafeBufferPointer(start: data, count: size))
    let view = EventView(interfaceName: { $0 == 2 ? "eth1" : nil })
    let time = Timestamp(seconds: 1_700_000_000, microseconds: 123_456)
    for message in GenericMessage.messages(inDatagram: datagram) {
        let event = PathManagerEvent(message: message)
        _ = view.text(event, time: time)
        _ = view.json(event, time: time).rendered()
    }
    return 0
}
