extension NamespaceMetrics {
    /// Enters `netns` (nil: stays), reads everything, and returns to where the thread was.
    public static func read(netns: String?) throws(PathManagerError) -> NamespaceMetrics {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            var snapshot = try NamespaceSnapshot.read(netns: nil)
            snapshot.netns = netns
            return NamespaceMetrics(snapshot: snapshot, connections: try? ConnectionCounts.read(), mib: MIBCounters.read())
        }
    }

    /// Reads each of `targets` in turn, in one thread (nil: the current namespace); with
    /// `skippingVanished`, a named namespace deleted since it was listed is left out.
    public static func readEach(_ targets: [String?], skippingVanished: Bool = false)
        -> [(netns: String?, result: Result<NamespaceMetrics, PathManagerError>)] {
        targets.compactMap { netns in
            let result = Result { () throws(PathManagerError) in try read(netns: netns) }
            if skippingVanished, case .failure = result, let netns, !NetworkNamespace.exists(netns) { return nil }
            return (netns, result)
        }
    }
}
