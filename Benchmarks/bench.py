#!/usr/bin/env python3
"""make bench: mptcpctl and `ip` side by side, in one run, as medians and ratios.

Single commands (endpoint show with 8 endpoints, limits show, --version, add + delete,
peak memory), `counters --all-netns` against a shell loop of `ip` over 50/200/400
namespaces and over 1,000 namespaces of 2 endpoints (a container host), a monitor burst
of 500 connections, `connections` and `connections -j` against `ss -Mti` over 1,000 and
10,000 open MPTCP connections in one namespace (time and peak memory) and `top -j` over
1,000 for 30 s (CPU share and memory), `apply` (Benchmarks/apply-bench.sh), and `sync`:
the latency from `ip address add` (or del) to the endpoint being in the kernel, and the
daemon's CPU time and memory through a burst of 1,000 add/delete cycles and after 10,000
events (BENCH_ONLY=sync or BENCH_ONLY=connections runs those rows alone, BENCH_ONLY=top the top
rows alone; BENCH_ONLY=processes
the `connections -P` against `ss -Mp` row alone), and `run`: its
start-up against `env`, 10,000 loopback connections through its preload library against
bare TCP (BENCH_ONLY=run), and healing (BENCH_ONLY=heal, Benchmarks/heal.py): paths that fail and come
back under a long download, each failure kind and recipe with `sync` and `sync --no-heal`,
and sync's idle cost over 1,000 connections with healing on and off (BENCH_ONLY=heal-cost alone;
BENCH_SKIP=heal runs every row but these). BENCH_ONLY=counters runs the counters rows alone
(with BEFORE=path, an older build's beside this one's, in turn).
Every namespace it makes is named mptcpbench-PID-… and deleted on exit. Needs root.
Times are wall clock on a shared machine: read the ratios, not the milliseconds.
"""
import os, shutil, signal, statistics, subprocess, sys, time, json

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.environ.get("MPTCPCTL", os.path.join(ROOT, ".build/release/mptcpctl"))
PEER = os.environ.get("MPTCP_PEER", os.path.join(ROOT, ".build/release/mptcp-peer"))
PREFIX = f"mptcpbench-{os.getpid()}"
made = []


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def netns(name):
    sh("ip", "netns", "add", name)
    made.append(name)
    return name


def cleanup(*_):
    for name in made:
        subprocess.run(["ip", "netns", "delete", name], stderr=subprocess.DEVNULL)
    made.clear()
    if _:
        sys.exit(130)


def median_ms(argv, runs, shell=False):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def paired_medians(a, b, runs):
    """Medians (ms) of A and B run in turn, A B A B ...: a drift of the machine's speed,
    or state a run leaves in the kernel (TIME_WAIT sockets), falls on both alike."""
    return tuple(interleaved_medians([a, b], runs))


def interleaved_medians(commands, runs, rotate=False):
    """Medians (ms) of each command, all run in turn (A B C A B C ...); with `rotate`, each
    round starts one further (A B C, B C A, C A B, ...), so that each follows each of the
    others alike: `run --intercept`'s supervisor can still be leaving when the next
    command starts."""
    times = [[] for _ in commands]
    pairs = list(zip(commands, times))
    for number in range(runs):
        first = number % len(pairs) if rotate else 0
        for argv, kept in pairs[first:] + pairs[:first]:
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            kept.append(time.perf_counter() - start)
    return [statistics.median(kept) * 1000 for kept in times]


