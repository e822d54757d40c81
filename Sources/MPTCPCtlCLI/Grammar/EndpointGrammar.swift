import MPTCPKit

/// The `endpoint` words of the `ip mptcp` grammar, and what mptcpctl adds to them:
///
///     add ADDRESS [ dev NAME ] [ id ID ] [ port NR ] [ FLAG-LIST ]
///     delete id ID [ ADDRESS ]  |  delete ADDRESS [ port NR ]
///     change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT...
///     show [ id ID | ADDRESS [ port NR ] ]
///     flush
///
/// FLAG := signal | subflow | address | laminar | backup | fullmesh
/// CHANGE-OPT := backup | nobackup | fullmesh | nofullmesh
package enum EndpointCommand: Sendable, Equatable {
    case add(EndpointSpec)
    case delete(Delete)
    case change(Change)
    case show(Selector)
    case flush

    package enum Delete: Sendable, Equatable {
        case id(UInt8)
        /// Delete endpoint ID only if it has this address.
        case idWithAddress(UInt8, IPAddress)
        /// `delete id 0 ADDRESS`: remove the address from the connections' initial subflows.
        case initialSubflows(IPAddress)
        case address(IPAddress, port: UInt16?)
    }

    package struct Change: Sendable, Equatable {
        package var selector: Selector
        package var set: EndpointFlags
        package var clear: EndpointFlags
    }

    /// Which endpoints a command is about.
    package enum Selector: Sendable, Equatable {
        case all
        case id(UInt8)
        case address(IPAddress, port: UInt16?)
    }

    /// Parses the words after `endpoint VERB`.
    static func parse(verb: String, _ words: [String]) throws(CLIError) -> EndpointCommand {
        let context = "endpoint \(verb)"
        var scan = try EndpointWords(words, context: context)
        switch verb {
        case "add": return .add(try scan.add())
        case "delete": return .delete(try scan.delete())
        case "change": return .change(try scan.change())
        case "show":
            try scan.reject(flags: [], device: false, explain: "is not used by show: endpoint show [ id ID | ADDRESS ]")
            return .show(try scan.selector(allowAll: true, allowBoth: false))
        case "flush":
            if let word = words.first { throw .usage("\(context): unexpected word '\(word)': flush takes no arguments") }
            return .flush
        default: throw .usage("unknown endpoint command '\(verb)'")
        }
    }
}

/// The words of one endpoint command line, scanned as `ip` does: a flag word, then
/// the keywords id, dev and port (abbreviations allowed), then an address.
struct EndpointWords {
    let context: String
    var address: IPAddress?
    var id: UInt8?
    var port: UInt16?
    var device: String?
    /// The address word whose zone gave `device` ("fe80::1%eth1").
    var zoneWord: String?
    /// Flag words in the order given.
    var flagWords: [String] = []

    static let keywords = ["id", "dev", "port"]
    static let flagList = "signal, subflow, address, backup, fullmesh"

