// The preload library of `mptcpctl run` (and of `enable`'s drop-ins): socket() of a
// TCP stream socket opens an MPTCP socket instead, by the socket rule of
// mptcp_socket_rule.h (Sources/CLaunch/include), which `run --intercept`'s filter and
// supervisor apply too: AF_INET or AF_INET6, SOCK_STREAM, protocol 0 or IPPROTO_TCP.
// When the kernel refuses MPTCP (ENOPROTOOPT: net.mptcp.enabled=0; EPROTONOSUPPORT or
// EINVAL: no MPTCP in the kernel) the TCP socket asked for is opened, unless
// MPTCPCTL_NO_FALLBACK=1 is set, when socket() fails with the kernel's errno.
//
// Both sockets come from the system call itself, not from the next socket() in the
// lookup order: the library works before its constructor and before any other library's,
// and a preload set before it (LD_PRELOAD keeps the caller's first) still sees the call.
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mptcp_socket_rule.h"

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
    if (!mptcp_rule_applies(domain, type, protocol)) {
        return (int)syscall(SYS_socket, domain, type, protocol);
    }
    int before = errno;
    int fd = (int)syscall(SYS_socket, domain, type, mptcp_rule_protocol());
    if (fd >= 0) return fd;
    int refused = errno;
    if (!mptcp_rule_falls_back(refused) || !fallsBack()) {
        errno = refused;
        return -1;
    }
    fd = (int)syscall(SYS_socket, domain, type, protocol);
    // A socket() that succeeds leaves errno as it found it, as the C library's does.
    if (fd >= 0) errno = before;
    return fd;
}
