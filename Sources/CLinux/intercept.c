// `mptcpctl run --intercept`: the start of CMD under a seccomp filter whose TCP socket()
// calls wait for a supervisor (seccomp_unotify(2)), and the supervisor's side of the
// listener; and the start of CMD as another user without the filter, which shares the
// child's last steps (a session of its own, the ids, exec) and the signals passed on.
// After fork() the child runs only async-signal-safe calls: the parent is a Swift program.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "CLinux.h"

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "--intercept: no seccomp architecture for this target"
#endif

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

#define ARG_LOW(n) (offsetof(struct seccomp_data, args) + (n) * sizeof(__u64))

// socket(AF_INET or AF_INET6, SOCK_STREAM with any flags, 0 or IPPROTO_TCP) of the native
// architecture goes to the listener; every other system call, and socket() with
// IPPROTO_MPTCP (the preload library's and the supervisor's), runs as usual. The kernel
// reads socket()'s arguments as ints: the low 32 bits are compared (little-endian).
static struct sock_filter tcpSocketFilter[] = {
    /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 0, 12),
    /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 10),
    /* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(0)),
    /* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET, 1, 0),
    /* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 0, 7),
    /* 7 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(1)),
    /* 8 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf),
    /* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOCK_STREAM, 0, 4),
    /* 10 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LOW(2)),
    /* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
    /* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 1),
    /* 13 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
    /* 14 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

// What the child tells the parent when it cannot go on: the step, and errno.
struct failure { int step; int code; };

__attribute__((noreturn)) static void fail(int control, int step) {
    struct failure failure = { step, errno };
    (void)!send(control, &failure, sizeof failure, MSG_NOSIGNAL);
    _exit(127);
}

static int installFilter(void) {
    struct sock_fprog program = { sizeof tcpSocketFilter / sizeof tcpSocketFilter[0], tcpSocketFilter };
    unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    for (int attempt = 0; attempt < 3; attempt++) {
        int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &program);
        if (listener >= 0) return listener;
        if (errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
            // Before 5.19: signals may interrupt a socket() the supervisor holds.
            flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
        } else if (errno == EACCES) {
            // Without CAP_SYS_ADMIN a filter needs no_new_privs: set-ID programs CMD
            // starts then run without their privileges.
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
        } else {
            return -1;
        }
    }
    return -1;
}

// The hand-over is a `struct failure` of zeros with the listener attached; a failure
// before it is the same message with the step, and nothing attached.
static int sendDescriptor(int socket, int fd) {
    struct failure none = { 0, 0 };
    struct iovec data = { &none, sizeof none };
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.space,
                              .msg_controllen = sizeof control.space };
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof fd);
    return sendmsg(socket, &message, MSG_NOSIGNAL) == (ssize_t)sizeof none ? 0 : -1;
}

static int receiveDescriptor(int socket, struct failure *failure) {
    struct iovec data = { failure, sizeof *failure };
    union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
    struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.space,
                              .msg_controllen = sizeof control.space };
    ssize_t count;
    do { count = recvmsg(socket, &message, MSG_CMSG_CLOEXEC); } while (count < 0 && errno == EINTR);
    if (count < 0) return -1;
    if (count != (ssize_t)sizeof *failure) { failure->step = CLINUX_STEP_HAND_OVER; failure->code = EPIPE; return -1; }
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (failure->step != 0 || header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
        if (failure->step == 0) { failure->step = CLINUX_STEP_HAND_OVER; failure->code = EPROTO; }
        return -1;
    }
    int fd;
    memcpy(&fd, CMSG_DATA(header), sizeof fd);
    return fd;
}

// Forks with every signal blocked (no handler of the parent's may run in the child
// before exec) and a close-on-exec socket pair between the two: `*channel` is the
// child's end in the child and the parent's in the parent; `previous`, the mask to give
// back (the child gives it to CMD).
static pid_t forkWithChannel(int *channel, sigset_t *previous) {
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) return -1;
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, previous);
    pid_t pid = fork();
    if (pid < 0) {
        int code = errno;
        sigprocmask(SIG_SETMASK, previous, NULL);
        close(pair[0]);
        close(pair[1]);
        errno = code;
        return -1;
    }
    if (pid == 0) {
        close(pair[0]);
        *channel = pair[1];
        return 0;
    }
    sigprocmask(SIG_SETMASK, previous, NULL);
    close(pair[1]);
    *channel = pair[0];
    return pid;
}

// The child's last steps: a session of its own when asked, the ids, the file the user
// must be able to read, CMD's signal mask, exec. A failure is reported on `channel`.
__attribute__((noreturn)) static void becomeProgram(int channel, const struct clinux_launch *launch, const sigset_t *mask) {
    // A freshly forked child leads no process group: setsid() cannot fail here, and
    // would be reported with the ids.
    if (launch->new_session && setsid() < 0) fail(channel, CLINUX_STEP_IDS);
    if (launch->change_ids) {
        if (launch->change_groups && setgroups(launch->group_count, launch->groups) != 0) fail(channel, CLINUX_STEP_IDS);
        if (setgid(launch->gid) != 0) fail(channel, CLINUX_STEP_IDS);
        if (setuid(launch->uid) != 0) fail(channel, CLINUX_STEP_IDS);
    }
    if (launch->readable != NULL && access(launch->readable, R_OK) != 0) fail(channel, CLINUX_STEP_READABLE);
    // CMD starts with the signal mask mptcpctl was given; exec resets the handlers.
    sigprocmask(SIG_SETMASK, mask, NULL);
    execve(launch->path, launch->argv, launch->envp);
    fail(channel, CLINUX_STEP_EXEC);
}

pid_t clinux_intercept_spawn(const struct clinux_launch *launch, int *listener, int *control, int *step, int *code) {
    int channel;
    sigset_t previous;
    pid_t pid = forkWithChannel(&channel, &previous);
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = installFilter();
        if (fd < 0) fail(channel, CLINUX_STEP_FILTER);
        if (sendDescriptor(channel, fd) != 0) fail(channel, CLINUX_STEP_HAND_OVER);
        close(fd);
        char go = 0;
        ssize_t count;
        do { count = recv(channel, &go, 1, 0); } while (count < 0 && errno == EINTR);
        if (count != 1 || go != 1) _exit(127);
        becomeProgram(channel, launch, &previous);
    }
    struct failure failure = { 0, 0 };
    *listener = receiveDescriptor(channel, &failure);
    *control = channel;
    *step = failure.step;
    *code = failure.code;
    return pid;
}

pid_t clinux_spawn_program(const struct clinux_launch *launch, int *step, int *code) {
    int channel;
    sigset_t previous;
    pid_t pid = forkWithChannel(&channel, &previous);
    if (pid < 0) return -1;
    if (pid == 0) becomeProgram(channel, launch, &previous);
    *step = 0;
    *code = 0;
    int reported = clinux_intercept_failure(channel, step, code);
    int cause = errno;
    close(channel);
    if (reported == 0) return pid;
    // Stopped before exec (it exits 127), or nothing is known of it: reaped here.
    if (reported < 0) kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    if (reported < 0) { errno = cause; return -1; }
    return pid;
}

int clinux_intercept_failure(int control, int *step, int *code) {
    struct failure failure;
    ssize_t count;
    do { count = recv(control, &failure, sizeof failure, 0); } while (count < 0 && errno == EINTR);
    if (count < 0) return -1;
    if (count != (ssize_t)sizeof failure) return 0;
    *step = failure.step;
    *code = failure.code;
    return 1;
}

int clinux_intercept_go(int control) {
    char go = 1;
    return send(control, &go, 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int clinux_addfd_send_supported(int listener) {
    // Flags are checked before the id: a kernel that knows SEND answers ENOENT for
    // id 0; 5.9 to 5.13 answer EINVAL, older ones ENOTTY.
    struct seccomp_notif_addfd addfd = { .id = 0, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (__u32)listener };
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) >= 0) return 1;
    return errno == ENOENT ? 1 : 0;
}

pid_t clinux_spawn_supervisor(const char *path, char *const argv[], char *const envp[], int listener, int ready,
                              int keep_stderr) {
    // When run was started with standard streams closed, its own descriptors took their
    // numbers: the listener may be 1, the ready pipe 3. Copied above the hand-over's
    // numbers first, neither is replaced by another before it reaches its place, nor by
    // the /dev/null opened onto 0-2 after.
    int high = CLINUX_SUPERVISOR_READY + 1;
    int handedListener = fcntl(listener, F_DUPFD_CLOEXEC, high);
    int handedReady = handedListener < 0 ? -1 : fcntl(ready, F_DUPFD_CLOEXEC, high);
    if (handedReady < 0) {
        int code = errno;
        if (handedListener >= 0) close(handedListener);
        errno = code;
        return -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    if (posix_spawn_file_actions_init(&actions) != 0) {
        close(handedListener);
        close(handedReady);
        errno = ENOMEM;
        return -1;
    }
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_adddup2(&actions, handedListener, CLINUX_SUPERVISOR_LISTENER);
    posix_spawn_file_actions_adddup2(&actions, handedReady, CLINUX_SUPERVISOR_READY);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    // The caller's standard error was closed: what holds 2 now is not it.
    if (!keep_stderr) posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&actions, CLINUX_SUPERVISOR_READY + 1);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    // A session of its own: the terminal's signals, meant for CMD, never reach it.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int result = posix_spawn(&pid, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(handedListener);
    close(handedReady);
    if (result != 0) { errno = result; return -1; }
    return pid;
}

static volatile sig_atomic_t forwardedTo = 0;
static volatile sig_atomic_t forwardedToSession = 0;

// The terminal's signals go to CMD's process group when CMD has a session of its own: the
// terminal would have sent them to every process of the job. Its SIGTSTP becomes SIGSTOP:
// alone in its session, CMD's group is orphaned, and the kernel discards SIGTSTP for it.
// The others are meant for CMD itself.
static void forward(int number) {
    int saved = errno;
    pid_t pid = (pid_t)forwardedTo;
    if (pid > 0) {
        if (!forwardedToSession) {
            kill(pid, number);
        } else if (number == SIGTSTP) {
            killpg(pid, SIGSTOP);
        } else if (number == SIGINT || number == SIGQUIT || number == SIGWINCH || number == SIGCONT) {
            killpg(pid, number);
        } else {
            kill(pid, number);
        }
    }
    errno = saved;
}

void clinux_forward_signals(pid_t pid, int session) {
    forwardedTo = pid;
    forwardedToSession = session;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    int forwarded[] = { SIGHUP, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT, SIGWINCH, SIGINT, SIGQUIT, SIGTSTP };
    // Without a session of its own, CMD is in run's process group: the terminal sends it
    // SIGINT, SIGQUIT and SIGTSTP itself, and CMD decides; run ignores the first two and
    // stops with it on the third.
    size_t count = session ? 9 : 6;
    sigset_t signals;
    sigemptyset(&signals);
    for (size_t index = 0; index < count; index++) {
        sigaction(forwarded[index], &action, NULL);
        sigaddset(&signals, forwarded[index]);
    }
    if (!session) {
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
    }
    sigprocmask(SIG_UNBLOCK, &signals, NULL);
}

void clinux_stop_with_child(void) {
    struct sigaction stop, previous;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = SIG_DFL;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTSTP, &stop, &previous);
    sigset_t tstp;
    sigemptyset(&tstp);
    sigaddset(&tstp, SIGTSTP);
    sigprocmask(SIG_UNBLOCK, &tstp, NULL);
    // Stops here until SIGCONT (fg or bg), whose handler passes it on to CMD's group.
    raise(SIGTSTP);
    sigaction(SIGTSTP, &previous, NULL);
}

// The supervisor's side.

int clinux_notif_sizes(struct clinux_notif_sizes *sizes) {
    struct seccomp_notif_sizes kernel;
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &kernel) != 0) return -1;
    sizes->notif = kernel.seccomp_notif;
    sizes->resp = kernel.seccomp_notif_resp;
    return 0;
}

int clinux_notif_receive(int listener, void *buffer, size_t size, struct clinux_socket_call *call) {
    memset(buffer, 0, size);
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, buffer) != 0) return -1;
    const struct seccomp_notif *notif = buffer;
    call->id = notif->id;
    call->pid = (int)notif->pid;
    call->family = (int)notif->data.args[0];
    call->type = (int)notif->data.args[1];
    return 0;
}

int clinux_notif_id_valid(int listener, uint64_t id) {
    __u64 value = id;
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &value) == 0 ? 1 : 0;
}

int clinux_notif_answer(int listener, void *buffer, size_t size, uint64_t id, int code, int proceed) {
    memset(buffer, 0, size);
    struct seccomp_notif_resp *response = buffer;
    response->id = id;
    if (proceed) {
        response->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    } else {
        response->error = -code;
    }
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, response) == 0 ? 0 : -1;
}

int clinux_notif_install_socket(int listener, uint64_t id, int fd, int close_on_exec) {
    struct seccomp_notif_addfd addfd = {
        .id = id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (__u32)fd, .newfd = 0,
        .newfd_flags = close_on_exec ? O_CLOEXEC : 0,
    };
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
}

int clinux_thread_file_ids(uid_t uid, gid_t gid, size_t count, const gid_t *groups) {
    // Raw system calls: the C library's setgroups() changes every thread, and these
    // change the calling thread's credentials only.
    if (syscall(SYS_setgroups, count, groups) != 0) return -1;
    syscall(SYS_setfsgid, gid);
    if ((gid_t)syscall(SYS_setfsgid, (gid_t)-1) != gid) { errno = EPERM; return -1; }
    syscall(SYS_setfsuid, uid);
    if ((uid_t)syscall(SYS_setfsuid, (uid_t)-1) != uid) { errno = EPERM; return -1; }
    return 0;
}
