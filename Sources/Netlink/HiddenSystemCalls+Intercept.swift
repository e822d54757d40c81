import CLinux
import Glibc

/// The system calls of a launch under a seccomp listener, over the CLinux shim: the child
/// that becomes the program under a filter handing its TCP socket() calls to a listener,
/// and the supervisor's side of that listener (seccomp_unotify(2)); and the same child
/// without the filter, for a program run as another user, and the signals passed on to
/// either. MPTCPKit's `InterceptedLaunch`, `SocketSupervisor` and `ChildProcess` build on them.
extension HiddenSystemCalls {
    /// The ids the child takes before exec.
    public struct Identity: Sendable, Equatable {
        public var uid: uid_t
        public var gid: gid_t
        /// nil: keep the groups (a caller who is not root cannot change them).
        public var groups: [gid_t]?

        public init(uid: uid_t, gid: gid_t, groups: [gid_t]?) {
            self.uid = uid
            self.gid = gid
            self.groups = groups
        }
    }

    /// The child that becomes CMD, stopped before exec.
    public struct InterceptedChild {
        public let pid: pid_t
        /// The filter's listener; nil when the child failed before handing it over.
        public let listener: Int32?

        /// Closes when CMD's exec succeeds; carries the child's failure otherwise.
        public let control: Int32
        /// Where and why the child failed, when it did before the hand-over.
        public let failure: (step: LaunchStep, code: Errno)?
    }

    /// Where the child stopped.
    public enum LaunchStep: Int32, Sendable {
        case filter = 1, handOver, ids, exec, readable
    }

    /// Forks the child that becomes `path`: the filter first, then the listener handed
    /// over, then it waits for `letIntercepted(run:)`; then a session of its own when
    /// `newSession`, and the ids.
    public static func spawnIntercepted(path: String, arguments: [String], environment: [String], identity: Identity?,
                                        newSession: Bool) throws(Errno) -> InterceptedChild {
        var listener: Int32 = -1
        var control: Int32 = -1
        var step: Int32 = 0
        var code: Int32 = 0
        let pid = withLaunch(path: path, arguments: arguments, environment: environment, identity: identity,
                             newSession: newSession, readable: nil) { clinux_intercept_spawn(&$0, &listener, &control, &step, &code) }
        if pid < 0 { throw .current }
        return InterceptedChild(pid: pid, listener: listener < 0 ? nil : listener, control: control,
                                failure: listener < 0 ? (LaunchStep(rawValue: step) ?? .handOver, Errno(rawValue: code)) : nil)
    }

    /// Forks the child that becomes `path` (no filter), after a session of its own when
    /// `newSession`, the ids, and a check that `readable` (when given) can be read then;
    /// returns once it has exec'd: its pid, or, reaped, where and why it stopped before.
    public static func spawnProgram(path: String, arguments: [String], environment: [String], identity: Identity?,
                                    newSession: Bool, readable: String?) throws(Errno) -> Result<pid_t, LaunchFailure> {
        var step: Int32 = 0
        var code: Int32 = 0
        let pid = withLaunch(path: path, arguments: arguments, environment: environment, identity: identity,
                             newSession: newSession, readable: readable) { clinux_spawn_program(&$0, &step, &code) }
        if pid < 0 { throw .current }
        if step != 0 { return .failure(LaunchFailure(step: LaunchStep(rawValue: step) ?? .exec, code: Errno(rawValue: code))) }
        return .success(pid)
    }

    /// Where and why a child stopped before exec.
    public struct LaunchFailure: Error, Sendable, Equatable {
        public let step: LaunchStep
        public let code: Errno
    }

    /// `body` with the C description of the launch, valid only inside it.
    private static func withLaunch(path: String, arguments: [String], environment: [String], identity: Identity?,
                                   newSession: Bool, readable: String?, _ body: (inout clinux_launch) -> pid_t) -> pid_t {
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { strdup($0) } + [nil]
        let readableCopy = readable.map { strdup($0) } ?? nil
        defer { for pointer in argv + envp + [readableCopy] { free(pointer) } }
        let groups = identity?.groups ?? []
        return path.withCString { path in
            argv.withUnsafeMutableBufferPointer { argv in
                envp.withUnsafeMutableBufferPointer { envp in
                    groups.withUnsafeBufferPointer { groups in
                        var launch = clinux_launch(
                            path: path, argv: argv.baseAddress, envp: envp.baseAddress, new_session: newSession ? 1 : 0,
                            change_ids: identity == nil ? 0 : 1, change_groups: identity?.groups == nil ? 0 : 1,
                            uid: identity?.uid ?? 0, gid: identity?.gid ?? 0,
                            group_count: groups.count, groups: groups.baseAddress, readable: readableCopy)
                        return body(&launch)
                    }
                }
            }
        }
    }

    /// Lets the child go on to exec.
    public static func letIntercepted(run control: Int32) throws(Errno) {
        if clinux_intercept_go(control) != 0 { throw .current }
    }

