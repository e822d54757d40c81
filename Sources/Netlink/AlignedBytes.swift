import CLibNL

/// A copy of received bytes in memory aligned and bound for libnl's walkers, so that
/// netlink headers and attributes are read through pointers of their own type, never
/// through a `[UInt8]` reinterpreted in place.
struct AlignedBytes {
    private let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Runs `body` on an aligned copy, with room for at least one header of T.
    private func withCopy<T, R>(as _: T.Type, _ body: (UnsafeMutablePointer<T>, Int32) -> R) -> R {
        let stride = MemoryLayout<T>.stride
        let capacity = (max(bytes.count, stride) + stride - 1) / stride
        let storage = UnsafeMutableRawPointer.allocate(byteCount: capacity * stride, alignment: max(4, MemoryLayout<T>.alignment))
        defer { storage.deallocate() }
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: capacity * stride)
        if let base = bytes.baseAddress { storage.copyMemory(from: base, byteCount: bytes.count) }
        let typed = storage.bindMemory(to: T.self, capacity: capacity)
        return body(typed, Int32(clamping: bytes.count))
    }

    /// The first attribute of the run and the run's length.
    func withAttributes<R>(_ body: (UnsafeMutablePointer<nlattr>, Int32) -> R) -> R {
        withCopy(as: nlattr.self, body)
    }

    /// The first message of the datagram and the datagram's length.
    func withMessages<R>(_ body: (UnsafeMutablePointer<nlmsghdr>, Int32) -> R) -> R {
        withCopy(as: nlmsghdr.self, body)
    }

    /// What `decode` makes of each message of `datagram` (a datagram, or a dump's replies
    /// one after the other), walked with libnl (`nlmsg_ok`, `nlmsg_next`) over an aligned
    /// copy: a message is handed over only when it lies whole in what remains, with the
    /// bytes that remain from it; a truncated tail is left out, and so is a message
    /// `decode` refuses (nil).
    static func messages<Message>(in datagram: [UInt8],
                                  _ decode: (UnsafeMutablePointer<nlmsghdr>, _ remaining: Int32) -> Message?) -> [Message] {
        guard datagram.count >= MemoryLayout<nlmsghdr>.size else { return [] }
        return datagram.withUnsafeBytes { raw in
            AlignedBytes(raw).withMessages { first, length in
                var messages: [Message] = []
                var remaining = length
                var header: UnsafeMutablePointer<nlmsghdr>? = first
                while let current = header, nlmsg_ok(current, remaining) != 0 {
                    if let message = decode(current, remaining) { messages.append(message) }
                    header = nlmsg_next(current, &remaining)
                }
                return messages
            }
        }
    }
}
