import MPTCPKit

/// The `userspace` words: the userspace path manager's requests on one connection,
/// named by its token (8 hex digits, as `monitor` prints it):
///
///     announce ADDRESS id ID token TOKEN [ port NR ] [ dev NAME ]
///     remove id ID token TOKEN
///     create token TOKEN [ local ] ADDRESS [ id ID ] [ dev NAME ] [ backup ] remote ADDRESS port NR
///     destroy token TOKEN [ local ] ADDRESS port NR remote ADDRESS port NR
///     change token TOKEN [ local ] ADDRESS [ port NR ] remote ADDRESS port NR backup|nobackup
///     listen ADDRESS port NR
///     show token TOKEN
///
/// Words after `remote` describe the peer's end; the others, the local end.
package enum UserspaceCommand: Sendable, Equatable {
    case announce(token: UInt32, EndpointSpec)
    case remove(token: UInt32, id: UInt8)
    case create(token: UInt32, local: EndpointSpec, remote: SocketAddress)
    case destroy(token: UInt32, local: SocketAddress, remote: SocketAddress)
    case change(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool)
    case listen(SocketAddress)
    case show(token: UInt32)

    /// Parses the words after `userspace VERB`.
    static func parse(verb: String, _ words: [String]) throws(CLIError) -> UserspaceCommand {
        let scan = try UserspaceWords(words, context: "userspace \(verb)")
        switch verb {
        case "announce":
            try scan.reject(remote: true, backup: true)
            return .announce(token: try scan.token(), EndpointSpec(address: try scan.localAddress(), id: try scan.id(required: true),
                                                                   port: scan.local.port, device: scan.device))
        case "remove":
            try scan.reject(address: true, remote: true, backup: true, device: true, port: true)
            guard let id = try scan.id(required: true) else { throw scan.missing("id ID") }
            return .remove(token: try scan.token(), id: id)
        case "create":
            if scan.local.port != nil { throw scan.usage("the local 'port' is the kernel's to pick: give it for 'remote' only") }
            let local = EndpointSpec(address: try scan.localAddress(), id: try scan.id(required: false),
                                     flags: scan.backup == true ? .backup : [], device: scan.device)
            if scan.backup == false { throw scan.usage("'nobackup' is not used by create: a subflow is made without backup unless 'backup' is given") }
            return .create(token: try scan.token(), local: local, remote: try scan.remote())
        case "destroy":
            try scan.reject(backup: true, device: true, id: true)
            guard let port = scan.local.port else { throw scan.missing("port NR (the local port of the subflow)") }
            return .destroy(token: try scan.token(), local: SocketAddress(try scan.localAddress(), port: port), remote: try scan.remote())
        case "change":
            try scan.reject(device: true, id: true)
            guard let backup = scan.backup else { throw scan.missing("backup or nobackup") }
            return .change(token: try scan.token(), local: SocketAddress(try scan.localAddress(), port: scan.local.port),
                           remote: try scan.remote(), backup: backup)
        case "listen":
            try scan.reject(remote: true, backup: true, device: true, id: true, token: true)
            guard let port = scan.local.port else { throw scan.missing("port NR") }
            return .listen(SocketAddress(try scan.localAddress(), port: port))
        default:
            try scan.reject(address: true, remote: true, backup: true, device: true, id: true, port: true)
            return .show(token: try scan.token())
        }
    }
}

/// The words of one `userspace` line, read as `ip` reads words: keywords (which may be
/// abbreviated) with their values, addresses, and the flag words backup/nobackup.
struct UserspaceWords {
    /// One end of a subflow as the words give it.
    struct End {
        var address: IPAddress?
        var port: UInt16?
    }

    let context: String
    var tokenValue: UInt32?
    var idValue: UInt8?
    var device: String?
    var backup: Bool?
    /// The local end: the words before `remote`.
    var local = End()
    /// The peer's end: the words after `remote`; nil without `remote`.
    var peer: End?

    static let keywords = ["token", "id", "port", "dev", "local", "remote"]