    /// The child's report once it was let go: nil when CMD runs (exec closed the control
    /// socket), else where and why it stopped.
    public static func interceptedFailure(_ control: Int32) throws(Errno) -> (step: LaunchStep, code: Errno)? {
        var step: Int32 = 0
        var code: Int32 = 0
        switch clinux_intercept_failure(control, &step, &code) {
        case 0: return nil
        case 1: return (LaunchStep(rawValue: step) ?? .exec, Errno(rawValue: code))
        default: throw .current
        }
    }

    /// Whether the kernel installs a socket and answers in one step (Linux 5.14).
    public static func installsAndAnswers(_ listener: Int32) -> Bool {
        clinux_addfd_send_supported(listener) == 1
    }

    /// Starts the supervisor in a session of its own, the listener on descriptor 3 and
    /// `ready` on 4 (wherever they are now, 0-2 included), standard input and output on
    /// /dev/null, and standard error this process's when `keepStandardError`, else /dev/null.
    public static func spawnSupervisor(path: String, arguments: [String], environment: [String], listener: Int32,
                                       ready: Int32, keepStandardError: Bool) throws(Errno) -> pid_t {
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        let pid = clinux_spawn_supervisor(path, &argv, &envp, listener, ready, keepStandardError ? 1 : 0)
        if pid < 0 { throw .current }
        return pid
    }

    /// The descriptors the supervisor is given.
    public static let supervisorListener: Int32 = Int32(CLINUX_SUPERVISOR_LISTENER)
    public static let supervisorReady: Int32 = Int32(CLINUX_SUPERVISOR_READY)

    /// SIGHUP, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT and SIGWINCH go on to `pid`; SIGINT
    /// and SIGQUIT, which the terminal sends CMD as well, are ignored. With `session` (CMD
    /// leads a session of its own), the terminal's SIGINT, SIGQUIT, SIGWINCH and SIGCONT go
    /// to its process group, and SIGTSTP stops the group.
    public static func forwardSignals(to pid: pid_t, session: Bool) {
        clinux_forward_signals(pid, session ? 1 : 0)
    }

    /// Stops this process as the terminal stops a job; returns when it is continued.
    public static func stopWithChild() {
        clinux_stop_with_child()
    }

    /// A socket() call CMD's tree made, waiting for an answer.
    public struct SocketCall: Sendable, Equatable {
        public let id: UInt64
        /// The caller's thread id in the supervisor's pid namespace; 0 when not visible.
        public let thread: Int32
        public let family: Int32
        public let type: Int32
    }

    /// A listener's receive and answer buffers, sized by the kernel.
    public final class NotificationBuffer {
        let pointer: UnsafeMutableRawPointer
        let size: Int

        public init() throws(Errno) {
            var sizes = clinux_notif_sizes()
            if clinux_notif_sizes(&sizes) != 0 { throw .current }
            size = max(sizes.notif, sizes.resp, 128)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        }

        deinit { pointer.deallocate() }

        /// The next call; throws ENOENT when its caller went away before it was read.
        public func receive(_ listener: Int32) throws(Errno) -> SocketCall {
            var call = clinux_socket_call()
            if clinux_notif_receive(listener, pointer, size, &call) != 0 { throw .current }
            return SocketCall(id: call.id, thread: call.pid, family: call.family, type: call.type)
        }

        /// Lets the call run as CMD asked (the kernel makes the TCP socket, as CMD).
        public func proceed(_ listener: Int32, _ id: UInt64) throws(Errno) {
            if clinux_notif_answer(listener, pointer, size, id, 0, 1) != 0 { throw .current }
        }

        /// Fails the call with `code`.
        public func fail(_ listener: Int32, _ id: UInt64, with code: Errno) throws(Errno) {
            if clinux_notif_answer(listener, pointer, size, id, code.rawValue, 0) != 0 { throw .current }
        }
    }

    /// Whether call `id` still waits (its caller alive).
    public static func isWaiting(_ listener: Int32, _ id: UInt64) -> Bool {
        clinux_notif_id_valid(listener, id) == 1
    }

    /// Installs `fd` in the caller of `id`, which socket() then returns; the number there.
    public static func install(_ fd: Int32, answering id: UInt64, on listener: Int32, closeOnExec: Bool) throws(Errno) -> Int32 {
        let number = clinux_notif_install_socket(listener, id, fd, closeOnExec ? 1 : 0)
        if number < 0 { throw .current }
        return number
    }

    /// Sets the calling thread's fsuid, fsgid and groups (not the process's).
    public static func setThreadFileIDs(uid: uid_t, gid: gid_t, groups: [gid_t]) throws(Errno) {
        let result = groups.withUnsafeBufferPointer { clinux_thread_file_ids(uid, gid, $0.count, $0.baseAddress) }
        if result != 0 { throw .current }
    }
}
