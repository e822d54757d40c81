@testable import MPTCPCtlCLI
import MPTCPKit
import Netlink

/// One datagram of the mptcp_pm_events group: its messages decoded into events and
/// printed as `monitor` prints them, in text and as NDJSON, and as `--format ip monitor`
/// does, in ip's text and ip's JSON array (-t, -ts, -p).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let datagram = Array(UnsafeBufferPointer(start: data, count: size))
    let view = EventView(interfaceName: { $0 == 2 ? "eth1" : nil })
    let time = Timestamp(seconds: 1_700_000_000, microseconds: 123_456)
    var ipViews = [IPMonitorView(form: .text, timestamps: .full, interfaceName: { $0 == 2 ? "eth1" : nil }),
                   IPMonitorView(form: .json, timestamps: .short, interfaceName: { $0 == 2 ? "eth1" : nil }),
                   IPMonitorView(form: .prettyJSON, timestamps: nil, interfaceName: { _ in nil })]
    for message in GenericMessage.messages(inDatagram: datagram) {
        let event = PathManagerEvent(message: message)
        _ = view.text(event, time: time)
        _ = view.json(event, time: time).rendered()
        for index in ipViews.indices { _ = ipViews[index].render(event, time: time) }
    }
    for ipView in ipViews { _ = ipView.end }
    return 0
}