    init(_ words: [String], context: String) throws(CLIError) {
        self.context = context
        var cursor = WordCursor(words, context: context)
        while let word = cursor.next() {
            if word == "backup" || word == "nobackup" {
                guard backup == nil else { throw .usage("\(context): '\(word)' given after '\(backup! ? "backup" : "nobackup")'") }
                backup = word == "backup"
            } else if let keyword = Keyword.match(word, in: Self.keywords) {
                switch keyword {
                case "local":
                    if peer != nil { throw .usage("\(context): 'local' after 'remote': give the local end first") }
                case "remote":
                    if peer != nil { throw .usage("\(context): 'remote' given twice") }
                    peer = End()
                case "token":
                    let text = try cursor.value(after: keyword)
                    guard tokenValue == nil else { throw .usage("\(context): 'token' given twice") }
                    guard let parsed = ConnectionToken.parse(text) else {
                        throw .usage("\(context): bad token '\(text)': a token is 8 hex digits, as monitor prints it")
                    }
                    tokenValue = parsed
                case "id":
                    let text = try cursor.value(after: keyword)
                    guard idValue == nil else { throw .usage("\(context): 'id' given twice") }
                    guard peer == nil else { throw .usage("\(context): 'id' after 'remote': an id names a local address") }
                    idValue = try cursor.id(text)
                case "dev":
                    let text = try cursor.value(after: keyword)
                    guard device == nil else { throw .usage("\(context): 'dev' given twice") }
                    guard peer == nil else { throw .usage("\(context): 'dev' after 'remote': a device is local") }
                    device = try cursor.device(text)
                default: // port
                    let number = try cursor.port(try cursor.value(after: keyword))
                    if peer != nil {
                        guard peer?.port == nil else { throw .usage("\(context): remote 'port' given twice") }
                        peer?.port = number
                    } else {
                        guard local.port == nil else { throw .usage("\(context): 'port' given twice") }
                        local.port = number
                    }
                }
            } else if let address = IPAddress(word) {
                if let peer {
                    if let given = peer.address { throw .usage("\(context): two remote addresses given, '\(given)' and '\(word)'") }
                    self.peer?.address = address
                } else {
                    if let given = local.address { throw .usage("\(context): two local addresses given, '\(given)' and '\(word)'") }
                    local.address = address
                }
            } else {
                throw .usage("\(context): unknown word '\(word)': expected an ADDRESS, token TOKEN, id ID, port NR, dev NAME, "
                    + "local, remote, backup or nobackup")
            }
        }
    }

    func usage(_ message: String) -> CLIError { .usage("\(context): \(message)") }

    func missing(_ what: String) -> CLIError { .usage("\(context): missing \(what)") }

    /// Refuses the words a command does not take, naming the first found.
    func reject(address: Bool = false, remote: Bool = false, backup: Bool = false, device: Bool = false,
                id: Bool = false, port: Bool = false, token: Bool = false) throws(CLIError) {
        let verb = context.split(separator: " ").last.map(String.init) ?? ""
        if address, local.address != nil { throw usage("an ADDRESS is not used by \(verb)") }
        if remote, peer != nil { throw usage("'remote' is not used by \(verb)") }
        if backup, let value = self.backup { throw usage("'\(value ? "backup" : "nobackup")' is not used by \(verb)") }
        if device, self.device != nil { throw usage("'dev' is not used by \(verb)") }
        if id, idValue != nil { throw usage("'id' is not used by \(verb)") }
        if port, local.port != nil { throw usage("'port' is not used by \(verb)") }
        if token, tokenValue != nil { throw usage("'token' is not used by \(verb)") }
    }

    func token() throws(CLIError) -> UInt32 {
        guard let tokenValue else { throw missing("token TOKEN (8 hex digits, as monitor prints it)") }
        return tokenValue
    }

    func localAddress() throws(CLIError) -> IPAddress {
        guard let address = local.address else { throw missing("the local ADDRESS") }
        return address
    }

    /// Any id 0 to 255 goes to the kernel, which judges it (`create … id 0` is the
    /// kernel's own test of a subflow from local id 0; `announce … id 0` it refuses).
    func id(required: Bool) throws(CLIError) -> UInt8? {
        guard let idValue else {
            if required { throw missing("id ID") }
            return nil
        }
        return idValue
    }

    func remote() throws(CLIError) -> SocketAddress {
        guard let peer, let address = peer.address else { throw missing("remote ADDRESS port NR") }
        guard let port = peer.port else { throw missing("the remote port: remote ADDRESS port NR") }
        return SocketAddress(address, port: port)
    }
}
