#!/usr/bin/env python3
"""Writes Packaging/startup.order: the functions mptcpctl runs for its everyday commands
and for `run` (with and without --intercept, and --intercept's supervisor), in the order
they first run. `make build` hands the file to lld (--symbol-ordering-file),
which lays those functions side by side at the start of .text.

Why: the kernel maps a program's code 64 KiB at a time around each page it faults on
(fault-around), so peak RSS follows how many 64 KiB windows of .text a command touches,
not how much code it runs. Linked in archive order, `endpoint show` ran its 873 functions
(301 pages of 4 KiB) in 69 of the 117 windows of a 7.6 MB .text (4.4 MiB of RSS); laid out
in this order, in 31 (Benchmarks/README.md has the numbers).

The file is a layout hint, never a correctness input: a function renamed since it was
written is skipped (lld --no-warn-symbol-ordering) and lands where it would have anyway.
Rewrite it when start-up code changes much (peak memory in `make bench` says when):

    make build && python3 Packaging/startup-order.py .build-lean/release/mptcpctl \\
        > Packaging/startup.order && make build

Needs root (a throwaway network namespace, deleted at the end) and valgrind: each
command runs once under valgrind's lackey tool, which prints the address of every block
of code it runs; the addresses are mapped to the binary's own symbol table.
"""
import bisect, os, re, shutil, subprocess, sys, tempfile

# The commands whose start-up the layout is for: those `make bench` times against `ip`
# (with -n and inside the namespace), and the common listing and error paths.
COMMANDS = [
    ["-n", "{ns}", "endpoint", "add", "10.0.1.1", "id", "1", "subflow"],
    ["-n", "{ns}", "endpoint", "show"],
    ["-n", "{ns}", "-j", "endpoint", "show"],
    ["-n", "{ns}", "limits", "show"],
    ["-n", "{ns}", "limits", "set", "subflows", "2", "add_addr_accepted", "2"],
    ["-n", "{ns}", "endpoint", "delete", "id", "1"],
    ["-n", "{ns}", "endpoint", "delete", "id", "77"],
    ["--version"],
    ["endpoint", "show"],
    ["endpoint", "frobnicate"],
]

# Then `run` (make bench times it against `env`), and `run --intercept`'s two processes:
# under valgrind the kernel refuses its seccomp filter (valgrind has no seccomp), so its
# trace ends after the fork; its supervisor is traced alone, from its start to the end of
# its loop (`SUPERVISOR`). Laid out after the commands above and their string functions,
# which keep their windows.
RUN_COMMANDS = [
    ["run", "true"],
    ["run", "--intercept", "true"],
    ["__supervise-sockets"],
]

# The supervisor's word: started alone, it is handed the read end of a pipe whose writer
# is gone as its listener (descriptor 3: poll says hung up, as when the last task under
# the filter has left) and /dev/null as its ready pipe (4).
SUPERVISOR = "__supervise-sockets"

# Run at every start (the C runtime's constructor, from crtbegin) but without a size in the
# symbol table, so no trace finds it: laid out first, beside _start.
FIRST = ["frame_dummy"]

# glibc picks its string functions by CPU (IFUNC); valgrind's CPU has no AVX-512, so the
# variants a real CPU picks are added beside each one valgrind ran.
VARIANT = re.compile(r"^(__(?:mem|str|stp|wmem|wcs|raw)\w*?)_(?:sse2|ssse3|sse4_[12]|avx2|avx|evex|avx512)")


def functions(binary):
    """The binary's functions, sorted by address: (starts, ends, names), names being every
    symbol of that function (lld orders by any of them). Symbols without a size (labels, a
    section's end, which can share an address with the next function) are left out."""
    out = subprocess.run(["nm", "--defined-only", "-n", "-S", binary], check=True,
                         capture_output=True, text=True).stdout
    starts, ends, names = [], [], []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) != 4 or fields[2] not in "tTwWi" or int(fields[1], 16) == 0:
            continue
        start = int(fields[0], 16)
        if starts and starts[-1] == start:
            names[-1].append(fields[3])
            continue
        starts.append(start)
        ends.append(start + int(fields[1], 16))
        names.append([fields[3]])
    return starts, ends, names


