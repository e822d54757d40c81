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
                                                                   port: scan.localPort, device: scan.device))
        case "remove":
            try scan.reject(address: true, remote: true, backup: true, device: true, port: true)
            guard let id = try scan.id(required: true) else { throw scan.missing("id ID") }
            return .remove(token: try scan.token(), id: id)
        case "create":
            if scan.localPort != nil { throw scan.usage("the local 'port' is the kernel's to pick: give it for 'remote' only") }
            let local = EndpointSpec(address: try scan.localAddress(), id: try scan.id(required: false),
                                     flags: scan.backup == true ? .backup : [], device: scan.device)
            if scan.backup == false { throw scan.usage("'nobackup' is not used by create: a subflow is made without backup unless 'backup' is given") }
            return .create(token: try scan.token(), local: local, remote: try scan.remote())
        case "destroy":
            try scan.reject(backup: true, device: true, id: true)
            guard let port = scan.localPort else { throw scan.missing("port NR (the local port of the subflow)") }
            return .destroy(token: try scan.token(), local: SocketAddress(try scan.localAddress(), port: port), remote: try scan.remote())
        case "change":
            try scan.reject(device: true, id: true)
            guard let backup = scan.backup else { throw scan.missing("backup or nobackup") }
            return .change(token: try scan.token(), local: SocketAddress(try scan.localAddress(), port: scan.localPort),
                           remote: try scan.remote(), backup: backup)
        case "listen":
            try scan.reject(remote: true, backup: true, device: true, id: true, token: true)
            guard let port = scan.localPort else { throw scan.missing("port NR") }
            return .listen(SocketAddress(try scan.localAddress(), port: port))
        default:
            try scan.reject(address: true, remote: true, backup: true, device: true, id: true, port: true)
            return .show(token: try scan.token())
        }
    }

    /// A token as `monitor` and `connections` print it: up to 8 hex digits (0x allowed).
    static func token(_ word: String) -> UInt32? {
        var digits = Substring(word)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 8, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        return UInt32(digits, radix: 16)
    }
}

/// The words of one `userspace` line, read as `ip` reads words: keywords (which may be
/// abbreviated) with their values, addresses, and the flag words backup/nobackup.
struct UserspaceWords {
    let context: String
    var tokenWord: String?
    var tokenValue: UInt32?
    var idValue: UInt8?
    var device: String?
    var local: IPAddress?
    var localPort: UInt16?
    var remoteAddress: IPAddress?
    var remotePort: UInt16?
    var sawRemote = false
    var backup: Bool?

    static let keywords = ["token", "id", "port", "dev", "local", "remote"]

    init(_ words: [String], context: String) throws(CLIError) {
        self.context = context
        var index = 0
        func value(after keyword: String) throws(CLIError) -> String {
            index += 1
            guard index < words.count else { throw .usage("\(context): '\(keyword)' needs a value") }
            return words[index]
        }
        while index < words.count {
            let word = words[index]
            if word == "backup" || word == "nobackup" {
                guard backup == nil else { throw .usage("\(context): '\(word)' given after '\(backup! ? "backup" : "nobackup")'") }
                backup = word == "backup"
            } else if let keyword = Keyword.match(word, in: Self.keywords) {
                switch keyword {
                case "local":
                    if sawRemote { throw .usage("\(context): 'local' after 'remote': give the local end first") }
                case "remote":
                    if sawRemote { throw .usage("\(context): 'remote' given twice") }
                    sawRemote = true
                case "token":
                    let text = try value(after: keyword)
                    guard tokenValue == nil else { throw .usage("\(context): 'token' given twice") }
                    guard let parsed = UserspaceCommand.token(text) else {
                        throw .usage("\(context): bad token '\(text)': a token is 8 hex digits, as monitor prints it")
                    }
                    tokenValue = parsed
                    tokenWord = text
                case "id":
                    let text = try value(after: keyword)
                    guard idValue == nil else { throw .usage("\(context): 'id' given twice") }
                    guard !sawRemote else { throw .usage("\(context): 'id' after 'remote': an id names a local address") }
                    guard let number = UnsignedNumber.parse(text, max: 255) else {
                        throw .usage("\(context): bad id '\(text)': an id is a number from 1 to 255")
                    }
                    idValue = UInt8(number)
                case "dev":
                    let text = try value(after: keyword)
                    guard device == nil else { throw .usage("\(context): 'dev' given twice") }
                    guard !sawRemote else { throw .usage("\(context): 'dev' after 'remote': a device is local") }
                    guard EndpointSpec.isValidDeviceName(text) else { throw .usage("\(context): bad interface name '\(text)'") }
                    device = text
                default: // port
                    let text = try value(after: keyword)
                    guard let number = UnsignedNumber.parse(text, max: 65535), number > 0 else {
                        throw .usage("\(context): bad port '\(text)': a port is a number from 1 to 65535")
                    }
                    if sawRemote {
                        guard remotePort == nil else { throw .usage("\(context): remote 'port' given twice") }
                        remotePort = UInt16(number)
                    } else {
                        guard localPort == nil else { throw .usage("\(context): 'port' given twice") }
                        localPort = UInt16(number)
                    }
                }
            } else if let address = IPAddress(word) {
                if sawRemote {
                    if let remoteAddress { throw .usage("\(context): two remote addresses given, '\(remoteAddress)' and '\(word)'") }
                    remoteAddress = address
                } else {
                    if let local { throw .usage("\(context): two local addresses given, '\(local)' and '\(word)'") }
                    local = address
                }
            } else {
                throw .usage("\(context): unknown word '\(word)': expected an ADDRESS, token TOKEN, id ID, port NR, dev NAME, "
                    + "local, remote, backup or nobackup")
            }
            index += 1
        }
    }

    func usage(_ message: String) -> CLIError { .usage("\(context): \(message)") }

    func missing(_ what: String) -> CLIError { .usage("\(context): missing \(what)") }

    /// Refuses the words a command does not take, naming the first found.
    func reject(address: Bool = false, remote: Bool = false, backup: Bool = false, device: Bool = false,
                id: Bool = false, port: Bool = false, token: Bool = false) throws(CLIError) {
        let verb = context.split(separator: " ").last.map(String.init) ?? ""
        if address, local != nil { throw usage("an ADDRESS is not used by \(verb)") }
        if remote, sawRemote { throw usage("'remote' is not used by \(verb)") }
        if backup, let value = self.backup { throw usage("'\(value ? "backup" : "nobackup")' is not used by \(verb)") }
        if device, self.device != nil { throw usage("'dev' is not used by \(verb)") }
        if id, idValue != nil { throw usage("'id' is not used by \(verb)") }
        if port, localPort != nil { throw usage("'port' is not used by \(verb)") }
        if token, tokenValue != nil { throw usage("'token' is not used by \(verb)") }
    }

    func token() throws(CLIError) -> UInt32 {
        guard let tokenValue else { throw missing("token TOKEN (8 hex digits, as monitor prints it)") }
        return tokenValue
    }

    func localAddress() throws(CLIError) -> IPAddress {
        guard let local else { throw missing("the local ADDRESS") }
        return local
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
        guard sawRemote, let remoteAddress else { throw missing("remote ADDRESS port NR") }
        guard let remotePort else { throw missing("the remote port: remote ADDRESS port NR") }
        return SocketAddress(remoteAddress, port: remotePort)
    }
}
