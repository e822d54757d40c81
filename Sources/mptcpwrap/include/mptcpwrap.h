// The preload library of `mptcpctl run` and of `mptcpctl enable`'s drop-ins
// (libmptcpwrap.so): it exports socket() only, and is loaded with LD_PRELOAD, never
// linked. What it reads from the environment:
//
//   MPTCPCTL_NO_FALLBACK=1   socket() fails with the kernel's errno when the kernel
//                            refuses MPTCP, instead of opening the TCP socket asked for.
#ifndef MPTCPWRAP_H
#define MPTCPWRAP_H
#endif
