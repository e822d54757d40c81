import CLaunch
import Glibc
import MPTCPKit

/// CLaunch's calls as Swift, for this module only: the child that becomes a program
/// (under the filter that hands its TCP socket() calls to a listener, or without it),
/// the supervisor started on that listener and its side of it (seccomp_unotify(2)), the
/// signals passed on to a child, a thread's own file ids, and openat2(2).
enum LaunchCalls {
    /// The child that becomes CMD, stopped before exec.
    struct InterceptedChild {
        let pid: pid_t
        /// The filter's listener; nil when the child failed before handing it over.
        let listener: Int32?
        /// Closes when CMD's exec succeeds; carries the child's failure otherwise.
        let control: Int32
        /// Where and why the child failed, when it did before the hand-over.
        let failure: Failure?
    }

    /// Where the child stopped.
    enum Step: Int32, Sendable {
        case filter = 1, handOver, ids, exec, readable
    }

    /// Where and why a child stopped before exec.
    struct Failure: Error, Sendable, Equatable {
        let step: Step
        let code: Errno
    }

    /// Forks the child that becomes `path`: the filter first, then the listener handed
    /// over, then it waits for `letGo(_:)`; then a session of its own when `newSession`,
    /// and the ids.
    static func spawnIntercepted(path: String, arguments: [String], environment: [String], identity: ProgramIdentity?,
                                 newSession: Bool) throws(Errno) -> InterceptedChild {
        var listener: Int32 = -1
        var control: Int32 = -1
        var step: Int32 = 0
        var code: Int32 = 0
        let pid = withProgram(path: path, arguments: arguments, environment: environment, identity: identity,
                              newSession: newSession, readable: nil) { claunch_intercept_spawn(&$0, &listener, &control, &step, &code) }
        if pid < 0 { throw .current }
        return InterceptedChild(pid: pid, listener: listener < 0 ? nil : listener, control: control,
                                failure: listener < 0 ? Failure(step: Step(rawValue: step) ?? .handOver, code: Errno(rawValue: code)) : nil)
    }

    /// Forks the child that becomes `path` (no filter), after a session of its own when
    /// `newSession`, the ids, and a check that `readable` (when given) can be read then;
    /// returns once it has exec'd: its pid, or, reaped, where and why it stopped before.
    static func spawnProgram(path: String, arguments: [String], environment: [String], identity: ProgramIdentity?,
                             newSession: Bool, readable: String?) throws(Errno) -> Result<pid_t, Failure> {
        var step: Int32 = 0
        var code: Int32 = 0
        let pid = withProgram(path: path, arguments: arguments, environment: environment, identity: identity,
                              newSession: newSession, readable: readable) { claunch_spawn_program(&$0, &step, &code) }
        if pid < 0 { throw .current }
        if step != 0 { return .failure(Failure(step: Step(rawValue: step) ?? .exec, code: Errno(rawValue: code))) }
        return .success(pid)
    }

    /// `body` with the C description of the program, valid only inside it.
    private static func withProgram(path: String, arguments: [String], environment: [String], identity: ProgramIdentity?,
                                    newSession: Bool, readable: String?, _ body: (inout claunch_program) -> pid_t) -> pid_t {
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { strdup($0) } + [nil]
        let readableCopy = readable.map { strdup($0) } ?? nil
        defer { for pointer in argv + envp + [readableCopy] { free(pointer) } }
        let groups = identity?.groups ?? []
        return path.withCString { path in
            argv.withUnsafeMutableBufferPointer { argv in
                envp.withUnsafeMutableBufferPointer { envp in
                    groups.withUnsafeBufferPointer { groups in
                        var program = claunch_program(
                            path: path, argv: argv.baseAddress, envp: envp.baseAddress, new_session: newSession ? 1 : 0,
                            change_ids: identity == nil ? 0 : 1, change_groups: identity?.groups == nil ? 0 : 1,
                            uid: identity?.uid ?? 0, gid: identity?.gid ?? 0,
                            group_count: groups.count, groups: groups.baseAddress, readable: readableCopy)
                        return body(&program)
                    }
                }
            }
        }
    }

    /// Lets the child go on to exec.
    static func letGo(_ control: Int32) throws(Errno) {
        if claunch_intercept_go(control) != 0 { throw .current }
    }

    /// The child's report once it was let go: nil when CMD runs (exec closed the control
    /// socket), else where and why it stopped.
    static func failure(_ control: Int32) throws(Errno) -> Failure? {
        var step: Int32 = 0
        var code: Int32 = 0
        switch claunch_intercept_failure(control, &step, &code) {
        case 0: return nil
        case 1: return Failure(step: Step(rawValue: step) ?? .exec, code: Errno(rawValue: code))
        default: throw .current
        }
    }