    init(_ words: [String], context: String) throws(CLIError) {
        self.context = context
        var cursor = WordCursor(words, context: context)
        var zone: String?
        while let word = cursor.next() {
            // `add address 10.0.2.1` reads as the address flag, but is almost always
            // `ip addr`'s habit: refused, with the line that was meant.
            if word == "address", address == nil, let next = cursor.peek, Self.looksLikeAddress(next) {
                var rest = words
                rest.remove(at: cursor.position)
                throw .usage("\(context): 'address' directly before the ADDRESS is almost always a slip: "
                    + "for an address endpoint write '\(([context] + rest + ["address"]).joined(separator: " "))'")
            }
            if EndpointFlags.named(word) != nil || word == "nobackup" || word == "nofullmesh" {
                if flagWords.contains(word) { throw .usage("\(context): flag '\(word)' given twice") }
                flagWords.append(word)
            } else if let keyword = Keyword.match(word, in: Self.keywords) {
                let text = try cursor.value(after: keyword)
                switch keyword {
                case "id":
                    guard id == nil else { throw .usage("\(context): 'id' given twice") }
                    id = try cursor.id(text)
                case "dev":
                    if let zone, let word = address.map({ "\($0)%\(zone)" }), zone != text {
                        throw .usage("\(context): the zone of '\(word)' says dev \(zone), but 'dev \(text)' is given: give one")
                    }
                    guard device == nil || zone != nil else { throw .usage("\(context): 'dev' given twice") }
                    device = try cursor.device(text)
                default:
                    guard port == nil else { throw .usage("\(context): 'port' given twice") }
                    port = try cursor.port(text)
                }
            } else if let parsed = try Self.address(word, context: context) {
                if let address {
                    throw .usage("\(context): two addresses given, '\(address)' and '\(word)': an endpoint has one")
                }
                address = parsed.address
                if let name = parsed.zone {
                    // fe80::1%eth1 is fe80::1 on eth1: the zone is the device.
                    guard EndpointSpec.isValidDeviceName(name) else { throw .usage("\(context): bad interface name '\(name)' in '\(word)'") }
                    if let device, device != name {
                        throw .usage("\(context): the zone of '\(word)' says dev \(name), but 'dev \(device)' is given: give one")
                    }
                    zone = name
                    zoneWord = word
                    device = name
                }
            } else {
                throw .usage("\(context): unknown word '\(word)': expected an ADDRESS, "
                    + "id ID, dev NAME, port NR or a flag (\(Self.flagList))")
            }
        }
    }

    /// An address word: `ADDRESS` or `ADDRESS%ZONE`; nil when the word is no address.
    /// Throws for a prefix length and an empty zone, which `ip` refuses too. Any address
    /// the kernel takes is taken (an unusable one is warned about once added).
    static func address(_ word: String, context: String) throws(CLIError) -> (address: IPAddress, zone: String?)? {
        var text = word, zone: String?
        if let percent = word.firstIndex(of: "%") {
            text = String(word[..<percent])
            zone = String(word[word.index(after: percent)...])
        }
        guard let address = IPAddress(text) else {
            if let slash = word.lastIndex(of: "/"), let bare = IPAddress(String(word[..<slash])) {
                let length = word[word.index(after: slash)...]
                throw .usage("\(context): '\(word)' has a prefix length (/\(length)): an endpoint is one address; "
                    + "drop '/\(length)' and write \(bare)")
            }
            return nil
        }
        if let zone, zone.isEmpty { throw .usage("\(context): '\(word)': nothing after '%': write the interface, or drop '%'") }
        return (address, zone)
    }

    /// Whether a word is meant as an address (a valid one, or with a prefix length or zone).
    static func looksLikeAddress(_ word: String) -> Bool {
        IPAddress(String(word.prefix { $0 != "/" && $0 != "%" })) != nil
    }

    /// Rejects words a command does not take, naming the first.
    func reject(flags allowed: [String], device allowDevice: Bool, explain: String) throws(CLIError) {
        if let word = flagWords.first(where: { !allowed.contains($0) }) {
            throw .usage("\(context): '\(word)' \(explain)")
        }
        if !allowDevice, let zoneWord, let percent = zoneWord.firstIndex(of: "%") {
            throw .usage("\(context): '\(zoneWord)': a zone names a dev, which is not used here; drop '\(zoneWord[percent...])'")
        }
        if !allowDevice, device != nil { throw .usage("\(context): 'dev' is not used here") }
    }

    /// Sets the flags named, rejecting a word and its opposite together.
    func flagChanges() throws(CLIError) -> (set: EndpointFlags, clear: EndpointFlags) {
        var set: EndpointFlags = [], clear: EndpointFlags = []
        for word in flagWords {
            switch word {
            case "nobackup": clear.insert(.backup)
            case "nofullmesh": clear.insert(.fullmesh)
            default: if let flag = EndpointFlags.named(word) { set.insert(flag) }
            }
        }
        if let both = EndpointFlags.names.first(where: { set.contains($0.flag) && clear.contains($0.flag) }) {
            throw .usage("\(context): 'no\(both.word)' contradicts '\(both.word)'")
        }
        return (set, clear)
    }

