// The supervisor's side of `run --intercept`'s seccomp listener (seccomp_unotify(2)):
// the calls it receives, its answers, the socket it installs in the caller, and the
// caller's file ids it takes on its own thread.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CLaunch.h"

#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif

int claunch_addfd_send_supported(int listener) {
    // Flags are checked before the id: a kernel that knows SEND answers ENOENT for
    // id 0; 5.9 to 5.13 answer EINVAL, older ones ENOTTY.
    struct seccomp_notif_addfd addfd = { .id = 0, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (__u32)listener };
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) >= 0) return 1;
    return errno == ENOENT ? 1 : 0;
}

int claunch_notif_sizes(struct claunch_notif_sizes *sizes) {
    struct seccomp_notif_sizes kernel;
    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &kernel) != 0) return -1;
    sizes->notif = kernel.seccomp_notif;
    sizes->resp = kernel.seccomp_notif_resp;
    return 0;
}

int claunch_notif_receive(int listener, void *buffer, size_t size, struct claunch_socket_call *call) {
    memset(buffer, 0, size);
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, buffer) != 0) return -1;
    const struct seccomp_notif *notif = buffer;
    call->id = notif->id;
    call->pid = (int)notif->pid;
    call->family = (int)notif->data.args[0];
    call->type = (int)notif->data.args[1];
    call->protocol = (int)notif->data.args[2];
    return 0;
}

int claunch_notif_id_valid(int listener, uint64_t id) {
    __u64 value = id;
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &value) == 0 ? 1 : 0;
}

int claunch_notif_answer(int listener, void *buffer, size_t size, uint64_t id, int code, int proceed) {
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

int claunch_notif_install_socket(int listener, uint64_t id, int fd, int close_on_exec) {
    struct seccomp_notif_addfd addfd = {
        .id = id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (__u32)fd, .newfd = 0,
        .newfd_flags = close_on_exec ? O_CLOEXEC : 0,
    };
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
}

int claunch_thread_file_ids(uid_t uid, gid_t gid, size_t count, const gid_t *groups) {
    // Raw system calls: the C library's setgroups() changes every thread, and these
    // change the calling thread's credentials only.
    if (syscall(SYS_setgroups, count, groups) != 0) return -1;
    syscall(SYS_setfsgid, gid);
    if ((gid_t)syscall(SYS_setfsgid, (gid_t)-1) != gid) { errno = EPERM; return -1; }
    syscall(SYS_setfsuid, uid);
    if ((uid_t)syscall(SYS_setfsuid, (uid_t)-1) != uid) { errno = EPERM; return -1; }
    return 0;
}