def entry_point(binary):
    out = subprocess.run(["readelf", "-h", binary], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Entry point address:\s+0x([0-9a-f]+)", out).group(1), 16)


def traced_blocks(binary, argv, namespace, log):
    """The addresses of the code blocks one command ran, in order, relative to the binary."""
    prefix = [] if "{ns}" in argv else ["ip", "netns", "exec", namespace]
    command = prefix + ["valgrind", "--tool=lackey", "--trace-superblocks=yes",
                        "--vex-guest-chase=no", f"--log-file={log}",
                        binary] + [namespace if word == "{ns}" else word for word in argv]
    if argv[0] != SUPERVISOR:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        listener, writer = os.pipe()
        os.close(writer)
        ready = os.open("/dev/null", os.O_WRONLY)
        try:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(3, 4),
                           preexec_fn=lambda: (os.dup2(listener, 3), os.dup2(ready, 4)))
        finally:
            os.close(listener)
            os.close(ready)
    blocks = [int(line[3:], 16) for line in open(log) if line.startswith("SB ")]
    if not blocks:
        sys.exit(f"startup-order: valgrind traced nothing for {' '.join(argv)} (see {log})")
    return blocks


def variants(order, seen, known):
    """The AVX-512 and EVEX siblings of the string functions in `order` not yet `seen`
    (added to it)."""
    added = []
    for name in order:
        match = VARIANT.match(name)
        if match:
            for sibling in sorted(n for n in known if n.startswith(match.group(1) + "_")):
                if sibling not in seen and re.search(r"_(evex|avx512)", sibling):
                    seen.add(sibling)
                    added.append(sibling)
    return added


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: startup-order.py MPTCPCTL > Packaging/startup.order")
    if os.geteuid() != 0:
        sys.exit("startup-order: needs root (a throwaway network namespace)")
    for tool in ("valgrind", "nm", "readelf", "objcopy", "ip"):
        if not shutil.which(tool):
            sys.exit(f"startup-order: needs {tool}")
    binary = os.path.abspath(sys.argv[1])
    wrap = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "wrap", "libmptcpwrap.so")
    library = next((path for path in (os.path.join(os.path.dirname(binary), "libmptcpwrap.so"), wrap)
                    if os.path.exists(path)), None)
    if library is None:
        sys.exit("startup-order: no libmptcpwrap.so beside the binary or in .build/wrap; run 'make wrap' first")
    starts, ends, names = functions(binary)
    entry = entry_point(binary)
    namespace = f"mptcpctl-order-{os.getpid()}"
    with tempfile.TemporaryDirectory() as folder:
        # valgrind cannot read this binary's DWARF; the same code without it runs alike.
        plain = os.path.join(folder, "mptcpctl")
        subprocess.run(["objcopy", "--strip-debug", binary, plain], check=True)
        # `run` looks for its preload library beside itself, and stops early without it.
        shutil.copy(library, folder)
        subprocess.run(["ip", "netns", "add", namespace], check=True)
        try:
            order, seen = list(FIRST), set(FIRST)
            known = {name for aliases in names for name in aliases}
            for group, commands in enumerate((COMMANDS, RUN_COMMANDS)):
                first = len(order)
                for number, argv in enumerate(commands):
                    log = os.path.join(folder, f"{group}-{number}.log")
                    blocks = traced_blocks(plain, argv, namespace, log)
                    base = blocks[0] - entry  # the first block is the entry point
                    for block in blocks:
                        index = bisect.bisect_right(starts, block - base) - 1
                        if index >= 0 and block - base < ends[index] and names[index][0] not in seen:
                            seen.update(names[index])
                            order.extend(names[index])
                order.extend(variants(order[first:], seen, known))
        finally:
            subprocess.run(["ip", "netns", "delete", namespace])
    sys.stdout.write("".join(name + "\n" for name in order))


if __name__ == "__main__":
    main()