    /// Whether the kernel installs a socket and answers in one step (Linux 5.14).
    static func installsAndAnswers(_ listener: Int32) -> Bool {
        claunch_addfd_send_supported(listener) == 1
    }

    /// Starts the supervisor in a session of its own, the listener and `ready` on the
    /// hand-over's descriptors (wherever they are now, 0-2 included), standard input and
    /// output on /dev/null, and standard error this process's when `keepStandardError`,
    /// else /dev/null.
    static func spawnSupervisor(path: String, arguments: [String], environment: [String], listener: Int32,
                                ready: Int32, keepStandardError: Bool) throws(Errno) -> pid_t {
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        let pid = claunch_spawn_supervisor(path, &argv, &envp, listener, ready, SupervisorHandOver.listener,
                                           SupervisorHandOver.ready, keepStandardError ? 1 : 0)
        if pid < 0 { throw .current }
        return pid
    }

    /// SIGHUP, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT and SIGWINCH go on to `pid`; SIGINT
    /// and SIGQUIT, which the terminal sends CMD as well, are ignored. With `session` (CMD
    /// leads a session of its own), the terminal's SIGINT, SIGQUIT, SIGWINCH and SIGCONT go
    /// to its process group, and SIGTSTP stops the group.
    static func forwardSignals(to pid: pid_t, session: Bool) {
        claunch_forward_signals(pid, session ? 1 : 0)
    }

    /// Stops this process as the terminal stops a job; returns when it is continued.
    static func stopWithChild() {
        claunch_stop_with_child()
    }

    /// A listener's receive and answer buffers, sized by the kernel.
    final class NotificationBuffer {
        let pointer: UnsafeMutableRawPointer
        let size: Int

        init() throws(Errno) {
            var sizes = claunch_notif_sizes()
            if claunch_notif_sizes(&sizes) != 0 { throw .current }
            size = max(sizes.notif, sizes.resp, 128)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        }

        deinit { pointer.deallocate() }

        /// The next call; throws ENOENT when its caller went away before it was read.
        func receive(_ listener: Int32) throws(Errno) -> SocketCall {
            var call = claunch_socket_call()
            if claunch_notif_receive(listener, pointer, size, &call) != 0 { throw .current }
            return SocketCall(id: call.id, thread: call.pid, family: call.family, type: call.type, protocol: call.protocol)
        }

        /// Lets the call run as CMD asked (the kernel makes the TCP socket, as CMD).
        func proceed(_ listener: Int32, _ id: UInt64) throws(Errno) {
            if claunch_notif_answer(listener, pointer, size, id, 0, 1) != 0 { throw .current }
        }

        /// Fails the call with `code`.
        func fail(_ listener: Int32, _ id: UInt64, with code: Errno) throws(Errno) {
            if claunch_notif_answer(listener, pointer, size, id, code.rawValue, 0) != 0 { throw .current }
        }
    }

    /// Whether call `id` still waits (its caller alive).
    static func isWaiting(_ listener: Int32, _ id: UInt64) -> Bool {
        claunch_notif_id_valid(listener, id) == 1
    }

    /// Installs `fd` in the caller of `id`, which socket() then returns; the number there.
    static func install(_ fd: Int32, answering id: UInt64, on listener: Int32, closeOnExec: Bool) throws(Errno) -> Int32 {
        let number = claunch_notif_install_socket(listener, id, fd, closeOnExec ? 1 : 0)
        if number < 0 { throw .current }
        return number
    }

    /// Sets the calling thread's fsuid, fsgid and groups (not the process's).
    static func setThreadFileIDs(uid: uid_t, gid: gid_t, groups: [gid_t]) throws(Errno) {
        let result = groups.withUnsafeBufferPointer { claunch_thread_file_ids(uid, gid, $0.count, $0.baseAddress) }
        if result != 0 { throw .current }
    }

    /// O_PATH (<fcntl.h> has it for _GNU_SOURCE only): a descriptor that names a file
    /// without opening it for reading or writing; it serves fstat, readlinkat and *at().
    static let pathOnly: Int32 = claunch_o_path

    /// openat2(2) of `path` with the directory `root` as its root (RESOLVE_IN_ROOT |
    /// RESOLVE_NO_MAGICLINKS): '/', '..' and absolute links resolve inside it, never
    /// out of it. `mode` counts with O_CREAT only.
    static func openInRoot(_ root: Int32, _ path: String, flags: Int32, mode: mode_t = 0) throws(Errno) -> Int32 {
        let fd = claunch_open_in_root(root, path, flags, mode)
        if fd < 0 { throw .current }
        return fd
    }
}
