/// The connections of namespaces read again and again (`top`): each namespace's
/// `ConnectionReader` is opened once and kept, so that a reading costs its dumps alone,
/// not the opening of three sockets inside the namespace and a family lookup.
///
/// A kept reader answers for the namespace it was opened in: one deleted and made again
/// under the same name (another inode) is opened anew, and one not read for a whole
/// round of readings (a round ends when a namespace is read a second time) is let go,
/// so that the sockets of a deleted namespace do not keep it alive. Use it from one
/// thread at a time.
public final class ConnectionSource {
    private struct Kept {
        let reader: ConnectionReader
        /// The namespace's identity when the reader was opened (nil: the current namespace).
        let identity: NamespaceIdentity?
        var round: Int
    }

    private var kept: [String?: Kept] = [:]
    private var round = 0
    private var readThisRound: Set<String?> = []

    public init() {}

    /// How many readers are kept (for tests).
    public var keptCount: Int { kept.count }

    /// The connections of `netns` (nil: the current namespace), as
    /// `ConnectionReader.read(netns:listening:)` reads them.
    public func connections(netns: String?, listening: Bool = false) throws(PathManagerError) -> [Connection] {
        if readThisRound.contains(netns) { startRound() }
        readThisRound.insert(netns)
        let identity = try netns.map { name throws(PathManagerError) in try NamespaceIdentity(netns: name) }
        var entry: Kept
        if let found = kept[netns], found.identity == identity {
            entry = found
        } else {
            kept[netns] = nil
            entry = Kept(reader: try ConnectionReader.open(netns: netns), identity: identity, round: round)
        }
        entry.round = round
        kept[netns] = entry
        do {
            return try entry.reader.read(listening: listening)
        } catch {
            // Opened again next time: the failure may have been the sockets'.
            kept[netns] = nil
            throw error
        }
    }

    /// Lets go of the readers of namespaces not read in the round that ends.
    private func startRound() {
        kept = kept.filter { $0.value.round == round }
        round += 1
        readThisRound = []
    }
}
