extension NamespaceMetrics {
    /// Enters `netns` (nil: stays), reads everything, and returns to where the thread was.
    /// The connections come from the raw sock_diag dump, without `ConnectionReader`'s
    /// endpoint and interface names, which a count does not need. With `healingChannel`,
    /// the counters of the daemon healing the namespace's paths, when one answers there
    /// (`HealingCountersChannel`).
    public static func read(netns: String?, healingChannel: String? = nil) throws(PathManagerError) -> NamespaceMetrics {
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
                mib: MIBCounters.read(),
                healing: healingChannel.flatMap { HealingCountersChannel.read(netns: nil, name: $0) })
        }
    }

    /// Reads each of `targets` in turn, in one thread (nil: the current namespace); with
    /// `skippingVanished`, a named namespace deleted since it was listed is left out.
    public static func readEach(_ targets: [String?], skippingVanished: Bool = false, healingChannel: String? = nil)
        -> [(netns: String?, result: Result<NamespaceMetrics, PathManagerError>)] {
        targets.compactMap { netns in
            let result = Result { () throws(PathManagerError) in try read(netns: netns, healingChannel: healingChannel) }
            if skippingVanished, case .failure = result, let netns, !NetworkNamespace.exists(netns) { return nil }
            return (netns, result)
        }
    }
}
