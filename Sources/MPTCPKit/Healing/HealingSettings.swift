/// How a daemon heals paths (the `heal:` key of a state file): how often each path's
/// peer is probed, what counts as a dead path, how long a path that came back is given
/// to carry traffic by itself, how long an `address` endpoint is kept while its
/// interface is gone, how often one endpoint may be repaired, and what to probe where
/// the peer cannot be. The defaults meet issue 30's goals without tuning.
public struct HealingSettings: Sendable, Equatable {
    /// Off: the endpoints follow the interfaces and nothing else (`heal: false`).
    public var enabled: Bool
    /// Seconds between two probes of one peer over one path.
    public var probeInterval: Double
    /// Seconds without an answer (probes sent all along) after which a path is dead.
    public var deadAfter: Double
    /// Seconds a path that came back (or a repair) is given before a connection that
    /// still carries nothing on it counts as lacking it.
    public var grace: Double
    /// Seconds an `address` endpoint is kept after its interface lost its carrier or
    /// its address: its subflows may come back by themselves, and deleting it would
    /// close them before the peer withdraws its address (the kernel then never gives
    /// the connection's `add_addr_accepted` slot back).
    public var hold: Double
    /// Seconds between two repairs of one endpoint: the first wait, doubled after each
    /// repair that did not heal, up to the last.
    public var repairBackoff: (first: Double, most: Double)
    /// What to probe on which interface, instead of the peers (the first rule that
    /// matches an interface's name wins).
    public var probes: [ProbeRule]

    public init(enabled: Bool = true, probeInterval: Double = 0.2, deadAfter: Double = 1, grace: Double = 0.2,
                hold: Double = 120, repairBackoff: (first: Double, most: Double) = (1, 60), probes: [ProbeRule] = []) {
        self.enabled = enabled
        self.probeInterval = probeInterval
        self.deadAfter = deadAfter
        self.grace = grace
        self.hold = hold
        self.repairBackoff = repairBackoff
        self.probes = probes
    }

    /// The defaults, healing on.
    public static let standard = HealingSettings()
    /// Healing off.
    public static let off = HealingSettings(enabled: false)

    public static func == (a: HealingSettings, b: HealingSettings) -> Bool {
        a.enabled == b.enabled && a.probeInterval == b.probeInterval && a.deadAfter == b.deadAfter && a.grace == b.grace
            && a.hold == b.hold && a.repairBackoff == b.repairBackoff && a.probes == b.probes
    }

    /// The ranges each setting takes (a state-file reader checks them): seconds.
    public static let probeIntervalRange = 0.05...60.0, deadAfterRange = 0.1...3600.0, graceRange = 0.0...60.0,
                      holdRange = 0.0...86400.0, repairBackoffRange = 0.1...86400.0

    /// Why settings cannot work together (each alone is in its range).
    public enum Conflict: Sendable, Equatable {
        /// A path is dead after fewer than two probes' time: one lost probe would kill it.
        case deadBeforeTwoProbes
        /// The backoff's most is below its first wait.
        case backoffShrinks
    }

    public var conflicts: [Conflict] {
        (deadAfter < 2 * probeInterval ? [.deadBeforeTwoProbes] : []) + (repairBackoff.most < repairBackoff.first ? [.backoffShrinks] : [])
    }

    /// The probe for a path leaving by `interface`: the first rule's target, else the peers.
    public func probeTarget(interface: String?) -> ProbeTarget {
        guard let interface, let rule = probes.first(where: { $0.matches(interface: interface) }) else { return .peers }
        return rule.target
    }
}

/// One rule of `heal: probes:`: paths leaving by an interface whose name matches one of
/// `names` (shell globs) are probed at `target`.
public struct ProbeRule: Sendable, Equatable {
    public var names: [String]
    public var target: ProbeTarget
    /// Where the rule starts in its file, for messages.
    public var position: String

    public init(names: [String], target: ProbeTarget, position: String = "") {
        self.names = names
        self.target = target
        self.position = position
    }

    public func matches(interface: String) -> Bool {
        InterfaceRule(names: names, flags: []).matches(interface: interface)
    }
}

/// What answers for a path's health.
public enum ProbeTarget: Sendable, Equatable {
    /// The remote address of each subflow on the path (ICMP echo): the default.
    case peers
    /// This address, by ICMP echo, for every peer of the path (a router that answers
    /// where the peers do not).
    case echo(IPAddress)
    /// A TCP connection to this address and port (a refusal answers too): where ICMP
    /// is filtered or the peers sit behind NAT.
    case connect(IPAddress, port: UInt16)
    /// Nothing: carrier, address and the subflows' own state decide.
    case none
}
