// mptcp-peer: the smallest MPTCP server and client that the kernel tests and
// `make demo` need. Run it inside a namespace (`ip netns exec NS mptcp-peer …`).
//
//   mptcp-peer server ADDRESS PORT [--connections N]
//       listen, print "listening", then accept N connections (default 1) one after
//       the other, read each to its end, and close it
//   mptcp-peer client ADDRESS PORT [--connections N] [--bytes N] [--hold MS] [--stdin]
//                     [--stream MS]
//       connect N times (default 1): send BYTES (default 0), wait MS (default 0)
//       for the path manager to add subflows, then close; with --stdin, stop waiting
//       as soon as standard input ends (a test closes it once it saw the subflows).
//       With --stream, send without pause for MS (a bulk transfer that keeps every
//       subflow busy) instead of BYTES, stopping early when --stdin's input ends
import Glibc

func say(_ fd: Int32, _ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    say(STDERR_FILENO, "mptcp-peer: \(message)")
    exit(1)
}

/// A socket address for ADDRESS and PORT, v4 or v6.
func socketAddress(_ text: String, _ port: UInt16) -> (family: Int32, storage: sockaddr_storage, length: socklen_t) {
    var storage = sockaddr_storage()
    var v4 = in_addr(), v6 = in6_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.withMemoryRebound(to: sockaddr_in.self) { a in
                a[0].sin_family = sa_family_t(AF_INET); a[0].sin_port = port.bigEndian; a[0].sin_addr = v4
            }
        }
        return (AF_INET, storage, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
    guard inet_pton(AF_INET6, text, &v6) == 1 else { fail("bad address '\(text)'") }
    withUnsafeMutableBytes(of: &storage) { raw in
        raw.withMemoryRebound(to: sockaddr_in6.self) { a in
            a[0].sin6_family = sa_family_t(AF_INET6); a[0].sin6_port = port.bigEndian; a[0].sin6_addr = v6
        }
    }
    return (AF_INET6, storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
}

func option(_ name: String, in arguments: [String], default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name) else { return value }
    guard index + 1 < arguments.count, let number = Int(arguments[index + 1]), number >= 0 else { fail("bad \(name)") }
    return number
}

func withAddress<T>(_ address: inout sockaddr_storage, _ body: (UnsafePointer<sockaddr>) -> T) -> T {
    withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
}

func serve(_ address: String, _ port: UInt16, connections: Int) {
    var (family, storage, length) = socketAddress(address, port)
    let listener = socket(family, Int32(SOCK_STREAM.rawValue), Int32(IPPROTO_MPTCP))
    if listener < 0 { fail("socket: \(String(cString: strerror(errno))) (is MPTCP enabled?)") }
    var on: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    if withAddress(&storage, { bind(listener, $0, length) }) != 0 { fail("bind: \(String(cString: strerror(errno)))") }
    if listen(listener, 1024) != 0 { fail("listen: \(String(cString: strerror(errno)))") }
    say(STDOUT_FILENO, "listening")
    var buffer = [UInt8](repeating: 0, count: 65536)
    for _ in 0..<connections {
        let connection = accept(listener, nil, nil)
        if connection < 0 { fail("accept: \(String(cString: strerror(errno)))") }
        while buffer.withUnsafeMutableBytes({ read(connection, $0.baseAddress, $0.count) }) > 0 {}
        close(connection)
    }
    close(listener)
}

/// Milliseconds on the monotonic clock.
func now() -> Int {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return spec.tv_sec * 1000 + spec.tv_nsec / 1_000_000
}

/// Waits up to `milliseconds`, or until standard input ends when `untilInputEnds`.
func hold(_ milliseconds: Int, untilInputEnds: Bool) {
    guard untilInputEnds else {
        if milliseconds > 0 { usleep(useconds_t(milliseconds * 1000)) }
        return
    }
    let deadline = now() + milliseconds
    var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    var scratch = [UInt8](repeating: 0, count: 512)
    while now() < deadline {
        guard poll(&input, 1, Int32(max(1, deadline - now()))) > 0 else { continue }
        if scratch.withUnsafeMutableBytes({ read(STDIN_FILENO, $0.baseAddress, $0.count) }) <= 0 { return }
    }
}

/// Whether standard input has ended (read without waiting).
func inputEnded() -> Bool {
    var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
    guard poll(&input, 1, 0) > 0 else { return false }
    var scratch = [UInt8](repeating: 0, count: 512)
    return scratch.withUnsafeMutableBytes({ read(STDIN_FILENO, $0.baseAddress, $0.count) }) <= 0
}

func sendAll(_ fd: Int32, _ payload: [UInt8]) {
    var sent = 0
    while sent < payload.count {
        let n = payload.withUnsafeBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
        if n <= 0 { fail("write: \(String(cString: strerror(errno)))") }
        sent += n
    }
}

func connectMany(_ address: String, _ port: UInt16, connections: Int, bytes: Int, holdMilliseconds: Int, untilInputEnds: Bool,
                 streamMilliseconds: Int) {
    var (family, storage, length) = socketAddress(address, port)
    let payload = [UInt8](repeating: 0x6d, count: bytes)
    let chunk = [UInt8](repeating: 0x6d, count: 65536)
    for _ in 0..<connections {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), Int32(IPPROTO_MPTCP))
        if fd < 0 { fail("socket: \(String(cString: strerror(errno)))") }
        if withAddress(&storage, { connect(fd, $0, length) }) != 0 { fail("connect: \(String(cString: strerror(errno)))") }
        if streamMilliseconds > 0 {
            let end = now() + streamMilliseconds
            while now() < end, !(untilInputEnds && inputEnded()) { sendAll(fd, chunk) }
        } else {
            sendAll(fd, payload)
        }
        hold(holdMilliseconds, untilInputEnds: untilInputEnds)
        shutdown(fd, Int32(SHUT_WR))
        var scratch = [UInt8](repeating: 0, count: 4096)
        while scratch.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
        close(fd)
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3, let port = UInt16(arguments[2]) else {
    fail("usage: mptcp-peer server|client ADDRESS PORT [--connections N] [--bytes N] [--hold MS] [--stdin] [--stream MS]")
}
let connections = option("--connections", in: arguments, default: 1)
switch arguments[0] {
case "server": serve(arguments[1], port, connections: connections)
case "client":
    connectMany(arguments[1], port, connections: connections, bytes: option("--bytes", in: arguments, default: 0),
                holdMilliseconds: option("--hold", in: arguments, default: 0), untilInputEnds: arguments.contains("--stdin"),
                streamMilliseconds: option("--stream", in: arguments, default: 0))
default: fail("unknown mode '\(arguments[0])': server or client")
}
