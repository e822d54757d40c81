import Netlink

/// A run of netlink attributes, walked to any depth: every attribute is also tried as
/// a nest, as a decoder would for MPTCP_PM_ATTR_ADDR, and read with every typed view.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    walk(Attribute.parse(UnsafeRawBufferPointer(start: data, count: size)), depth: 0)
    return 0
}

func walk(_ attributes: [Attribute], depth: Int) {
    for attribute in attributes {
        _ = (attribute.u8, attribute.u16, attribute.u16BigEndian, attribute.u32, attribute.s32)
        _ = attribute.string
        _ = attributes.first(attribute.type)
        // A nest needs at least four bytes per level, so depth is bounded by the input.
        walk(attribute.nested, depth: depth + 1)
    }
}
