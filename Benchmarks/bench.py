#!/usr/bin/env python3
"""make bench: mptcpctl and `ip` side by side, in one run, as medians and ratios.

Single commands (endpoint show with 8 endpoints, limits show, --version, add + delete,
peak memory), `counters --all-netns` against a shell loop of `ip` over 50/200/400
namespaces and over 1,000 namespaces of 2 endpoints (a container host), a monitor burst
of 500 connections, and `apply` (Benchmarks/apply-bench.sh).
Every namespace it makes is named mptcpbench-PID-… and deleted on exit. Needs root.
Times are wall clock on a shared machine: read the ratios, not the milliseconds.
"""
import os, signal, statistics, subprocess, sys, time, json

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


def peak_kib(argv):
    # GNU time forks a small child, so the figure is the command's own high-water mark.
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


def single_commands(runs):
    ns = netns(f"{PREFIX}-single")
    fill([ns])
    print(f"single commands, median of {runs} runs       mptcpctl         ip   mptcpctl/ip")
    row("endpoint show (8 endpoints)", median_ms([TOOL, "-n", ns, "endpoint", "show"], runs),
        median_ms(["ip", "-n", ns, "mptcp", "endpoint", "show"], runs))
    row("endpoint show -j", median_ms([TOOL, "-n", ns, "-j", "endpoint", "show"], runs),
        median_ms(["ip", "-n", ns, "-j", "mptcp", "endpoint", "show"], runs))
    row("limits show", median_ms([TOOL, "-n", ns, "limits", "show"], runs),
        median_ms(["ip", "-n", ns, "mptcp", "limits", "show"], runs))
    row("--version (ip -V)", median_ms([TOOL, "--version"], runs), median_ms(["ip", "-V"], runs))
    sh("ip", "-n", ns, "mptcp", "endpoint", "delete", "id", "8")
    ours = median_ms(f"{TOOL} -n {ns} endpoint add 10.0.9.9 id 99 subflow && {TOOL} -n {ns} endpoint delete id 99", runs, shell=True)
    theirs = median_ms(f"ip -n {ns} mptcp endpoint add 10.0.9.9 id 99 subflow && ip -n {ns} mptcp endpoint delete id 99", runs, shell=True)
    row("endpoint add + delete (two runs)", ours, theirs)
    row("peak memory, endpoint show", peak_kib([TOOL, "-n", ns, "endpoint", "show"]) / 1024,
        peak_kib(["ip", "-n", ns, "mptcp", "endpoint", "show"]) / 1024, unit="MiB")
    print()


def counters(sizes, runs):
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
        ours = median_ms([TOOL, "counters", "--all-netns", "-j"], runs)
        theirs = median_ms(loop, runs, shell=True)
        print(f"  {size:>10}  {ours:>8.1f}ms  {theirs:>8.1f}ms  {theirs / ours:>6.1f}x  {ours / size * 1000:>12.1f} µs")
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


def burst(count):
    client, server = netns(f"{PREFIX}-bc"), netns(f"{PREFIX}-bs")
    sh("ip", "link", "add", "bc0", "netns", client, "type", "veth", "peer", "name", "bs0", "netns", server)
    sh("ip", "-n", client, "address", "add", "10.9.0.1/24", "dev", "bc0")
    sh("ip", "-n", server, "address", "add", "10.9.0.2/24", "dev", "bs0")
    for ns, dev in ((client, "bc0"), (server, "bs0")):
        sh("ip", "-n", ns, "link", "set", dev, "up")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
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


def main():
    if os.geteuid() != 0:
        sys.exit("bench: needs root (it creates network namespaces)")
    for path in (TOOL, PEER):
        if not os.access(path, os.X_OK):
            sys.exit(f"bench: no {path}; run 'make build' first")
    signal.signal(signal.SIGINT, cleanup)
    signal.signal(signal.SIGTERM, cleanup)
    runs = int(os.environ.get("RUNS", "100"))
    try:
        single_commands(runs)
        counters([50, 200, 400], int(os.environ.get("COUNTER_RUNS", "5")))
        cleanup()
        container_host(int(os.environ.get("HOST_NAMESPACES", "1000")), int(os.environ.get("HOST_RUNS", "3")))
        cleanup()
        burst(500)
        cleanup()
        print("apply (Benchmarks/apply-bench.sh):")
        subprocess.run(["bash", os.path.join(ROOT, "Benchmarks/apply-bench.sh"), TOOL], check=True,
                       env={**os.environ, "RUNS": os.environ.get("APPLY_RUNS", "5")})
    finally:
        cleanup()


if __name__ == "__main__":
    main()
