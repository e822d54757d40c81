#ifndef MPTCPCTL_CLAUNCH_H
#define MPTCPCTL_CLAUNCH_H

// Starting programs, where Swift cannot go: the child between fork and exec must run C
// only (async-signal-safe calls), the seccomp filter and listener of `run --intercept`
// (seccomp_unotify(2)), the signals passed on to a child, a thread's own file ids; and
// openat2(2) and O_PATH, which Glibc's module lacks or hides (RootDirectory). Imported
// by the Launch module only.

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mptcp_socket_rule.h"

/// What the child of `claunch_intercept_spawn` and `claunch_spawn_program` runs: CMD,
/// and what it takes before: a session of its own (setsid), the ids; then `readable`
/// must be readable (NULL: nothing to check).
struct claunch_program {
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

/// The step at which the child of `claunch_intercept_spawn` or `claunch_spawn_program`
/// failed.
enum {
    CLAUNCH_STEP_FILTER = 1,
    CLAUNCH_STEP_HAND_OVER = 2,
    CLAUNCH_STEP_IDS = 3,
    CLAUNCH_STEP_EXEC = 4,
    CLAUNCH_STEP_READABLE = 5,
};

/// Forks the child that becomes CMD. It installs the seccomp filter that hands TCP
/// socket() calls to a listener, sends the listener to the parent, waits for
/// `claunch_intercept_go`, takes `program`'s ids and execs. Returns its pid, with the
/// listener and the control socket, whose end closes at a successful exec; the listener
/// is -1 when the child failed first, with the step and errno it failed at. -1 with errno
/// when it cannot fork.
pid_t claunch_intercept_spawn(const struct claunch_program *program, int *listener, int *control, int *step, int *code);

/// Forks the child that becomes CMD with `program` (no filter) and waits until it has
/// exec'd: its pid, with `step` 0; or, when it stopped before, its pid (reaped) with the
/// step and errno it failed at. -1 with errno when it cannot fork.
pid_t claunch_spawn_program(const struct claunch_program *program, int *step, int *code);

/// Lets the child exec; 0, or -1 with errno.
int claunch_intercept_go(int control);

/// The child's failure report: 1 with `step` and `code`, 0 when the control socket
/// closed without one (CMD runs), -1 with errno.
int claunch_intercept_failure(int control, int *step, int *code);

/// 1 when the kernel installs a descriptor and answers at once (SECCOMP_ADDFD_FLAG_SEND,
/// Linux 5.14), else 0.
int claunch_addfd_send_supported(int listener);

/// posix_spawn of the supervisor in a session of its own: stdin and stdout on /dev/null,
/// stderr kept when `keep_stderr` (else /dev/null), the listener on `listener_at` and the
/// ready pipe on `ready_at` (both above 2), nothing else. `listener` and `ready` may be
/// any descriptors, 0-2 included.
pid_t claunch_spawn_supervisor(const char *path, char *const argv[], char *const envp[], int listener, int ready,
                               int listener_at, int ready_at, int keep_stderr);

/// Forwards SIGHUP, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT and SIGWINCH to `pid` and ignores
/// SIGINT and SIGQUIT, which the terminal sends to CMD itself. With `session` (CMD leads
/// a session of its own, which the terminal's signals never reach), SIGINT, SIGQUIT,
/// SIGWINCH and SIGCONT go to CMD's process group, and SIGTSTP stops it (SIGSTOP).
void claunch_forward_signals(pid_t pid, int session);

/// Stops this process as the terminal's SIGTSTP stops a job (CMD has stopped); returns
/// when it is continued.
void claunch_stop_with_child(void);

/// The sizes of the kernel's seccomp_notif and seccomp_notif_resp.
struct claunch_notif_sizes { size_t notif; size_t resp; };
int claunch_notif_sizes(struct claunch_notif_sizes *sizes);

/// One intercepted call, as the listener reports it.
struct claunch_socket_call {
    uint64_t id;
    int pid;
    int family;
    int type;
    int protocol;
};

/// SECCOMP_IOCTL_NOTIF_RECV into `buffer` (`size` from claunch_notif_sizes); 0 or -1.
int claunch_notif_receive(int listener, void *buffer, size_t size, struct claunch_socket_call *call);

/// 1 while the call `id` still waits (its task alive), else 0.
int claunch_notif_id_valid(int listener, uint64_t id);

/// Answers `id`: the system call runs as if never stopped when `proceed`, else fails
/// with `code`. 0 or -1.
int claunch_notif_answer(int listener, void *buffer, size_t size, uint64_t id, int code, int proceed);

/// Installs `fd` in the caller of `id` and answers with its number there; -1 with errno.
int claunch_notif_install_socket(int listener, uint64_t id, int fd, int close_on_exec);

/// This thread's fsuid, fsgid and supplementary groups (raw system calls: the calling
/// thread only). 0, or -1 with errno.
int claunch_thread_file_ids(uid_t uid, gid_t gid, size_t count, const gid_t *groups);

/// openat2(2) of `path` with the directory `root` as its root: `/`, `..` and absolute
/// links resolve inside it (RESOLVE_IN_ROOT) and /proc's magic links are refused
/// (RESOLVE_NO_MAGICLINKS). `mode` counts with O_CREAT only. Retried while the kernel
/// answers EAGAIN (a rename under the root raced the lookup). A descriptor, or -1 with
/// errno.
int claunch_open_in_root(int root, const char *path, int flags, mode_t mode);

/// O_PATH, which <fcntl.h> defines for _GNU_SOURCE only: a descriptor that names a file
/// without opening it for reading or writing (fstat, readlinkat, a directory for *at()).
extern const int claunch_o_path;

#endif
