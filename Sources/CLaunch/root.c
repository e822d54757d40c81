// openat2(2), which Glibc does not wrap, and O_PATH, which <fcntl.h> has for
// _GNU_SOURCE only: a directory used as a root of its own (Launch's RootDirectory).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CLaunch.h"

const int claunch_o_path = O_PATH;

int claunch_open_in_root(int root, const char *path, int flags, mode_t mode) {
    struct open_how how = {
        .flags = (unsigned long long)(unsigned int)flags,
        .mode = (flags & O_CREAT) ? mode : 0,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    for (int attempt = 0; attempt < 16; attempt++) {
        long fd = syscall(SYS_openat2, root, path, &how, sizeof how);
        if (fd >= 0 || errno != EAGAIN) return (int)fd;
    }
    return -1;
}
