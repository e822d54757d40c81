import MPTCPKit
import Testing
@testable import MPTCPCtlCLI

/// Every form of the `userspace` grammar, and its rejections, without a kernel.
struct UserspaceGrammarTests {
    let c = IPAddress("10.0.2.1")!, s = IPAddress("10.0.2.2")!

    func parse(_ verb: String, _ line: String) throws -> UserspaceCommand {
        try UserspaceCommand.parse(verb: verb, line.split(separator: " ").map(String.init))
    }

    @Test func everyCommand() throws {
        #expect(try parse("announce", "10.0.2.1 id 5 token a859c0f3 port 4444 dev eth1")
            == .announce(token: 0xa859c0f3, EndpointSpec(address: c, id: 5, port: 4444, device: "eth1")))
        #expect(try parse("remove", "id 0 token 0xa859c0f3") == .remove(token: 0xa859c0f3, id: 0))
        #expect(try parse("create", "token 1 local 10.0.2.1 id 3 backup remote 10.0.2.2 port 80")
            == .create(token: 1, local: EndpointSpec(address: c, id: 3, flags: .backup), remote: SocketAddress(s, port: 80)))
        #expect(try parse("destroy", "t 1 10.0.2.1 p 4000 r 10.0.2.2 p 80")
            == .destroy(token: 1, local: SocketAddress(c, port: 4000), remote: SocketAddress(s, port: 80)))
        #expect(try parse("change", "token 1 10.0.2.1 remote 10.0.2.2 port 80 nobackup")
            == .change(token: 1, local: SocketAddress(c), remote: SocketAddress(s, port: 80), backup: false))
        // Id 0 is the kernel's to judge (pm_nl_ctl's `csf … lid 0`).
        #expect(try parse("create", "token 1 10.0.2.1 id 0 remote 10.0.2.2 port 80")
            == .create(token: 1, local: EndpointSpec(address: c, id: 0), remote: SocketAddress(s, port: 80)))
        #expect(try parse("listen", "10.0.2.1 port 4444") == .listen(SocketAddress(c, port: 4444)))
        #expect(try parse("show", "token ffffffff") == .show(token: 0xffff_ffff))
    }

    @Test(arguments: [
        ("announce", "10.0.2.1 token 1", "userspace announce: missing id ID"),
        ("announce", "10.0.2.1 id 1", "userspace announce: missing token TOKEN (8 hex digits, as monitor prints it)"),
        ("announce", "10.0.2.1 id 1 token 123456789", "userspace announce: bad token '123456789': a token is 8 hex digits, as monitor prints it"),
        ("announce", "10.0.2.1 id 1 token 1 remote 10.0.2.2", "userspace announce: 'remote' is not used by announce"),
        ("remove", "id 300 token 1", "userspace remove: bad id '300': an id is a number from 1 to 255"),
        ("remove", "10.0.2.1 id 1 token 1", "userspace remove: an ADDRESS is not used by remove"),
        ("create", "token 1 10.0.2.1 port 5 remote 10.0.2.2 port 80", "userspace create: the local 'port' is the kernel's to pick: give it for 'remote' only"),
        ("create", "token 1 10.0.2.1 remote 10.0.2.2 port 80 id 3", "userspace create: 'id' after 'remote': an id names a local address"),
        ("create", "token 1 remote 10.0.2.2 port 80", "userspace create: missing the local ADDRESS"),
        ("destroy", "token 1 10.0.2.1 port 5 remote 10.0.2.2", "userspace destroy: missing the remote port: remote ADDRESS port NR"),
        ("change", "token 1 10.0.2.1 remote 10.0.2.2 port 80", "userspace change: missing backup or nobackup"),
        ("change", "token 1 10.0.2.1 remote 10.0.2.2 port 80 backup nobackup", "userspace change: 'nobackup' given after 'backup'"),
        ("listen", "10.0.2.1", "userspace listen: missing port NR"),
        ("show", "token 1 bogus", "userspace show: unknown word 'bogus': expected an ADDRESS, token TOKEN, id ID, port NR, dev NAME, local, remote, backup or nobackup"),
    ])
    func rejects(verb: String, line: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try parse(verb, line) }
    }
}
