// The seccomp filter of `run --intercept`: socket() calls that ask for TCP, as
// mptcp_socket_rule.h says, wait for the supervisor; every other system call runs as
// usual. Its program is built from the rule's tables, so the filter cannot drift from
// the preload library and the supervisor, which read the same ones.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "CLaunch.h"
#include "filter.h"

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "--intercept: no seccomp architecture for this target"
#endif

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

// The kernel reads socket()'s arguments as ints: the low 32 bits are compared
// (little-endian).
#define ARG_LOW(n) (offsetof(struct seccomp_data, args) + (n) * sizeof(__u64))

#define FAMILIES MPTCP_RULE_COUNT(mptcp_rule_families)
#define PROTOCOLS MPTCP_RULE_COUNT(mptcp_rule_protocols)
// The architecture and the system call (4), the family (1 + one a family), the type (3),
// the protocol (1 + one a protocol), the two answers.
#define FILTER_LENGTH (4 + 1 + FAMILIES + 3 + 1 + PROTOCOLS + 2)

// A jump to `yes` when the value equals `k`, else to `no`: both absolute places in the
// program, after `at`.
static struct sock_filter jump(size_t at, __u32 k, size_t yes, size_t no) {
    struct sock_filter instruction = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, (__u8)(yes - at - 1), (__u8)(no - at - 1));
    return instruction;
}

static struct sock_filter load(__u32 offset) {
    struct sock_filter instruction = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset);
    return instruction;
}

// socket() of the native architecture with a family, type and protocol of the rule
// goes to the listener; socket() with IPPROTO_MPTCP (the preload library's and the
// supervisor's own) and every other call run as usual.
static void buildFilter(struct sock_filter program[FILTER_LENGTH]) {
    const size_t notify = FILTER_LENGTH - 2, allow = FILTER_LENGTH - 1;
    const size_t type = 5 + FAMILIES, protocol = type + 3;
    size_t at = 0;
    program[at++] = load(offsetof(struct seccomp_data, arch));
    program[at] = jump(at, NATIVE_AUDIT_ARCH, at + 1, allow); at++;
    program[at++] = load(offsetof(struct seccomp_data, nr));
    program[at] = jump(at, __NR_socket, at + 1, allow); at++;
    program[at++] = load(ARG_LOW(0));
    for (size_t index = 0; index < FAMILIES; index++, at++) {
        program[at] = jump(at, (__u32)mptcp_rule_families[index], type, index + 1 < FAMILIES ? at + 1 : allow);
    }
    program[at++] = load(ARG_LOW(1));
    struct sock_filter mask = BPF_STMT(BPF_ALU | BPF_AND | BPF_K, MPTCP_RULE_TYPE_MASK);
    program[at++] = mask;
    program[at] = jump(at, SOCK_STREAM, protocol, allow); at++;
    program[at++] = load(ARG_LOW(2));
    for (size_t index = 0; index < PROTOCOLS; index++, at++) {
        program[at] = jump(at, (__u32)mptcp_rule_protocols[index], notify, index + 1 < PROTOCOLS ? at + 1 : allow);
    }
    struct sock_filter toListener = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
    struct sock_filter asUsual = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    program[notify] = toListener;
    program[allow] = asUsual;
}

int claunch_install_filter(void) {
    struct sock_filter instructions[FILTER_LENGTH];
    buildFilter(instructions);
    struct sock_fprog program = { FILTER_LENGTH, instructions };
    unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
    for (int attempt = 0; attempt < 3; attempt++) {
        int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &program);
        if (listener >= 0) return listener;
        if (errno == EINVAL && (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)) {
            // Before 5.19: signals may interrupt a socket() the supervisor holds.
            flags &= ~SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
        } else if (errno == EACCES) {
            // Without CAP_SYS_ADMIN a filter needs no_new_privs: set-ID programs CMD
            // starts then run without their privileges.
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
        } else {
            return -1;
        }
    }
    return -1;
}
