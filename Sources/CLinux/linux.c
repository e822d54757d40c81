#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "CLinux.h"

int clinux_enter_network_namespace(int fd) {
    return setns(fd, CLONE_NEWNET);
}

int clinux_enter_new_network_namespace(void) {
    return unshare(CLONE_NEWNET);
}

int clinux_open_directory_path(int dirfd, const char *name) {
    return openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int clinux_signalfd(const sigset_t *signals) {
    return signalfd(-1, signals, SFD_NONBLOCK | SFD_CLOEXEC);
}

int clinux_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t count = read(fd, &info, sizeof info);
    if (count == (ssize_t)sizeof info) return (int)info.ssi_signo;
    if (count < 0 && errno == EAGAIN) return 0;
    if (count >= 0) { errno = EIO; }
    return -1;
}

int clinux_release_free_memory(void) {
    return malloc_trim(0);
}

const int clinux_o_path = O_PATH;
