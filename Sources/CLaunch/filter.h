#ifndef MPTCPCTL_CLAUNCH_FILTER_H
#define MPTCPCTL_CLAUNCH_FILTER_H

/// Installs, in the calling process (the child about to become CMD), the seccomp filter
/// that hands the TCP socket() calls of mptcp_socket_rule.h to a new listener: the
/// listener, or -1 with errno. Async-signal-safe: it runs between fork and exec.
int claunch_install_filter(void);

#endif
