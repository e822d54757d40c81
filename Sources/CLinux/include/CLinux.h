#ifndef MPTCPCTL_CLINUX_H
#define MPTCPCTL_CLINUX_H

// What Glibc's Swift module hides behind _GNU_SOURCE, as plain functions: setns(2),
// unshare(2) and signalfd(2); and `run --intercept`'s seccomp user notification
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

/// openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC): a directory held
/// for fstat and further openat, without read permission on it, never through a link.
int clinux_open_directory_path(int dirfd, const char *name);

/// A signalfd(2) (non-blocking, close-on-exec) for `signals`; -1 with errno on failure.
/// The caller blocks the signals first, so they queue on the descriptor instead.
int clinux_signalfd(const sigset_t *signals);

/// Reads one queued signal from a signalfd: its number, 0 when none is queued, -1 with
/// errno on failure.
int clinux_signalfd_read(int fd);

/// What `clinux_intercept_spawn`'s child runs: CMD, and the ids it takes before.
struct clinux_launch {
    const char *path;
    char *const *argv;
    char *const *envp;
    int change_ids;
    int change_groups;
    uid_t uid;
    gid_t gid;
    size_t group_count;
    const gid_t *groups;
};

/// The step at which the child of `clinux_intercept_spawn` failed.
enum {
    CLINUX_STEP_FILTER = 1,
    CLINUX_STEP_HAND_OVER = 2,
    CLINUX_STEP_IDS = 3,
    CLINUX_STEP_EXEC = 4,
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

/// Lets the child exec; 0, or -1 with errno.
int clinux_intercept_go(int control);

/// The child's failure report: 1 with `step` and `code`, 0 when the control socket
/// closed without one (CMD runs), -1 with errno.
int clinux_intercept_failure(int control, int *step, int *code);

/// 1 when the kernel installs a descriptor and answers at once (SECCOMP_ADDFD_FLAG_SEND,
/// Linux 5.14), else 0.
int clinux_addfd_send_supported(int listener);

/// posix_spawn of the supervisor in a session of its own: stdin and stdout on /dev/null,
/// stderr kept, the listener and the ready pipe on descriptors 3 and 4, nothing else.
pid_t clinux_spawn_supervisor(const char *path, char *const argv[], char *const envp[], int listener, int ready);

/// Forwards SIGHUP, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT and SIGWINCH to `pid` and ignores
/// SIGINT and SIGQUIT, which the terminal sends to CMD itself.
void clinux_forward_signals(pid_t pid);

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
