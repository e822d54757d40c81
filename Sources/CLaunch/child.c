// The start of a program as a child: CMD under `run --intercept`'s seccomp filter
// (filter.c) whose TCP socket() calls wait for a supervisor, the supervisor itself, and
// CMD as another user without the filter, which shares the child's last steps (a session
// of its own, the ids, exec); and the signals passed on to the child. After fork() the
// child runs only async-signal-safe calls: the parent is a Swift program.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "CLaunch.h"
#include "filter.h"

// What the child tells the parent when it cannot go on: the step, and errno.
struct failure { int step; int code; };

__attribute__((noreturn)) static void fail(int control, int step) {
    struct failure failure = { step, errno };
    (void)!send(control, &failure, sizeof failure, MSG_NOSIGNAL);
    _exit(127);
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
    if (count != (ssize_t)sizeof *failure) { failure->step = CLAUNCH_STEP_HAND_OVER; failure->code = EPIPE; return -1; }
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (failure->step != 0 || header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
        if (failure->step == 0) { failure->step = CLAUNCH_STEP_HAND_OVER; failure->code = EPROTO; }
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
__attribute__((noreturn)) static void becomeProgram(int channel, const struct claunch_program *program, const sigset_t *mask) {
    // A freshly forked child leads no process group: setsid() cannot fail here, and
    // would be reported with the ids.
    if (program->new_session && setsid() < 0) fail(channel, CLAUNCH_STEP_IDS);
    if (program->change_ids) {
        if (program->change_groups && setgroups(program->group_count, program->groups) != 0) fail(channel, CLAUNCH_STEP_IDS);
        if (setgid(program->gid) != 0) fail(channel, CLAUNCH_STEP_IDS);
        if (setuid(program->uid) != 0) fail(channel, CLAUNCH_STEP_IDS);
    }
    if (program->readable != NULL && access(program->readable, R_OK) != 0) fail(channel, CLAUNCH_STEP_READABLE);
    // CMD starts with the signal mask mptcpctl was given; exec resets the handlers.
    sigprocmask(SIG_SETMASK, mask, NULL);
    execve(program->path, program->argv, program->envp);
    fail(channel, CLAUNCH_STEP_EXEC);
}

pid_t claunch_intercept_spawn(const struct claunch_program *program, int *listener, int *control, int *step, int *code) {
    int channel;
    sigset_t previous;
    pid_t pid = forkWithChannel(&channel, &previous);
    if (pid < 0) return -1;
    if (pid == 0) {
        int fd = claunch_install_filter();
        if (fd < 0) fail(channel, CLAUNCH_STEP_FILTER);
        if (sendDescriptor(channel, fd) != 0) fail(channel, CLAUNCH_STEP_HAND_OVER);
        close(fd);
        char go = 0;
        ssize_t count;
        do { count = recv(channel, &go, 1, 0); } while (count < 0 && errno == EINTR);
        if (count != 1 || go != 1) _exit(127);
        becomeProgram(channel, program, &previous);
    }
    struct failure failure = { 0, 0 };
    *listener = receiveDescriptor(channel, &failure);
    *control = channel;
    *step = failure.step;
    *code = failure.code;
    return pid;
}

pid_t claunch_spawn_program(const struct claunch_program *program, int *step, int *code) {
    int channel;
    sigset_t previous;
    pid_t pid = forkWithChannel(&channel, &previous);
    if (pid < 0) return -1;
    if (pid == 0) becomeProgram(channel, program, &previous);
    *step = 0;
    *code = 0;
    int reported = claunch_intercept_failure(channel, step, code);
    int cause = errno;
    close(channel);
    if (reported == 0) return pid;
    // Stopped before exec (it exits 127), or nothing is known of it: reaped here.
    if (reported < 0) kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    if (reported < 0) { errno = cause; return -1; }
    return pid;
}

int claunch_intercept_failure(int control, int *step, int *code) {
    struct failure failure;
    ssize_t count;
    do { count = recv(control, &failure, sizeof failure, 0); } while (count < 0 && errno == EINTR);
    if (count < 0) return -1;
    if (count != (ssize_t)sizeof failure) return 0;
    *step = failure.step;
    *code = failure.code;
    return 1;
}

int claunch_intercept_go(int control) {
    char go = 1;
    return send(control, &go, 1, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

pid_t claunch_spawn_supervisor(const char *path, char *const argv[], char *const envp[], int listener, int ready,
                               int listener_at, int ready_at, int keep_stderr) {
    // When run was started with standard streams closed, its own descriptors took their
    // numbers: the listener may be 1, the ready pipe 3. Copied above the hand-over's
    // numbers first, neither is replaced by another before it reaches its place, nor by
    // the /dev/null opened onto 0-2 after.
    int high = (listener_at > ready_at ? listener_at : ready_at) + 1;
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
    posix_spawn_file_actions_adddup2(&actions, handedListener, listener_at);
    posix_spawn_file_actions_adddup2(&actions, handedReady, ready_at);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    // The caller's standard error was closed: what holds 2 now is not it.
    if (!keep_stderr) posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&actions, high);
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

void claunch_forward_signals(pid_t pid, int session) {
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

void claunch_stop_with_child(void) {
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

