// The preload library of `mptcpctl run` (and of `enable`'s drop-ins): socket() of a
// TCP stream socket, AF_INET or AF_INET6 with protocol 0 or IPPROTO_TCP, opens an MPTCP
// socket instead. When the kernel refuses MPTCP (ENOPROTOOPT: net.mptcp.enabled=0;
// EPROTONOSUPPORT or EINVAL: no MPTCP in the kernel) the TCP socket asked for is opened,
// unless MPTCPCTL_NO_FALLBACK=1 is set, when socket() fails with the kernel's errno.
//
// Both sockets come from the system call itself, not from the next socket() in the
// lookup order: the library works before its constructor and before any other library's,
// and a preload set before it (LD_PRELOAD keeps the caller's first) still sees the call.
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

// -1: not read yet; 0: fall back to TCP; 1: fail. Read once; a second read in a race
// writes the same value.
static int noFallback = -1;

static int fallsBack(void) {
    if (noFallback < 0) {
        const char *value = getenv("MPTCPCTL_NO_FALLBACK");
        noFallback = value != NULL && strcmp(value, "1") == 0;
    }
    return !noFallback;
}

__attribute__((visibility("default"))) int socket(int domain, int type, int protocol) {
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    if ((domain != AF_INET && domain != AF_INET6) || kind != SOCK_STREAM || (protocol != 0 && protocol != IPPROTO_TCP)) {
        return (int)syscall(SYS_socket, domain, type, protocol);
    }
    int before = errno;
    int fd = (int)syscall(SYS_socket, domain, type, IPPROTO_MPTCP);
    if (fd >= 0) return fd;
    int refused = errno;
    if ((refused != ENOPROTOOPT && refused != EPROTONOSUPPORT && refused != EINVAL) || !fallsBack()) {
        errno = refused;
        return -1;
    }
    fd = (int)syscall(SYS_socket, domain, type, protocol);
    // A socket() that succeeds leaves errno as it found it, as the C library's does.
    if (fd >= 0) errno = before;
    return fd;
}
