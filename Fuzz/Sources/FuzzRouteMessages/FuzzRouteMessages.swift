import MPTCPKit
import Netlink

/// rtnetlink datagrams (RTM_NEWLINK/DELLINK, RTM_NEWADDR/DELADDR, anything else) through
/// libnl-route-3's parsers and `RouteObject`'s reading of them, then into MPTCPKit's
/// values, as `sync` reads what the kernel sends. Whatever the bytes: no crash, and
/// every address decoded has the length of its family.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for object in RouteObject.decode(datagram: bytes) {
        switch object {
        case let .link(link, _):
            _ = NetworkInterface(route: link)
        case let .address(address, _):
            if let value = InterfaceAddress(route: address) {
                require(value.address.bytes.count == (value.address.isIPv4 ? 4 : 16), "an address of the wrong length")
            }
        }
    }
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