def read_back(program):
    """Drops a program file's cached pages (written to disk first), so that it is read back
    as a program is that was not just written. Most of a command's peak RSS is its code,
    mapped in the page cache's units: a file just written (`make build` installs the
    binary) stays cached in larger units than a file read back, and the same mptcpctl then
    peaks 0.7-0.8 MiB higher (endpoint show: 7040 KiB just copied, 6220 read back). An
    older build given as BEFORE is not just written: without this, the two would not be
    measured alike."""
    path = shutil.which(program) or program
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def read_back_sync():
    """Reads back mptcpctl and the mptcpctl-apply beside it, which runs `sync`, before a
    row measures sync's memory: its RSS is mostly mptcpctl-apply's code (read_back)."""
    folder = os.path.dirname(TOOL)
    for program in (TOOL, os.path.join(folder, "mptcpctl-apply"), os.path.join(folder, "../libexec/mptcpctl/mptcpctl-apply")):
        if os.path.exists(program):
            read_back(program)


def peak_kib(argv):
    # GNU time forks a small child, so the figure is the command's own high-water mark.
    # The program is read back from disk first, and run once before the run measured.
    read_back(argv[0])
    sh(*argv)
    out = sh("/usr/bin/time", "-f", "%M", *argv).stderr.strip().splitlines()[-1]
    return int(out)


def row(name, ours, theirs, unit="ms"):
    ratio = ours / theirs if theirs else float("nan")
    print(f"  {name:<34} {ours:>9.2f} {unit}  {theirs:>9.2f} {unit}  {ratio:>6.2f}x")


def fill(namespaces):
    lines = []
    for ns in namespaces:
        for i in range(1, 9):
            flags = ["subflow", "signal", "address", "subflow backup"][i % 4]
            lines.append(f"-n {ns} endpoint add 10.0.{i}.1 id {i} {flags}")
        lines.append(f"-n {ns} limits set subflows 8 add_addr_accepted 8")
    subprocess.run([TOOL, "-b", "-"], input="\n".join(lines) + "\n", text=True, check=True)


def single_commands(runs, tool=TOOL):
    ns = netns(f"{PREFIX}-single")
    fill([ns])
    print(f"single commands ({tool}), median of {runs} runs")
    print(f"{'':34}mptcpctl         ip   mptcpctl/ip")
    row("endpoint show (8 endpoints)", median_ms([tool, "-n", ns, "endpoint", "show"], runs),
        median_ms(["ip", "-n", ns, "mptcp", "endpoint", "show"], runs))
    row("endpoint show -j", median_ms([tool, "-n", ns, "-j", "endpoint", "show"], runs),
        median_ms(["ip", "-n", ns, "-j", "mptcp", "endpoint", "show"], runs))
    row("limits show", median_ms([tool, "-n", ns, "limits", "show"], runs),
        median_ms(["ip", "-n", ns, "mptcp", "limits", "show"], runs))
    row("--version (ip -V)", median_ms([tool, "--version"], runs), median_ms(["ip", "-V"], runs))
    sh("ip", "-n", ns, "mptcp", "endpoint", "delete", "id", "8")
    ours = median_ms(f"{tool} -n {ns} endpoint add 10.0.9.9 id 99 subflow && {tool} -n {ns} endpoint delete id 99", runs, shell=True)
    theirs = median_ms(f"ip -n {ns} mptcp endpoint add 10.0.9.9 id 99 subflow && ip -n {ns} mptcp endpoint delete id 99", runs, shell=True)
    row("endpoint add + delete (two runs)", ours, theirs)
    row("peak memory, endpoint show", peak_kib([tool, "-n", ns, "endpoint", "show"]) / 1024,
        peak_kib(["ip", "-n", ns, "mptcp", "endpoint", "show"]) / 1024, unit="MiB")
    print()


