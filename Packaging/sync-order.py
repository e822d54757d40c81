#!/usr/bin/env python3
"""Writes Packaging/sync.order: the functions `sync` runs in mptcpctl-apply (start-up, the
event loop, the healer's readings, sweeps and probes), in the order they first run.
`make build` hands the file to lld (--symbol-ordering-file), which lays those functions
side by side at the start of mptcpctl-apply's .text.

Why: `sync` stays resident, and the kernel maps a program's code 64 KiB at a time around
each page it faults on (fault-around), so its RSS follows how many 64 KiB windows of
.text it has touched, not how much code it runs (Packaging/startup-order.py says the
same of mptcpctl; Benchmarks/README.md has the numbers).

The file is a layout hint, never a correctness input: a function renamed since it was
written is skipped (lld --no-warn-symbol-ordering) and lands where it would have anyway.
Rewrite it when sync's code changes much (the heal-cost row of `make bench` says when):

    make build && python3 Packaging/sync-order.py .build/release/mptcpctl-apply \\
        > Packaging/sync.order && make build

Needs root (throwaway network namespaces, deleted at the end), valgrind and python3:
`sync` runs under valgrind's lackey tool, which prints the address of every block of code
it runs, in a namespace holding MPTCP connections (Benchmarks/bench.py's, so that the
healer reads and probes their subflows): healing, then `--no-heal`, each through its
start, its first sweeps, an address added and removed (an endpoint added and deleted)
and idle time. The addresses are mapped to the binary's own symbol table; a name defined more than once
in it is left out.
"""
import bisect, collections, importlib.util, os, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "Benchmarks"))
import bench  # noqa: E402  (its MPTCP connections held open, and its namespaces' clean-up)

_spec = importlib.util.spec_from_file_location("startup_order", os.path.join(HERE, "startup-order.py"))
startup_order = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(startup_order)

# Under valgrind the program runs 20-50 times slower: these are wall-clock seconds.
SETTLE = 25     # past start-up, the first reading of the connections and the first sweeps
IDLE = 20       # the idle loop: timers, readings, probes
CONNECTIONS = 20


def load_base(pid, binary):
    """Where the kernel (valgrind, for its guest) mapped BINARY in process PID."""
    for line in open(f"/proc/{pid}/maps"):
        fields = line.split()
        if len(fields) >= 6 and fields[5] == binary and int(fields[2], 16) == 0:
            return int(fields[0].split("-")[0], 16)
    sys.exit(f"sync-order: {binary} is not mapped in process {pid}")


def wait_for(stream, text, what):
    for line in stream:
        if text in line:
            return
    sys.exit(f"sync-order: sync ended before {what}")


def traced_sync(binary, namespace, arguments, state_file, log):
    """The addresses (relative to the binary) of the code blocks one `sync` ran, in order."""
    command = ["valgrind", "--tool=lackey", "--trace-superblocks=yes", "--vex-guest-chase=no",
               f"--log-file={log}", binary, "-n", namespace, "sync"] + arguments + [state_file]
    daemon = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(daemon.stderr, "ready", "it was ready")
        base = load_base(daemon.pid, binary)
        time.sleep(SETTLE)
        for verb in ("add", "del"):
            bench.sh("ip", "-n", namespace, "address", verb, "10.8.0.9/24", "dev", "cc0")
            wait_for(daemon.stdout, "add 10.8.0.9" if verb == "add" else "delete id", f"its endpoint's {verb}")
        time.sleep(IDLE)
    finally:
        daemon.terminate()
        daemon.wait(timeout=120)
    blocks = [int(line[3:], 16) - base for line in open(log) if line.startswith("SB ")]
    if not blocks:
        sys.exit(f"sync-order: valgrind traced nothing for sync {' '.join(arguments)} (see {log})")
    return blocks


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sync-order.py MPTCPCTL-APPLY > Packaging/sync.order")
    if os.geteuid() != 0:
        sys.exit("sync-order: needs root (throwaway network namespaces)")
    for tool in ("valgrind", "nm", "objcopy", "ip"):
        if not shutil.which(tool):
            sys.exit(f"sync-order: needs {tool}")
    binary = os.path.abspath(sys.argv[1])
    starts, ends, names = startup_order.functions(binary)
    # lld orders every input section that defines a listed name, local symbols included: a
    # name many objects define for themselves (a value witness such as $sSqwxx) would pull
    # the whole .text of each of them (the regex libraries', 860 KB never run) to the front.
    defined = collections.Counter(name for aliases in names for name in aliases)
    order, seen = [], set()
    with tempfile.TemporaryDirectory() as folder:
        # valgrind cannot read this binary's DWARF; the same code without it runs alike.
        plain = os.path.join(folder, "mptcpctl-apply")
        subprocess.run(["objcopy", "--strip-debug", binary, plain], check=True)
        state_file = os.path.join(folder, "sync.yaml")
        with open(state_file, "w") as f:
            f.write('interfaces:\n  - {name: "c*", flags: [subflow]}\n')
        os.chmod(state_file, 0o600)
        with bench.HeldConnections(CONNECTIONS) as held:
            for number, arguments in enumerate(([], ["--no-heal"])):
                log = os.path.join(folder, f"{number}.log")
                for block in traced_sync(plain, held.client, arguments, state_file, log):
                    index = bisect.bisect_right(starts, block) - 1
                    if index >= 0 and block < ends[index] and names[index][0] not in seen:
                        seen.update(names[index])
                        order.extend(name for name in names[index] if defined[name] == 1)
    sys.stdout.write("".join(name + "\n" for name in order))


if __name__ == "__main__":
    main()
