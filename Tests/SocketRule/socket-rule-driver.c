// SocketRuleTests' driver: socket() called for each case given, and what came of it
// written to a file, one line a case. It knows nothing of the socket rule itself.
//
//   socket-rule-driver preload OUTPUT FAMILY,TYPE,PROTOCOL...
//       Run with LD_PRELOAD=libmptcpwrap.so: the library's socket() is called, and the
//       kernel it asks is this program's syscall() (the library makes the system call
//       through syscall(), and the executable's symbol comes first): IPPROTO_MPTCP
//       instead of the protocol asked answers as MPTCP_ANSWER says (0: a socket; else
//       that errno), anything else opens the socket asked for. A line: "1" when MPTCP was asked, else "0", then "mptcp",
//       "asked" or "fails ERRNO".
//   socket-rule-driver filter OUTPUT FAMILY,TYPE,PROTOCOL...
//       Run under run --intercept's seccomp filter, whose listener (the test) fails every
//       call it is handed with EXDEV: the C library's socket() makes the system call. A
//       line: "intercepted" or "passed".
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { MPTCP_SOCKET = 900, ASKED_SOCKET = 901 };

// Volatile: the C library declares socket() a leaf, which never calls back into this
// file, but the preload library's socket() does, through syscall().
static volatile int askedMPTCP = 0;
// The protocol the case asks for: MPTCP asked by the caller itself is "asked".
static volatile long requested = -1;

// The kernel as the preload library sees it.
__attribute__((visibility("default"))) long syscall(long number, ...) {
    va_list arguments;
    va_start(arguments, number);
    long family = va_arg(arguments, long), type = va_arg(arguments, long), protocol = va_arg(arguments, long);
    va_end(arguments);
    (void)family;
    (void)type;
    if (number != SYS_socket) {
        errno = ENOSYS;
        return -1;
    }
    if (protocol != IPPROTO_MPTCP || requested == IPPROTO_MPTCP) return ASKED_SOCKET;
    askedMPTCP = 1;
    int answer = atoi(getenv("MPTCP_ANSWER") ? getenv("MPTCP_ANSWER") : "0");
    if (answer == 0) return MPTCP_SOCKET;
    errno = answer;
    return -1;
}

int main(int count, char **words) {
    if (count < 3) return 2;
    int preload = strcmp(words[1], "preload") == 0;
    FILE *output = fopen(words[2], "w");
    if (output == NULL) return 2;
    for (int index = 3; index < count; index++) {
        int family, type, protocol;
        if (sscanf(words[index], "%d,%d,%d", &family, &type, &protocol) != 3) return 2;
        askedMPTCP = 0;
        requested = protocol;
        errno = 0;
        int fd = socket(family, type, protocol);
        int code = errno;
        if (preload) {
            fprintf(output, "%d ", askedMPTCP);
            if (fd == MPTCP_SOCKET) fprintf(output, "mptcp\n");
            else if (fd == ASKED_SOCKET) fprintf(output, "asked\n");
            else if (fd < 0) fprintf(output, "fails %d\n", code);
            else fprintf(output, "unexpected %d\n", fd);
        } else {
            fprintf(output, "%s\n", fd < 0 && code == EXDEV ? "intercepted" : "passed");
            if (fd >= 0) close(fd);
        }
    }
    return fclose(output) == 0 ? 0 : 1;
}
