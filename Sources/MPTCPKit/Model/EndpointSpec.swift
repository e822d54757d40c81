/// An endpoint as asked for, by a command line, a state file or an embedding program:
/// what `PathManager.add` sends and what a plan wants. Absent values are nil, never 0.
public struct EndpointSpec: Sendable, Equatable {
    public var address: IPAddress
    /// nil: the kernel picks one.
    public var id: UInt8?
    public var port: UInt16?
    public var flags: EndpointFlags
    /// The interface by name, as a person gives it; `PathManager` resolves it.
    public var device: String?
    /// The interface by index, once resolved (or when known only by its index).
    public var interfaceIndex: Int32?

    public init(address: IPAddress, id: UInt8? = nil, port: UInt16? = nil, flags: EndpointFlags = [],
                device: String? = nil, interfaceIndex: Int32? = nil) {
        self.address = address
        self.id = id
        self.port = port
        self.flags = flags
        self.device = device
        self.interfaceIndex = interfaceIndex
    }

    /// A rule of the kernel's (or of interface names) that a spec breaks. Checked
    /// before anything is sent, so a spec that cannot work never reaches the kernel.
    public enum Violation: Error, Sendable, Equatable {
        /// Ids are 1 to 255; 0 is the initial subflow's.
        case zeroID
        /// The kernel makes implicit endpoints itself.
        case implicitRequested
        /// An endpoint is not both signal and fullmesh.
        case signalWithFullmesh
        /// A port needs the signal flag and not subflow.
        case portWithoutSignal
        /// Ports are 1 to 65535.
        case zeroPort
        /// Not a name an interface can have.
        case badDeviceName(String)
    }

    /// Every rule the spec breaks, in the order a person fixes them.
    public var violations: [Violation] {
        var found: [Violation] = []
        if let device, !Self.isValidDeviceName(device) { found.append(.badDeviceName(device)) }
        if id == 0 { found.append(.zeroID) }
        if port == 0 { found.append(.zeroPort) }
        if flags.contains(.implicit) { found.append(.implicitRequested) }
        if flags.contains(.signal), flags.contains(.fullmesh) { found.append(.signalWithFullmesh) }
        if port != nil, !flags.contains(.signal) || flags.contains(.subflow) { found.append(.portWithoutSignal) }
        return found
    }

    /// The spec with its device resolved into an interface index by `index` (a
    /// namespace's lookup by name); unchanged when it names no device or has an index.
    public func resolved(_ index: (String) -> Int32?) throws(PathManagerError) -> EndpointSpec {
        guard let device, interfaceIndex == nil else { return self }
        guard let found = index(device) else { throw .noSuchDevice(device) }
        var resolved = self
        resolved.interfaceIndex = found
        return resolved
    }

    /// Throws the first rule the spec breaks.
    public func validate() throws(Violation) {
        if let first = violations.first { throw first }
    }

    /// Whether an interface may have this name: 1 to 15 bytes (IFNAMSIZ), no '/' or
    /// blank, not '.' or '..'.
    public static func isValidDeviceName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count < 16 && !name.contains("/") && !name.contains(where: \.isWhitespace)
            && name != "." && name != ".." && !name.utf8.contains(0)
    }
}
