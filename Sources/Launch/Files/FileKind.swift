/// What is found at a path.
public enum FileKind: Sendable, Equatable {
    case regular, directory, symbolicLink, fifo, socket, blockDevice
    /// A character device, with its major and minor numbers (1, 3 is /dev/null).
    case characterDevice(major: UInt32, minor: UInt32)
    case unknown
}
