import Netlink

/// The messages of the `mptcp_pm_events` group (uapi linux/mptcp.h): the event commands
/// (MPTCP_EVENT_*) and their attributes (MPTCP_ATTR_*), each in one table beside its
/// uapi name, decoded into `PathManagerEvent` by reading the tables.
enum EventAttributes {
    /// MPTCP_EVENT_*: each kind, its command number and its uapi name.
    static let kinds: [(kind: PathManagerEvent.Kind, command: UInt8, uapiName: String)] = [
        (.created, 1, "MPTCP_EVENT_CREATED"),
        (.established, 2, "MPTCP_EVENT_ESTABLISHED"),
        (.closed, 3, "MPTCP_EVENT_CLOSED"),
        (.announced, 6, "MPTCP_EVENT_ANNOUNCED"),
        (.removed, 7, "MPTCP_EVENT_REMOVED"),
        (.subflowEstablished, 10, "MPTCP_EVENT_SUB_ESTABLISHED"),
        (.subflowClosed, 11, "MPTCP_EVENT_SUB_CLOSED"),
        (.subflowPriority, 13, "MPTCP_EVENT_SUB_PRIORITY"),
        (.listenerCreated, 15, "MPTCP_EVENT_LISTENER_CREATED"),
        (.listenerClosed, 16, "MPTCP_EVENT_LISTENER_CLOSED"),
    ]

    /// Where an attribute's value goes, and how its payload is read. A payload of the
    /// wrong size reads as nil: the field is left out, and the event says so
    /// (`PathManagerEvent.malformed`).
    enum Field: Sendable {
        case u8(WritableKeyPath<PathManagerEvent, UInt8?> & Sendable)
        case u16(WritableKeyPath<PathManagerEvent, UInt16?> & Sendable)
        /// Event ports travel in network byte order, unlike endpoint ports.
        case u16BigEndian(WritableKeyPath<PathManagerEvent, UInt16?> & Sendable)
        case u32(WritableKeyPath<PathManagerEvent, UInt32?> & Sendable)
        case s32(WritableKeyPath<PathManagerEvent, Int32?> & Sendable)
        case ipv4(WritableKeyPath<PathManagerEvent, IPAddress?> & Sendable)
        case ipv6(WritableKeyPath<PathManagerEvent, IPAddress?> & Sendable)
        /// Known, and said by another attribute (the family, by the address's size).
        case implied
    }

    /// MPTCP_ATTR_*: each attribute's number, uapi name and field.
    static let attributes: [(type: UInt16, uapiName: String, field: Field)] = [
        (1, "MPTCP_ATTR_TOKEN", .u32(\.token)),
        (2, "MPTCP_ATTR_FAMILY", .implied),
        (3, "MPTCP_ATTR_LOC_ID", .u8(\.localID)),
        (4, "MPTCP_ATTR_REM_ID", .u8(\.remoteID)),
        (5, "MPTCP_ATTR_SADDR4", .ipv4(\.saddr)),
        (6, "MPTCP_ATTR_SADDR6", .ipv6(\.saddr)),
        (7, "MPTCP_ATTR_DADDR4", .ipv4(\.daddr)),
        (8, "MPTCP_ATTR_DADDR6", .ipv6(\.daddr)),
        (9, "MPTCP_ATTR_SPORT", .u16BigEndian(\.sport)),
        (10, "MPTCP_ATTR_DPORT", .u16BigEndian(\.dport)),
        (11, "MPTCP_ATTR_BACKUP", .u8(\.backup)),
        (12, "MPTCP_ATTR_ERROR", .u8(\.error)),
        (13, "MPTCP_ATTR_FLAGS", .u16(\.flags)),
        (14, "MPTCP_ATTR_TIMEOUT", .u32(\.timeout)),
        (15, "MPTCP_ATTR_IF_IDX", .s32(\.interfaceIndex)),
        (16, "MPTCP_ATTR_RESET_REASON", .u32(\.resetReason)),
        (17, "MPTCP_ATTR_RESET_FLAGS", .u32(\.resetFlags)),
        (18, "MPTCP_ATTR_SERVER_SIDE", .u8(\.serverSide)),
    ]

    private static let fields = Dictionary(uniqueKeysWithValues: attributes.map { ($0.type, ($0.uapiName, $0.field)) })

    static func kind(_ command: UInt8) -> PathManagerEvent.Kind {
        kinds.first { $0.command == command }?.kind ?? .unknown(command)
    }

    /// Decodes an event message; attributes of the wrong size are left out (the first
    /// named in `malformed`), attributes of numbers this version does not know are kept
    /// as they came.
    static func decode(_ message: GenericMessage) -> PathManagerEvent {
        var event = PathManagerEvent(kind: kind(message.command))
        for attribute in message.attributes {
            guard let (name, field) = fields[attribute.type] else {
                event.unknownAttributes.append(attribute)
                continue
            }
            let payload = attribute.payload
            let size: Int
            switch field {
            case let .u8(path): event[keyPath: path] = attribute.u8; size = 1
            case let .u16(path): event[keyPath: path] = attribute.u16; size = 2
            case let .u16BigEndian(path): event[keyPath: path] = attribute.u16BigEndian; size = 2
            case let .u32(path): event[keyPath: path] = attribute.u32; size = 4
            case let .s32(path): event[keyPath: path] = attribute.s32; size = 4
            case let .ipv4(path): event[keyPath: path] = payload.count == 4 ? .v4(payload) : nil; size = 4
            case let .ipv6(path): event[keyPath: path] = payload.count == 16 ? .v6(payload) : nil; size = 16
            case .implied: size = payload.count
            }
            if payload.count != size, event.malformed == nil {
                event.malformed = MalformedAttribute(name, .size(payload.count, expected: size))
            }
        }
        return event
    }
}

extension PathManagerEvent {
    /// Decodes one message of the `mptcp_pm_events` group.
    public init(message: GenericMessage) {
        self = EventAttributes.decode(message)
    }
}

extension PathManagerEvent.Kind {
    /// The kinds this version knows, in command-number order.
    public static let known: [PathManagerEvent.Kind] = EventAttributes.kinds.map(\.kind)

    /// The event's command number (MPTCP_EVENT_*).
    public var command: UInt8 {
        if case let .unknown(command) = self { return command }
        return EventAttributes.kinds.first { $0.kind == self }?.command ?? 0
    }

    /// The name of its uapi constant ("MPTCP_EVENT_SUB_ESTABLISHED"); nil for an unknown kind.
    public var uapiName: String? {
        EventAttributes.kinds.first { $0.kind == self }?.uapiName
    }
}