    mutating func add() throws(CLIError) -> EndpointSpec {
        let (flags, _) = try flagChanges()
        guard let address else { throw .usage("\(context): missing ADDRESS: endpoint add ADDRESS [ dev NAME ] [ id ID ] [ port NR ] [ FLAG... ]") }
        // `id 0` lets the kernel pick, as no id does (the kernel reads a missing id as 0).
        let spec = EndpointSpec(address: address, id: id == 0 ? nil : id, port: port, flags: flags, device: device)
        // The spec's own rules, worded for a command line; the id last, as before.
        for violation in spec.violations {
            switch violation {
            case .implicitRequested:
                throw .usage("\(context): 'implicit' cannot be requested: the kernel makes implicit endpoints itself")
            case .signalWithFullmesh:
                let later = flagWords.last { $0 == "signal" || $0 == "fullmesh" } ?? "fullmesh"
                throw .usage("\(context): '\(later)' cannot go with '\(later == "signal" ? "fullmesh" : "signal")': "
                    + "an endpoint is not both signal and fullmesh")
            case .portWithoutSignal:
                throw .usage("\(context): 'port' needs the 'signal' flag and not 'subflow'")
            case .zeroID, .zeroPort, .badDeviceName:
                continue // read and refused word by word above
            }
        }
        return spec
    }

    func delete() throws(CLIError) -> EndpointCommand.Delete {
        try reject(flags: [], device: false, explain: "is not used by delete: endpoint delete id ID [ ADDRESS ] | delete ADDRESS")
        guard id != nil || address != nil else {
            throw .usage("\(context): missing id ID or ADDRESS: which endpoint?")
        }
        if id == 0, address == nil {
            throw .usage("\(context): id 0 needs an ADDRESS: 'delete id 0 ADDRESS' removes that address from connections")
        }
        if id != nil, port != nil { throw .usage("\(context): 'port' cannot be used with 'id'") }
        switch (id, address) {
        case (nil, nil), (0, nil):
            throw .usage("\(context): missing id ID or ADDRESS: which endpoint?")
        case let (0, address?):
            return .initialSubflows(address)
        case let (id?, nil):
            return .id(id)
        case let (id?, address?):
            return .idWithAddress(id, address)
        case let (nil, address?):
            return .address(address, port: port)
        }
    }

    func change() throws(CLIError) -> EndpointCommand.Change {
        try reject(flags: ["backup", "nobackup", "fullmesh", "nofullmesh"], device: false,
                   explain: "cannot be changed: change takes backup, nobackup, fullmesh or nofullmesh")
        let (set, clear) = try flagChanges()
        guard !flagWords.isEmpty else {
            throw .usage("\(context): missing CHANGE-OPT: backup, nobackup, fullmesh or nofullmesh")
        }
        return .init(selector: try selector(allowAll: false, allowBoth: true), set: set, clear: clear)
    }

    func selector(allowAll: Bool, allowBoth: Bool) throws(CLIError) -> EndpointCommand.Selector {
        if id != nil, port != nil { throw .usage("\(context): 'port' cannot be used with 'id'") }
        if let id {
            if address != nil, !allowBoth {
                throw .usage("\(context): give id ID or an ADDRESS, not both")
            }
            // Id 0 names no endpoint: with an ADDRESS the kernel looks the address up,
            // without one it is the kernel's to refuse (as with `ip`).
            if id == 0, let address { return .address(address, port: nil) }
            return .id(id)
        }
        if let address { return .address(address, port: port) }
        if port != nil { throw .usage("\(context): 'port' needs an ADDRESS") }
        guard allowAll else { throw .usage("\(context): missing id ID or ADDRESS: which endpoint?") }
        return .all
    }
}