def counters(sizes, runs, before=None):
    """`counters --all-netns -j` against a loop of `ip` at each size; with BEFORE (an
    older build's mptcpctl), that build too, the two run in turn (A B A B ...)."""
    others = len(os.listdir("/run/netns")) if os.path.isdir("/run/netns") else 0
    print("counters --all-netns -j vs a loop of 'ip -n NS mptcp endpoint show; ip -n NS mptcp limits show'")
    print(f"  (median of {runs}; {others} namespace(s) existed before; each one made here has 8 endpoints)")
    print(f"  {'namespaces':>10}  {'mptcpctl':>10}  {'ip loop':>10}  {'ratio':>7}  {'mptcpctl per ns':>15}")
    names = []
    # Sizes grow, so while a size is measured exactly that many bench namespaces exist.
    for size in sorted(sizes):
        new = [netns(f"{PREFIX}-c{i}") for i in range(len(names), size)]
        fill(new)
        names += new
        loop = "; ".join(f"ip -n {n} mptcp endpoint show; ip -n {n} mptcp limits show" for n in names)
        argv = [TOOL, "counters", "--all-netns", "-j"]
        if before:
            older, ours = paired_medians([before] + argv[1:], argv, runs)
        else:
            ours = median_ms(argv, runs)
        theirs = median_ms(loop, runs, shell=True)
        for name, ms in ((f"{size} before", older), (f"{size}", ours)) if before else ((f"{size}", ours),):
            print(f"  {name:>10}  {ms:>8.1f}ms  {theirs:>8.1f}ms  {theirs / ms:>6.1f}x  {ms / size * 1000:>12.1f} µs")
    print()


def container_host(size, runs):
    """counters --all-netns over `size` namespaces of 2 endpoints each, as on a host of
    containers, against a loop of ip over the same namespaces; and peak memory."""
    names = [netns(f"{PREFIX}-h{i}") for i in range(size)]
    lines = []
    for ns in names:
        lines += [f"-n {ns} endpoint add 10.0.1.1 id 1 subflow", f"-n {ns} endpoint add 10.0.2.1 id 2 address"]
    subprocess.run([TOOL, "-b", "-"], input="\n".join(lines) + "\n", text=True, check=True)
    total = len(os.listdir("/run/netns"))
    loop = "; ".join(f"ip -n {n} mptcp endpoint show; ip -n {n} mptcp limits show" for n in names)
    ours = median_ms([TOOL, "counters", "--all-netns", "-j"], runs)
    theirs = median_ms(loop, runs, shell=True)
    peak = peak_kib([TOOL, "counters", "--all-netns", "-j"]) / 1024
    print(f"container host: {size} namespaces x 2 endpoints ({total} under /run/netns), median of {runs}")
    print(f"  counters --all-netns -j   {ours:>8.1f} ms   ip loop {theirs:>8.1f} ms   "
          f"mptcpctl/ip {ours / theirs:.4f}x (goal <= 0.025x)   {ours / total * 1000:.1f} µs per namespace")
    print(f"  peak memory               {peak:>8.1f} MiB (goal < 20 MiB)")
    print()


