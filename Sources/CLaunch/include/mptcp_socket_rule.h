#ifndef MPTCPCTL_MPTCP_SOCKET_RULE_H
#define MPTCPCTL_MPTCP_SOCKET_RULE_H

// The one rule by which a socket() call for TCP becomes MPTCP, read by all three that
// apply it: the preload library (Sources/mptcpwrap, which the Makefile builds with the C
// compiler), the seccomp filter of `run --intercept` (filter.c, which builds its program
// from these tables) and its supervisor (Launch's `SocketRule`, through CLaunch).
// SocketRuleTests feeds the same cases to the three and requires the same answers.
//
// A call is TCP when its family is AF_INET or AF_INET6, its type SOCK_STREAM (the flags
// above the kernel's SOCK_TYPE_MASK aside: SOCK_NONBLOCK, SOCK_CLOEXEC) and its protocol
// 0 or IPPROTO_TCP: it opens IPPROTO_MPTCP instead. When the kernel refuses MPTCP with
// one of the refusals below (ENOPROTOOPT: net.mptcp.enabled=0; EPROTONOSUPPORT or EINVAL:
// no MPTCP in the kernel), the TCP socket asked for is opened, unless there is no
// fallback, when socket() fails with the kernel's errno.

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif

/// The bits of socket()'s type that name the type: the kernel's SOCK_TYPE_MASK (its
/// flags lie above them).
#define MPTCP_RULE_TYPE_MASK 0xf

/// The families whose stream sockets become MPTCP.
static const int mptcp_rule_families[] = { AF_INET, AF_INET6 };
/// The protocols that ask for TCP.
static const int mptcp_rule_protocols[] = { 0, IPPROTO_TCP };
/// The kernel's refusals of MPTCP after which the TCP socket asked for is opened.
static const int mptcp_rule_refusals[] = { ENOPROTOOPT, EPROTONOSUPPORT, EINVAL };

#define MPTCP_RULE_COUNT(table) (sizeof(table) / sizeof((table)[0]))

/// The protocol a TCP socket() opens instead.
static inline int mptcp_rule_protocol(void) {
    return IPPROTO_MPTCP;
}

/// 1 when socket(family, type, protocol) asks for TCP, which becomes MPTCP; else 0.
static inline int mptcp_rule_applies(int family, int type, int protocol) {
    int found = 0;
    for (unsigned index = 0; index < MPTCP_RULE_COUNT(mptcp_rule_families); index++) {
        if (family == mptcp_rule_families[index]) found = 1;
    }
    if (!found || (type & MPTCP_RULE_TYPE_MASK) != SOCK_STREAM) return 0;
    for (unsigned index = 0; index < MPTCP_RULE_COUNT(mptcp_rule_protocols); index++) {
        if (protocol == mptcp_rule_protocols[index]) return 1;
    }
    return 0;
}

/// 1 when the kernel's `error` for IPPROTO_MPTCP means it refuses MPTCP, after which the
/// TCP socket asked for is opened (with the fallback); else 0.
static inline int mptcp_rule_falls_back(int error) {
    for (unsigned index = 0; index < MPTCP_RULE_COUNT(mptcp_rule_refusals); index++) {
        if (error == mptcp_rule_refusals[index]) return 1;
    }
    return 0;
}

#endif
