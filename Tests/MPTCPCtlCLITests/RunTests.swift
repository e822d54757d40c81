import MPTCPKit
import Testing
@testable import MPTCPCtlCLI

/// `run`'s line: mptcpctl's options up to CMD, CMD's words untouched after it.
struct RunTests {
    func parse(_ line: [String]) throws -> Invocation { try Invocation.parse(line) }

    @Test func theWordsAfterCMDAreCMDs() throws {
        #expect(try parse(["run", "curl", "-s", "--netns", "x", "-j", "http://a/"]).command
            == .run(RunOptions(program: ["curl", "-s", "--netns", "x", "-j", "http://a/"])))
        let line = try parse(["-n", "client", "run", "--no-fallback", "--user", "www-data", "--", "--odd-name", "-h"])
        #expect(line.command == .run(RunOptions(program: ["--odd-name", "-h"], fallback: false, user: "www-data")))
        #expect(line.netns == "client")
        #expect(line.argumentParserArguments == ["run", "--netns", "client", "--no-fallback", "--user=www-data", "--", "--odd-name", "-h"])
        #expect(try parse(["run", "--user=0", "id"]).command == .run(RunOptions(program: ["id"], user: "0")))
        // --intercept before CMD is run's; after CMD, CMD's.
        let intercepted = try parse(["run", "--intercept", "--no-fallback", "busybox", "--intercept"])
        #expect(intercepted.command == .run(RunOptions(program: ["busybox", "--intercept"], fallback: false, intercept: true)))
        #expect(intercepted.argumentParserArguments == ["run", "--no-fallback", "--intercept", "--", "busybox", "--intercept"])
        // A namespace named run is a namespace, and CMD may be called run.
        #expect(try parse(["-n", "run", "endpoint", "show"]).netns == "run")
        #expect(try parse(["run", "run", "x"]).command == .run(RunOptions(program: ["run", "x"])))
        // Help: before CMD it is run's; after CMD, CMD's.
        #expect(try parse(["run", "--help"]).mode == .help)
        #expect(try parse(["run", "sh", "--help"]).command == .run(RunOptions(program: ["sh", "--help"])))
    }

    @Test(arguments: [
        (["run"], "run: missing CMD: e.g. 'mptcpctl run curl https://example.com/'"),
        (["run", "--"], "run: missing CMD: e.g. 'mptcpctl run curl https://example.com/'"),
        (["run", ""], "run: bad CMD '': a program's name or path is not empty"),
        (["run", "--user"], "'--user' needs a user name or number"),
        (["run", "--user", "a:b", "id"], "run: bad --user 'a:b': a user is a name or a number from the password database"),
        (["run", "--bogus", "id"], "unknown option '--bogus'; see 'mptcpctl --help'"),
        (["-j", "run", "id"], "run: -j, -p and --format have nothing to format: CMD's output is its own"),
        (["run", "--delay", "1", "id"], "'--delay' works with top only"),
        (["top", "--no-fallback"], "'--no-fallback' works with run and enable only"),
    ])
    func badLinesAreRefused(line: [String], message: String) {
        #expect(throws: CLIError.usage(message)) { try Invocation.parse(line) }
    }

    /// The supervisor's hidden line, which only `run --intercept` writes.
    @Test func theSupervisorsLine() throws {
        #expect(try parse(["__supervise-sockets"]).mode == .superviseSockets(fallback: true))
        #expect(try parse(["__supervise-sockets", "--no-fallback"]).mode == .superviseSockets(fallback: false))
        for line in [["__supervise-sockets", "x"], ["__supervise-sockets", "--no-fallback", "--no-fallback"]] {
            #expect(throws: CLIError.usage("__supervise-sockets: started by 'run --intercept' only")) { try parse(line) }
        }
    }

    @Test func theLineIsCutWhereCMDStarts() {
        #expect(RunOptions.split(["endpoint", "show"]) == nil)
        #expect(RunOptions.split(["-n", "run", "limits"]) == nil)
        #expect(RunOptions.split(["run"])?.line == ["run"])
        #expect(RunOptions.split(["-n", "ns", "run", "--user", "u", "cmd", "-x"]).map { [$0.line, $0.program] }
            == [["-n", "ns", "run", "--user", "u"], ["cmd", "-x"]])
        #expect(RunOptions.split(["run", "--", "--", "-x"]).map { [$0.line, $0.program] } == [["run"], ["--", "-x"]])
    }
}
