#ifndef MPTCPCTL_CLINUX_H
#define MPTCPCTL_CLINUX_H

// What Glibc's Swift module hides behind _GNU_SOURCE, as plain functions: setns(2),
// unshare(2), signalfd(2) and openat2(2) (which Glibc does not wrap); and `run --intercept`'s seccomp user notification
// (intercept.c), where the child between fork and exec must run C only. Imported by the
// Netlink module only (HiddenSystemCalls).

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// setns(fd, CLONE_NEWNET): moves the calling thread into a network namespace.
int clinux_enter_network_namespace(int fd);

/// unshare(CLONE_NEWNET): moves the calling thread into a new network namespace.
int clinux_enter_new_network_namespace(void);

/// A signalfd(2) (non-blocking, close-on-exec) for `signals`; -1 with errno on failure.
/// The caller blocks the signals first, so they queue on the descriptor instead.
int clinux_signalfd(const sigset_t *signals);

/// Reads one queued signal from a signalfd: its number, 0 when none is queued, -1 with
/// errno on failure.
int clinux_signalfd_read(int fd);

/// openat2(2) of `path` with the directory `root` as its root: `/`, `..` and absolute
/// links resolve inside it (RESOLVE_IN_ROOT) and /proc's magic links are refused
/// (RESOLVE_NO_MAGICLINKS). `mode` counts with O_CREAT only. Retried while the kernel
/// answers EAGAIN (a rename under the root raced the lookup). A descriptor, or -1 with
/// errno.
int clinux_open_in_root(int root, const char *path, int flags, mode_t mode);

/// O_PATH, which <fcntl.h> defines for _GNU_SOURCE only: a descriptor that names a file
/// without opening it for reading or writing (fstat, readlinkat, a directory for *at()).
extern const int clinux_o_path;

/// What the child of `clinux_intercept_spawn` and `clinux_spawn_program` runs: CMD, and
/// what it takes before: a session of its own (setsid), the ids; then `readable` must be
/// readable (NULL: nothing to check).
struct clinux_launch {
    const char *path;
    char *const *argv;
    char *const *envp;
    int new_session;
    int change_ids;
    int change_groups;
    uid_t uid;
    gid_t gid;
    size_t group_count;
    const gid_t *groups;
    const char *readable;
};

/// The step at which the child of `clinux_intercept_spawn` or `clinux_spawn_program` failed.
enum {
    CLINUX_STEP_FILTER = 1,
    CLINUX_STEP_HAND_OVER = 2,
    CLINUX_STEP_IDS = 3,
    CLINUX_STEP_EXEC = 4,
    CLINUX_STEP_READABLE = 5,
};

/// The descriptors the supervisor finds the listener and its ready pipe on.
enum { CLINUX_SUPERVISOR_LISTENER = 3, CLINUX_SUPERVISOR_READY = 4 };

/// Forks the child that becomes CMD. It installs the seccomp filter that hands TCP
/// socket() calls to a listener, sends the listener to the parent, waits for
/// `clinux_intercept_go`, takes `launch`'s ids and execs. Returns its pid, with the
/// listener and the control socket, whose end closes at a successful exec; the listener
/// is -1 when the child failed first, with the step and errno it failed at. -1 with errno
/// when it cannot fork.
pid_t clinux_intercept_spawn(const struct clinux_launch *launch, int *listener, int *control, int *step, int *code);

/// Forks the child that becomes CMD with `launch` (no filter) and waits until it has
/// exec'd: its pid, with `step` 0; or, when it stopped before, its pid (reaped) with the
/// step and errno it failed at. -1 with errno when it cannot fork.
pid_t clinux_spawn_program(const struct clinux_launch *launch, int *step, int *code);

/// Lets the child exec; 0, or -1 with errno.
int clinux_intercept_go(int control);

/// The child's failure report: 1 with `step` and `code`, 0 when the control socket
/// closed without one (CMD runs), -1 with errno.
int clinux_intercept_failure(int control, int *step, int *code);

/// 1 when the kernel installs a descriptor and answers at once (SECCOMP_ADDFD_FLAG_SEND,
/// Linux 5.14), else 0.
int clinux_addfd_send_supported(int listener);

/// posix_spawn of the supervisor in a session of its own: stdin and stdout on /dev/null,
/// stderr kept when `keep_stderr` (else /dev/null), the listener and the ready pipe on
/// descriptors 3 and 4, nothing else. `listener` and `ready` may be any descriptors, 0-2
/// included.
pid_t clinux_spawn_supervisor(const char *path, char *const argv[], char *const envp[], int listener, int ready,
                              int keep_stderr);

/// Forwards SIGHUP, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT and SIGWINCH to `pid` and ignores
/// SIGINT and SIGQUIT, which the terminal sends to CMD itself. With `session` (CMD leads
/// a session of its own, which the terminal's signals never reach), SIGINT, SIGQUIT,
/// SIGWINCH and SIGCONT go to CMD's process group, and SIGTSTP stops it (SIGSTOP).
void clinux_forward_signals(pid_t pid, int session);

/// Stops this process as the terminal's SIGTSTP stops a job (CMD has stopped); returns
/// when it is continued.
void clinux_stop_with_child(void);

/// The sizes of the kernel's seccomp_notif and seccomp_notif_resp.
struct clinux_notif_sizes { size_t notif; size_t resp; };
int clinux_notif_sizes(struct clinux_notif_sizes *sizes);

/// One intercepted call, as the listener reports it.
struct clinux_socket_call {
    uint64_t id;
    int pid;
    int family;
    int type;
};

/// SECCOMP_IOCTL_NOTIF_RECV into `buffer` (`size` from clinux_notif_sizes); 0 or -1.
int clinux_notif_receive(int listener, void *buffer, size_t size, struct clinux_socket_call *call);

/// 1 while the call `id` still waits (its task alive), else 0.
int clinux_notif_id_valid(int listener, uint64_t id);

/// Answers `id`: the system call runs as if never stopped when `proceed`, else fails
/// with `code`. 0 or -1.
int clinux_notif_answer(int listener, void *buffer, size_t size, uint64_t id, int code, int proceed);

/// Installs `fd` in the caller of `id` and answers with its number there; -1 with errno.
int clinux_notif_install_socket(int listener, uint64_t id, int fd, int close_on_exec);

/// This thread's fsuid, fsgid and supplementary groups (raw system calls: the calling
/// thread only). 0, or -1 with errno.
int clinux_thread_file_ids(uid_t uid, gid_t gid, size_t count, const gid_t *groups);

#endif
