extension NamespaceMetrics {
    /// Enters `netns` (nil: stays), reads everything, and returns to where the thread was.
    /// The connections come from the raw sock_diag dump, without `ConnectionReader`'s
    /// endpoint and interface names, which a count does not need.
    public static func read(netns: String?) throws(PathManagerError) -> NamespaceMetrics {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            var snapshot = try NamespaceSnapshot.read(netns: nil)
            snapshot.netns = netns
            let connections = try? ConnectionReader.dump(listening: false)
            return NamespaceMetrics(
                snapshot: snapshot,
                connections: try connections.map { replies throws(PathManagerError) in
                    ConnectionCounts(try PathManagerError.decoding { () throws(MalformedAttribute) in
                        try SockDiagAttributes.connections(mptcpReplies: replies.mptcp, tcpReplies: replies.tcp)
                    })
                },
                mib: MIBCounters.read())
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