def linked_pair(tag, subnet):
    """A client and a server namespace joined by a veth pair (TAG c0 / TAG s0), with
    SUBNET.1 and SUBNET.2; returns their names."""
    client, server = netns(f"{PREFIX}-{tag}c"), netns(f"{PREFIX}-{tag}s")
    sh("ip", "link", "add", f"{tag}c0", "netns", client, "type", "veth", "peer", "name", f"{tag}s0", "netns", server)
    sh("ip", "-n", client, "address", "add", f"{subnet}.1/24", "dev", f"{tag}c0")
    sh("ip", "-n", server, "address", "add", f"{subnet}.2/24", "dev", f"{tag}s0")
    for ns, dev in ((client, f"{tag}c0"), (server, f"{tag}s0")):
        sh("ip", "-n", ns, "link", "set", dev, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
    return client, server


def burst(count):
    client, server = linked_pair("b", "10.9.0")
    srv = subprocess.Popen(["ip", "netns", "exec", server, PEER, "server", "0.0.0.0", "8080", "--connections", str(count)],
                           stdout=subprocess.PIPE, text=True)
    srv.stdout.readline()
    mon = subprocess.Popen([TOOL, "-n", client, "-j", "monitor", "--event", "created", "--event", "closed",
                            "--count", str(2 * count), "--timeout", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mon.stderr.readline()  # "listening …"
    start = time.perf_counter()
    sh("ip", "netns", "exec", client, PEER, "client", "10.9.0.2", "8080", "--connections", str(count))
    elapsed = time.perf_counter() - start
    out, err = mon.communicate(timeout=70)
    srv.wait(timeout=10)
    events = [json.loads(line) for line in out.splitlines()]
    created = sum(e["type"] == "created" for e in events)
    closed = sum(e["type"] == "closed" for e in events)
    lost = sum(e.get("count", 0) for e in events if e["type"] == "lost")
    print(f"monitor burst: {count} MPTCP connections opened and closed in {elapsed:.2f} s "
          f"({count / elapsed:.0f} connections/s); seen created {created}, closed {closed}, lost {lost}; exit {mon.returncode}")
    print()


# Accepts MPTCP connections on 0.0.0.0:8080 and holds every one open until standard
# input ends. RLIMIT_NOFILE is raised to the hard limit first: 10,000 connections need
# 10,000 descriptors on this side too.
ACCEPTOR = """
import resource, socket, sys, threading
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("0.0.0.0", 8080))
listener.listen(65535)
held = []
def accept():
    while True:
        held.append(listener.accept()[0])
threading.Thread(target=accept, daemon=True).start()
print("listening", flush=True)
sys.stdin.read()
"""

# Opens COUNT MPTCP connections (IPPROTO_MPTCP 262) to ADDRESS:8080 and holds them open
# until standard input ends; says "ready" once all are connected.
HOLDER = """
import resource, socket, sys
count, address = int(sys.argv[1]), sys.argv[2]
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 64), hard))
held = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
    s.connect((address, 8080))
    held.append(s)
print("ready", flush=True)
sys.stdin.read()
"""


class HeldConnections:
    """COUNT MPTCP connections from a client namespace to a server namespace that
    accepts them all (somaxconn and tcp_max_syn_backlog raised there), held open
    while the block runs; `client` is the namespace to read."""

    def __init__(self, count):
        self.count = count

    def __enter__(self):
        client, server = linked_pair("c", "10.8.0")
        for key in ("net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog"):
            sh("ip", "netns", "exec", server, "sysctl", "-qw", f"{key}=65535")
        self.client, self.processes = client, []
        self.processes.append(subprocess.Popen(["ip", "netns", "exec", server, "python3", "-c", ACCEPTOR],
                                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True))
        self.processes[0].stdout.readline()
        holder = subprocess.Popen(["ip", "netns", "exec", client, "python3", "-c", HOLDER, str(self.count), "10.8.0.2"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.processes.append(holder)
        if holder.stdout.readline().strip() != "ready":
            self.__exit__()
            sys.exit(f"bench: the {self.count} connections could not be opened")
        return self

    def __exit__(self, *_):
        for process in reversed(self.processes):
            process.stdin.close()
            process.wait(timeout=60)
        cleanup()


def connections(count, runs):
    """`connections` and `connections -j` against `ss -Mti` over COUNT open connections
    in one namespace (time and peak memory)."""
    with HeldConnections(count) as held:
        client = held.client
        listed = json.loads(sh(TOOL, "-n", client, "-j", "connections").stdout)
        subflows = sum(len(c["subflows"]) for c in listed)
        print(f"connections over {len(listed)} open MPTCP connections ({subflows} subflows), median of {runs} runs"
              f"   mptcpctl     ss -Mti   mptcpctl/ss (goal <= 0.8x)")
        ours = [TOOL, "-n", client, "connections"]
        theirs = ["ss", "-N", client, "-Mti"]
        row("connections / ss -Mti", median_ms(ours, runs), median_ms(theirs, runs))
        row("connections -j / ss -Mti", median_ms(ours[:3] + ["-j", "connections"], runs), median_ms(theirs, runs))
        processes_row(client, runs)
        row("peak memory, connections", peak_kib(ours) / 1024, peak_kib(theirs) / 1024, unit="MiB")
        row("peak memory, connections -j", peak_kib(ours[:3] + ["-j", "connections"]) / 1024, peak_kib(theirs) / 1024, unit="MiB")
        print()


def processes_row(client, runs):
    """`connections -P` against `ss -Mp` over the same connections: both read every
    /proc/PID/fd link to find the process holding each socket."""
    row("connections -P / ss -Mp", median_ms([TOOL, "-n", client, "connections", "-P"], runs),
        median_ms(["ss", "-N", client, "-Mp"], runs))


def processes_rows():
    """The `connections -P` row alone (BENCH_ONLY=processes), at each size of CONNECTIONS."""
    runs = int(os.environ.get("CONNECTION_RUNS", "20"))
    for count in [int(n) for n in os.environ.get("CONNECTIONS", "1000,10000").split(",")]:
        with HeldConnections(count) as held:
            print(f"connections -P over {count} open MPTCP connections, median of {runs} runs"
                  f"   mptcpctl     ss -Mp   mptcpctl/ss")
            processes_row(held.client, runs)
            print()


def top(count, seconds):
    """`top` over COUNT open connections for SECONDS, each way it runs: `-j --delay 1`
    (every connection written each second) and the full screen in an 80x24 terminal
    (tmux; what an admin watches). Its CPU time (user + system, from /proc/PID/stat) as
    a share of one core, and its memory."""
    with HeldConnections(count) as held:
        socket = f"/tmp/{PREFIX}-tmux"
        for mode in ("-j", "screen"):
            if mode == "-j":
                with open(os.devnull, "w") as null:
                    process = subprocess.Popen([TOOL, "-n", held.client, "-j", "top", "--delay", "1"], stdout=null)
                pid, stop = process.pid, lambda: (process.terminate(), process.wait(timeout=10))
            else:
                # Not through pipes: the server tmux starts keeps them open.
                subprocess.run(["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24",
                                f"LANG=C.UTF-8 exec {TOOL} -n {held.client} top --delay 1"], check=True,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(0.5)
                pid = int(sh("tmux", "-S", socket, "display-message", "-p", "#{pane_pid}").stdout)
                stop = lambda: subprocess.run(["tmux", "-S", socket, "kill-server"], stderr=subprocess.DEVNULL)
            try:
                time.sleep(0.5)  # past start-up and the first reading
                cpu0, _, _ = proc_usage(pid)
                start = time.perf_counter()
                time.sleep(seconds)
                cpu1, peak, rss = proc_usage(pid)
                elapsed = time.perf_counter() - start
            finally:
                stop()
            name = "top -j --delay 1" if mode == "-j" else "top --delay 1 (full screen, 80x24)"
            print(f"{name} over {count} open MPTCP connections for {elapsed:.0f} s: "
                  f"CPU {100 * (cpu1 - cpu0) / elapsed:.2f} % of one core (goal <= 2 %), "
                  f"peak RSS {peak / 1024:.1f} MiB, RSS {rss / 1024:.1f} MiB (goal < 30 MiB)")
        print()


def connection_rows():
    """The connections rows at each size (CONNECTIONS, comma-separated; 1,000 and
    10,000), then `top` over the first (TOP_SECONDS, 30)."""
    sizes = [int(n) for n in os.environ.get("CONNECTIONS", "1000,10000").split(",")]
    runs = int(os.environ.get("CONNECTION_RUNS", "20"))
    for count in sizes:
        connections(count, runs)
    top(sizes[0], float(os.environ.get("TOP_SECONDS", "30")))


def run_rows(runs):
    """`run`: its start-up against `env` running the same program (with BEFORE=path, that
    build's start-up too, the three in turn), and 10,000
    socket()+connect() on loopback bare and through the preload library (in a fresh
    namespace): through the library against the program asking for MPTCP itself (the
    library's own cost, the goal), and against TCP (the kernel's cost of MPTCP
    connections on top); with net.mptcp.enabled=0 the library's fallback (an MPTCP
    socket() refused, then the TCP one) against TCP; and `run --intercept`: its
    start-up (a supervisor spawned) and the same connections through the supervisor."""
    library = os.path.join(os.path.dirname(TOOL), "libmptcpwrap.so")
    loop = f"/tmp/{PREFIX}-connect-loop"
    sh(os.environ.get("CC", "cc"), "-O2", "-o", loop, os.path.join(ROOT, "Benchmarks/connect-loop.c"))
    try:
        print(f"run, median of {runs} runs                                   mptcpctl       env   ratio (goal <= 1.2x)")
        before = os.environ.get("BEFORE")
        for words in (["true"], ["--intercept", "true"]):
            name = f"run {' '.join(words)} / env true"
            if not before:
                row(name, *paired_medians([TOOL, "run", *words], ["env", "true"], runs))
                continue
            # BEFORE=path: that build, this one and env in turn (rotated), so that the two
            # builds' rows differ by the builds, not by the machine between two runs; both read
            # back from disk, as a binary just installed starts differently (read_back).
            read_back(before)
            read_back(TOOL)
            earlier, ours, bare = interleaved_medians([[before, "run", *words], [TOOL, "run", *words], ["env", "true"]],
                                                      runs, rotate=True)
            row(name + " (BEFORE)", earlier, bare)
            row(name, ours, bare)
        ns = netns(f"{PREFIX}-run")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        bare = ["ip", "netns", "exec", ns, "env", loop, "10000"]
        itself = ["ip", "netns", "exec", ns, "env", loop, "10000", "mptcp"]
        preloaded = ["ip", "netns", "exec", ns, "env", f"LD_PRELOAD={library}", loop, "10000"]
        rounds = max(3, runs // 20)
        print(f"10,000 socket()+connect()+accept() on loopback, median of {rounds}   preload      bare   ratio (goal <= 1.05x: first row)")
        row("MPTCP via the library / by itself", *paired_medians(preloaded, itself, rounds))
        row("MPTCP through the library / TCP", *paired_medians(preloaded, bare, rounds))
        # The supervisor's round trip per socket(): the library is taken out of the
        # program's environment, so each socket() goes to the supervisor.
        supervised = ["ip", "netns", "exec", ns, TOOL, "run", "--intercept", "--", "env", "-u", "LD_PRELOAD", loop, "10000"]
        row("MPTCP through --intercept's supervisor / TCP", *paired_medians(supervised, bare, rounds))
        sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.mptcp.enabled=0")
        row("fallback (mptcp off) / TCP", *paired_medians(preloaded, bare, rounds))
        print()
    finally:
        os.unlink(loop)


def proc_usage(pid):
    """CPU seconds (user + system), peak RSS and current RSS (KiB) of a process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status").read().splitlines() if ":" in line)
    return cpu, int(status["VmHWM"].split()[0]), int(status["VmRSS"].split()[0])


def sync_rows(changes=200, cycles=1000, events=10000):
    ns = netns(f"{PREFIX}-sync")
    sh("ip", "-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
    for dev in ("v0", "v1", "lo"):
        sh("ip", "-n", ns, "link", "set", dev, "up")
    path = f"/tmp/{PREFIX}-sync.yaml"
    with open(path, "w") as f:
        f.write('interfaces:\n  - {name: "v*", flags: [subflow]}\n')
    os.chmod(path, 0o600)
    read_back_sync()
    daemon = subprocess.Popen([TOOL, "-n", ns, "sync", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        daemon.stderr.readline()  # "sync: ready: …"
        # Each change: the clock runs from just before `ip` starts until sync prints the step,
        # which it does once the kernel has taken it (so `ip`'s own ~1 ms is included).
        latencies = []
        for i in range(changes):
            verb = "add" if i % 2 == 0 else "del"
            start = time.perf_counter()
            sh("ip", "-n", ns, "address", verb, "10.1.0.5/24", "dev", "v0")
            line = daemon.stdout.readline()
            latencies.append((time.perf_counter() - start) * 1000)
            expected = "add 10.1.0.5" if verb == "add" else "delete id"
            assert expected in line, line
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"sync: {changes} changes (ip address add/del -> endpoint added/deleted in the kernel): median "
              f"{statistics.median(latencies):.2f} ms (goal < 20), p99 {p99:.2f} ms (goal < 100), max {latencies[-1]:.2f} ms")
        cpu0, _, _ = proc_usage(daemon.pid)
        batch = "".join("address add 10.1.0.6/24 dev v0\naddress del 10.1.0.6/24 dev v0\n" for _ in range(cycles))
        start = time.perf_counter()
        subprocess.run(["ip", "-n", ns, "-batch", "-"], input=batch + "address add 10.1.0.7/24 dev v0\n", text=True, check=True)
        while "10.1.0.7" not in sh("ip", "-n", ns, "mptcp", "endpoint", "show").stdout:
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        cpu1, peak1, rss1 = proc_usage(daemon.pid)
        final = sh("ip", "-n", ns, "mptcp", "endpoint", "show").stdout.split()
        print(f"sync: burst of {cycles} add/delete cycles: settled in {elapsed:.2f} s, daemon CPU {cpu1 - cpu0:.2f} s, "
              f"peak RSS {peak1 / 1024:.1f} MiB, RSS {rss1 / 1024:.1f} MiB; final endpoints {final[:1]}")
        rounds = (events - 2 * cycles) // 2
        batch = "".join("address add 10.1.0.8/24 dev v0\naddress del 10.1.0.8/24 dev v0\n" for _ in range(rounds))
        subprocess.run(["ip", "-n", ns, "-batch", "-"], input=batch, text=True, check=True)
        time.sleep(1)
        cpu2, peak2, rss2 = proc_usage(daemon.pid)
        print(f"sync: after {events} address events: daemon CPU {cpu2 - cpu0:.2f} s in all, peak RSS {peak2 / 1024:.1f} MiB, "
              f"RSS {rss2 / 1024:.1f} MiB (after the first burst: {rss1 / 1024:.1f} MiB)")
        print()
    finally:
        daemon.terminate()
        daemon.wait(timeout=5)
        os.unlink(path)


def heal_cost(count, seconds):
    """`sync` idle over COUNT open connections for SECONDS, healing on and off: its CPU
    time as a share of one core, and its memory. The connections' namespace has one
    interface, whose address carries an endpoint (its subflows are the paths healed)."""
    with HeldConnections(count) as held:
        path = f"/tmp/{PREFIX}-heal.yaml"
        with open(path, "w") as f:
            f.write('interfaces:\n  - {name: "c*", flags: [subflow]}\n')
        os.chmod(path, 0o600)
        try:
            for mode in ("--no-heal", "heal"):
                argv = [TOOL, "-n", held.client, "sync"] + ([mode] if mode == "--no-heal" else []) + [path]
                read_back_sync()
                daemon = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                try:
                    daemon.stderr.readline()  # "sync: ready: …"
                    time.sleep(6)  # past start-up, the first reading and the first sweep
                    cpu0, _, _ = proc_usage(daemon.pid)
                    start = time.perf_counter()
                    time.sleep(seconds)
                    cpu1, peak, rss = proc_usage(daemon.pid)
                    elapsed = time.perf_counter() - start
                finally:
                    daemon.terminate()
                    daemon.wait(timeout=10)
                name = "sync --no-heal" if mode == "--no-heal" else "sync (healing)"
                print(f"{name:<16} idle over {count} open MPTCP connections for {elapsed:.0f} s: "
                      f"CPU {100 * (cpu1 - cpu0) / elapsed:.2f} % of one core (goal <= 1 %), "
                      f"peak RSS {peak / 1024:.1f} MiB, RSS {rss / 1024:.1f} MiB (goal < 18 MiB)")
        finally:
            os.unlink(path)
        print()


def heal_rows():
    """Issue 30's table (Benchmarks/heal.py), then sync's idle cost with healing."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import heal
    runs = int(os.environ.get("HEAL_RUNS", "10"))
    kinds = [k for k in heal.KINDS if not os.environ.get("HEAL_KINDS") or k[0] in os.environ["HEAL_KINDS"].split(",")]
    heal.rows(runs=runs, kinds=kinds, parallel=int(os.environ.get("HEAL_PARALLEL", "6")))
    heal_cost(int(os.environ.get("HEAL_CONNECTIONS", "1000")), float(os.environ.get("HEAL_SECONDS", "30")))


def main():
    if os.geteuid() != 0:
        sys.exit("bench: needs root (it creates network namespaces)")
    alone = os.environ.get("BENCH_ONLY") or os.environ.get("ONLY")
    for path in (TOOL,) if alone in ("sync", "heal", "heal-cost") else (TOOL, PEER):
        if not os.access(path, os.X_OK):
            sys.exit(f"bench: no {path}; run 'make build' first")
    signal.signal(signal.SIGINT, cleanup)
    signal.signal(signal.SIGTERM, cleanup)
    runs = int(os.environ.get("RUNS", "100"))
    only = os.environ.get("BENCH_ONLY") or os.environ.get("ONLY")
    if only == "counters":
        # The counters rows alone; with BEFORE=path, that build's beside this one's, in turn.
        try:
            counters([int(n) for n in os.environ.get("COUNTER_SIZES", "50,200,400").split(",")],
                     int(os.environ.get("COUNTER_RUNS", "5")), os.environ.get("BEFORE"))
        finally:
            cleanup()
        return
    if only == "start-up":
        # The single commands alone; with BEFORE=path, that build's rows first, in this run.
        try:
            for tool in [t for t in (os.environ.get("BEFORE"), TOOL) if t]:
                single_commands(runs, tool)
                cleanup()
        finally:
            cleanup()
        return
    if only in ("sync", "connections", "processes", "run", "top", "heal", "heal-cost"):
        try:
            if only == "top":
                top(int(os.environ.get("CONNECTIONS", "1000").split(",")[0]), float(os.environ.get("TOP_SECONDS", "30")))
            elif only == "sync":
                sync_rows()
            elif only == "heal":
                heal_rows()
            elif only == "heal-cost":
                heal_cost(int(os.environ.get("HEAL_CONNECTIONS", "1000")), float(os.environ.get("HEAL_SECONDS", "30")))
            elif only == "run":
                run_rows(runs)
            elif only == "processes":
                processes_rows()
            else:
                connection_rows()
        finally:
            cleanup()
        return
    try:
        single_commands(runs)
        counters([50, 200, 400], int(os.environ.get("COUNTER_RUNS", "5")))
        cleanup()
        container_host(int(os.environ.get("HOST_NAMESPACES", "1000")), int(os.environ.get("HOST_RUNS", "3")))
        cleanup()
        burst(500)
        cleanup()
        run_rows(runs)
        cleanup()
        connection_rows()
        cleanup()
        print("apply (Benchmarks/apply-bench.sh):")
        subprocess.run(["bash", os.path.join(ROOT, "Benchmarks/apply-bench.sh"), TOOL], check=True,
                       env={**os.environ, "RUNS": os.environ.get("APPLY_RUNS", "5")})
        sync_rows()
        cleanup()
        # BENCH_SKIP=heal: every row but healing's (hours: ten failures a cell).
        if "heal" not in os.environ.get("BENCH_SKIP", "").split(","):
            heal_rows()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
