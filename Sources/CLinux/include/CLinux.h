#ifndef MPTCPCTL_CLINUX_H
#define MPTCPCTL_CLINUX_H

// What Glibc's Swift module hides behind _GNU_SOURCE, as plain functions: setns(2),
// unshare(2) and signalfd(2), which put a thread and its netlink sockets in a namespace
// and wait beside them, malloc_trim(3) and O_PATH. Imported by the Netlink module only
// (HiddenSystemCalls). Starting programs has a C module of its own (CLaunch).

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

/// malloc_trim(0): gives the heap's free memory back to the system; 1 when some was.
int clinux_release_free_memory(void);

/// O_PATH, which <fcntl.h> defines for _GNU_SOURCE only: a descriptor that names a file
/// without opening it for reading or writing (fstat, readlinkat, a directory for *at()).
extern const int clinux_o_path;

#endif
