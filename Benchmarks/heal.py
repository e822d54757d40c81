#!/usr/bin/env python3
"""Paths that fail and come back (issue 30): the lab and the bench rows.

Two namespaces, a client C and a server S, joined by two veth links shaped with tbf:
a (C(a) 10.80.1.1 - S(a) 10.80.1.2, 8 Mbit/s) and b (C(b) 10.80.2.1 - S(b) 10.80.2.2,
16 Mbit/s). S sends to C without end over one MPTCP connection (a long download); C
reads it and samples, every 20 ms, the bytes each of its TCP subflows received
(sock_diag, tcp_info's tcpi_bytes_received). Then path b fails, one kind at a time:

  linkdown   C's cb down for SECONDS, then up (both ends lose carrier)
  address    C(b) removed from cb for SECONDS, then added again
  blackhole  iptables DROP on cb in C (in and out, the link up) for SECONDS
  timeout    the same black hole, tcp_retries2=6 in S, until S's subflow over b timed out

and the row says, over RUNS failures (a fresh connection each):
  recovery   from the moment the path is back to the first 100 ms in which C received
             more than 100 kB/s over b again (the kernel's per-subflow counters)
  stall      the longest time C's application received nothing, from the failure to
             the recovery (plus a second)

Recipes (each side as `mptcpctl sync FILE` would keep it):
  subflow    C: a `subflow` endpoint on each uplink (ca and cb); S: none
  address    the README's: C: an `address` endpoint on cb; S: a `signal` endpoint S(b)

Modes: `heal` (sync on both ends, healing on: the default), `noheal` (sync --no-heal),
`kernel` (the endpoints set once with `endpoint add`, no sync: the kernel alone).

  python3 Benchmarks/heal.py [--recipe subflow|address] [--kind KIND] [--seconds S]
                             [--runs N] [--mode heal|noheal|kernel] [--repeated] [--json] [-v]

Needs root; every namespace is named mptcpheal-PID-... and deleted at exit.
"""
import argparse, json, os, select, signal, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.environ.get("MPTCPCTL", os.path.join(ROOT, ".build/release/mptcpctl"))
PREFIX = f"mptcpheal-{os.getpid()}"
RATE = {"a": "8mbit", "b": "16mbit"}
CA, CB, SA, SB = "10.80.1.1", "10.80.2.1", "10.80.1.2", "10.80.2.2"
PORT = 8443
# Give up on a recovery after this long: "never" in the table.
NEVER = float(os.environ.get("HEAL_NEVER", "30"))

# The server: accepts MPTCP connections on the wildcard address and sends to each
# without end (one thread per connection), until standard input ends.
SERVER = r"""
import socket, sys, threading
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("0.0.0.0", int(sys.argv[1])))
listener.listen(64)
chunk = b"\x6d" * 65536
def send(c):
    try:
        while True:
            c.sendall(chunk)
    except OSError:
        pass
def accept():
    while True:
        c, _ = listener.accept()
        threading.Thread(target=send, args=(c,), daemon=True).start()
threading.Thread(target=accept, daemon=True).start()
print("listening", flush=True)
sys.stdin.read()
"""

# The client: one MPTCP connection to ADDRESS:PORT, read without end; a thread samples
# every 20 ms the bytes received by each TCP socket of the namespace (the subflows),
# over sock_diag, and prints one JSON line per sample: the monotonic time, the bytes
# each local address received since the last sample (a new subflow counts from 0, a
# gone one no more), and the application's longest wait for data since then.
CLIENT = r"""
import json, socket, struct, sys, threading, time
NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, INET_DIAG_INFO = 4, 20, 2
def tcp_sockets():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 1 << (INET_DIAG_INFO - 1), 0, 0xffffffff) + bytes(48)
    s.send(struct.pack("=IHHII", 16 + len(request), SOCK_DIAG_BY_FAMILY, 0x301, 1, 0) + request)
    found = {}
    done = False
    while not done:
        data = s.recv(65536)
        offset = 0
        while offset + 16 <= len(data):
            length, kind = struct.unpack_from("=IH", data, offset)
            if length < 16: break
            if kind == 3 or kind == 2: done = True; break
            body = offset + 16
            sport, dport = struct.unpack_from("!HH", data, body + 4)
            src = socket.inet_ntoa(data[body + 8:body + 12])
            dst = socket.inet_ntoa(data[body + 24:body + 28])
            cookie = data[body + 44:body + 52]
            received = 0
            a = body + 72
            while a + 4 <= offset + length:
                alen, atype = struct.unpack_from("=HH", data, a)
                if alen < 4: break
                if atype == INET_DIAG_INFO and alen - 4 >= 136:
                    received = struct.unpack_from("=Q", data, a + 4 + 128)[0]
                a += (alen + 3) & ~3
            found[(src, sport, dst, dport, cookie)] = received
            offset += (length + 3) & ~3
    s.close()
    return found
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)
# Killed, the connection is reset at once (MP_FASTCLOSE): an orphan left in FIN_WAIT2
# would go on receiving beside the next download.
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
c.connect((sys.argv[1], int(sys.argv[2])))
lock = threading.Lock()
state = {"last": time.monotonic(), "gap": 0.0, "app": 0}
def sample():
    before = {}
    while True:
        time.sleep(0.02)
        now = time.monotonic()
        found = tcp_sockets()
        by_address = {}
        for key, value in found.items():
            delta = value - before.get(key, 0)
            if delta > 0: by_address[key[0]] = by_address.get(key[0], 0) + delta
        before = found
        with lock:
            gap = max(state["gap"], now - state["last"])
            state["gap"] = 0.0
            app = state["app"]
        print(json.dumps({"t": now, "rx": by_address, "gap": gap, "app": app, "subflows": sorted(set((k[0], k[2]) for k in found))}), flush=True)
threading.Thread(target=sample, daemon=True).start()
while True:
    data = c.recv(262144)
    if not data:
        break
    now = time.monotonic()
    with lock:
        state["gap"] = max(state["gap"], now - state["last"])
        state["last"] = now
        state["app"] += len(data)
print(json.dumps({"t": time.monotonic(), "closed": True}), flush=True)
"""


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


class Lab:
    """The two namespaces and their links (set up once), the sync daemons of a mode and
    recipe, and one download at a time."""

    def __init__(self, verbose=False):
        self.verbose = verbose
        self.client, self.server = f"{PREFIX}-c", f"{PREFIX}-s"
        self.daemons, self.files, self.processes = [], [], []
        for ns in (self.client, self.server):
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        for link, (c, s) in {"a": (CA, SA), "b": (CB, SB)}.items():
            sh("ip", "link", "add", f"c{link}", "netns", self.client, "type", "veth", "peer", "name", f"s{link}", "netns", self.server)
            sh("ip", "-n", self.client, "address", "add", f"{c}/24", "dev", f"c{link}")
            sh("ip", "-n", self.server, "address", "add", f"{s}/24", "dev", f"s{link}")
            for ns, dev in ((self.client, f"c{link}"), (self.server, f"s{link}")):
                # Both directions shaped: the download's data one way, its acks the other.
                sh("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", dev, "root", "tbf", "rate", RATE[link],
                   "burst", "32kb", "latency", "100ms")
                sh("ip", "-n", ns, "link", "set", dev, "up")
        server = subprocess.Popen(["ip", "netns", "exec", self.server, "python3", "-c", SERVER, str(PORT)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.processes.append(server)
        assert server.stdout.readline().strip() == "listening"

    def say(self, text):
        if self.verbose:
            print(f"    {time.monotonic():.3f} {text}", file=sys.stderr, flush=True)

    def close(self):
        self.stop_sync()
        for process in self.processes:
            if process.stdin:
                process.stdin.close()
            process.kill()
            process.wait()
        self.processes.clear()
        for ns in (self.client, self.server):
            subprocess.run(["ip", "netns", "delete", ns], stderr=subprocess.DEVNULL)

    # --- the recipes ---------------------------------------------------------------

    def files_for(self, recipe):
        if recipe == "subflow":
            client = "limits: {subflows: 2, add_addr_accepted: 0}\ninterfaces:\n  - {name: [ca, cb], flags: [subflow]}\n"
            server = "limits: {subflows: 2, add_addr_accepted: 0}\nendpoints: []\n"
        else:
            client = "limits: {subflows: 2, add_addr_accepted: 2}\ninterfaces:\n  - {name: cb, flags: [address]}\n"
            server = "limits: {subflows: 2, add_addr_accepted: 2}\ninterfaces:\n  - {name: sb, flags: [signal]}\n"
        return client, server

    def configure(self, recipe, mode):
        """The endpoints and limits of RECIPE on both ends: by sync (heal, noheal) or set
        once (kernel)."""
        self.stop_sync()
        for ns in (self.client, self.server):
            sh(TOOL, "-n", ns, "endpoint", "flush")
        client, server = self.files_for(recipe)
        if mode == "kernel":
            if recipe == "subflow":
                sh(TOOL, "-n", self.client, "endpoint", "add", CA, "dev", "ca", "subflow")
                sh(TOOL, "-n", self.client, "endpoint", "add", CB, "dev", "cb", "subflow")
                sh(TOOL, "-n", self.client, "limits", "set", "subflows", "2", "add_addr_accepted", "0")
                sh(TOOL, "-n", self.server, "limits", "set", "subflows", "2", "add_addr_accepted", "0")
            else:
                sh(TOOL, "-n", self.client, "endpoint", "add", CB, "dev", "cb", "address")
                sh(TOOL, "-n", self.client, "limits", "set", "subflows", "2", "add_addr_accepted", "2")
                sh(TOOL, "-n", self.server, "endpoint", "add", SB, "dev", "sb", "signal")
                sh(TOOL, "-n", self.server, "limits", "set", "subflows", "2", "add_addr_accepted", "2")
            return
        for ns, text in ((self.client, client), (self.server, server)):
            path = f"/tmp/{PREFIX}-{ns[-1]}.yaml"
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o600)
            self.files.append(path)
            argv = [TOOL, "-n", ns, "-j", "sync"] + (["--no-heal"] if mode == "noheal" else []) + [path]
            daemon = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            line = daemon.stderr.readline()
            if "ready" not in line:
                sys.exit(f"heal: sync did not start: {line}{daemon.stderr.read()}")
            self.daemons.append(daemon)

    def stop_sync(self):
        for daemon in self.daemons:
            daemon.terminate()
            out, err = daemon.communicate(timeout=10)
            if self.verbose:
                for line in (out + err).splitlines():
                    print(f"    sync: {line}", file=sys.stderr)
        self.daemons.clear()
        for path in self.files:
            os.unlink(path)
        self.files.clear()

    def sync_output(self):
        """What the daemons printed so far (without waiting), a line each."""
        lines = []
        for daemon in self.daemons:
            fd = daemon.stdout.fileno()
            while select.select([fd], [], [], 0)[0]:
                chunk = os.read(fd, 65536).decode()
                if not chunk:
                    break
                daemon.pending = getattr(daemon, "pending", "") + chunk
            *complete, daemon.pending = getattr(daemon, "pending", "").split("\n")
            lines += [line for line in complete if line]
        return lines

    # --- one download ---------------------------------------------------------------

    def start_download(self):
        self.download = subprocess.Popen(["ip", "netns", "exec", self.client, "python3", "-c", CLIENT, SA, str(PORT)],
                                         stdout=subprocess.PIPE, text=True)
        self.samples = []
        self.pending = ""

    def stop_download(self):
        self.download.kill()
        self.download.wait()

    def read_samples(self, until):
        """Reads the client's samples until the monotonic time UNTIL."""
        fd = self.download.stdout.fileno()
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            if select.select([fd], [], [], left)[0]:
                chunk = os.read(fd, 65536).decode()
                if not chunk:
                    time.sleep(left)
                    return
                self.pending += chunk
                *lines, self.pending = self.pending.split("\n")
                for line in lines:
                    if line:
                        self.samples.append(json.loads(line))

    def rate(self, address, end, window=0.1):
        """Bytes per second received over ADDRESS in the WINDOW seconds before END."""
        total = sum(s["rx"].get(address, 0) for s in self.samples if "rx" in s and end - window < s["t"] <= end)
        return total / window

    def wait_until(self, condition, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read_samples(time.monotonic() + 0.05)
            if condition():
                return True
        return False

    def both_paths_busy(self):
        now = time.monotonic()
        return self.rate(CA, now, 0.5) > 400_000 and self.rate(CB, now, 0.5) > 800_000

    def server_has_path_b(self):
        out = sh("ss", "-N", self.server, "-Htn", "state", "established", "dst", CB).stdout
        return bool(out.strip())

    def break_path_b(self, kind, broken, link="b"):
        """Breaks path b (or LINK) as KIND says (BROKEN), or mends it."""
        dev, address = f"c{link}", CB if link == "b" else CA
        if kind == "linkdown":
            sh("ip", "-n", self.client, "link", "set", dev, "down" if broken else "up")
        elif kind == "address":
            sh("ip", "-n", self.client, "address", "del" if broken else "add", f"{address}/24", "dev", dev)
        else:
            for chain, way in (("INPUT", "-i"), ("OUTPUT", "-o")):
                sh("ip", "netns", "exec", self.client, "iptables", "-w", "-I" if broken else "-D", chain, way, dev, "-j", "DROP")

    def fail(self, kind, seconds):
        """Fails path b as KIND says; returns the monotonic times it failed and came back."""
        if kind == "timeout":
            sh("ip", "netns", "exec", self.server, "sysctl", "-qw", "net.ipv4.tcp_retries2=6")
        failed = time.monotonic()
        self.break_path_b(kind, True)
        self.say(f"path b failed ({kind})")
        if kind == "timeout":
            # Until S's subflow over b timed out (and at most 120 s).
            self.wait_until(lambda: not self.server_has_path_b(), 120)
            self.say("S's subflow over b is gone")
        else:
            self.read_samples(failed + seconds)
        back = time.monotonic()
        self.break_path_b(kind, False)
        if kind == "timeout":
            sh("ip", "netns", "exec", self.server, "sysctl", "-qw", "net.ipv4.tcp_retries2=15")
        self.say("path b is back")
        return failed, back

    def one_failure(self, kind, seconds):
        """A fresh download, path b failed once: (recovery seconds or None, stall seconds),
        and sync's lines meanwhile."""
        self.start_download()
        try:
            if not self.wait_until(self.both_paths_busy, 20):
                now = time.monotonic()
                raise RuntimeError(f"the download never filled both paths: a {self.rate(CA, now, 0.5):.0f} B/s, "
                                   f"b {self.rate(CB, now, 0.5):.0f} B/s; {self.samples[-1:]}")
            return self.measure(kind, seconds)
        finally:
            self.stop_download()
            # The old connection's subflows gone before the next one starts.
            time.sleep(0.3)

    def repeated(self, kind, seconds, times):
        """One download, path b failed TIMES in a row (each once the download filled b
        again, or after 10 s without): the recoveries."""
        self.start_download()
        try:
            if not self.wait_until(self.both_paths_busy, 20):
                raise RuntimeError("the download never filled both paths")
            recoveries = []
            for _ in range(times):
                self.wait_until(self.both_paths_busy, 10)
                recoveries.append(self.measure(kind, seconds)[0])
            return recoveries
        finally:
            self.stop_download()
            time.sleep(0.3)

    def measure(self, kind, seconds):
        """Path b failed once under the running download: (recovery or None, stall, sync's lines)."""
        self.samples = self.samples[-100:]
        self.sync_output()
        failed, back = self.fail(kind, seconds)
        recovered = None

        def carried():
            nonlocal recovered
            for s in self.samples:
                if s["t"] > back and "rx" in s and self.rate(CB, s["t"]) > 100_000:
                    recovered = s["t"]
                    return True
            return False
        self.wait_until(carried, NEVER)
        self.read_samples(time.monotonic() + 0.5)
        end = (recovered or time.monotonic()) + 1
        stall = max((s.get("gap", 0) for s in self.samples if failed - 0.1 < s["t"] <= end), default=0)
        lines = self.sync_output()
        if recovered is None and self.samples:
            self.say(f"never: subflows at the end {self.samples[-1].get('subflows')}")
        self.say(f"recovery {'never' if recovered is None else f'{recovered - back:.2f} s'}, stall {stall:.2f} s")
        for line in lines:
            self.say(f"sync: {line}")
        return (None if recovered is None else recovered - back), stall, lines


def percentile(values, p):
    """The P-quantile (nearest rank) of VALUES; None (never) counts as the largest."""
    ordered = sorted(values, key=lambda v: float("inf") if v is None else v)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * (len(ordered) - 1)))))]


def summary(recoveries, stalls):
    """'p50 / p95' of the recoveries (never: beyond NEVER), and of the stalls."""
    def text(v):
        return f">{NEVER:.0f} (never)" if v is None else f"{v:.2f}"
    never = sum(v is None for v in recoveries)
    rec = f"{text(percentile(recoveries, 0.5))} / {text(percentile(recoveries, 0.95))}"
    if never:
        rec += f" ({never}/{len(recoveries)} never)"
    return rec, f"{percentile(stalls, 0.5):.2f} / {percentile(stalls, 0.95):.2f}"


KINDS = [("linkdown", 15, "link down 15 s"), ("address", 5, "address removed 5 s, added again"),
         ("blackhole", 20, "black hole 20 s"), ("blackhole", 60, "black hole 60 s"),
         ("timeout", 0, "black hole until S's subflow times out (tcp_retries2=6)")]


def cell(recipe, kind, seconds, runs, mode, repeated=False):
    """One cell of the table, run by this script in a lab of its own (a child process):
    the recoveries and stalls of its RUNS failures."""
    argv = [sys.executable, os.path.abspath(__file__), "--recipe", recipe, "--kind", kind, "--seconds", str(seconds),
            "--runs", str(runs), "--mode", mode, "--json"] + (["--repeated"] if repeated else [])
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not results:
        raise RuntimeError(f"heal: {recipe} {mode} {kind} {seconds:g}s failed (exit {done.returncode}): {done.stderr.strip()[-400:]}")
    return [r["recovery"] for r in results], [r["stall"] for r in results]


def rows(recipes=("subflow", "address"), modes=("heal", "noheal"), runs=10, kinds=KINDS, parallel=1):
    """The bench's table: for each recipe and failure kind, recovery and stall p50/p95
    over RUNS failures, each mode side by side. Every cell runs in a lab of its own,
    PARALLEL cells at a time (the links are shaped to a few Mbit/s: a lab keeps a core
    a few per cent busy), each mode of a row at the same time as the other."""
    from concurrent.futures import ThreadPoolExecutor
    cells = [(recipe, kind, seconds, mode) for recipe in recipes for kind, seconds, _ in kinds for mode in modes]
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = {c: pool.submit(cell, c[0], c[1], c[2], runs, c[3]) for c in cells}
        repeats = {(recipe, mode): pool.submit(cell, recipe, "linkdown", 5, runs, mode, True)
                   for recipe in recipes for mode in modes}
        print(f"heal: path b of two (a 8 Mbit/s, b 16 Mbit/s) fails under a long download; {runs} failures per cell; "
              "recovery = path back -> > 100 kB/s over b again, stall = the application's longest wait (p50 / p95, s)")
        print(f"  {'recipe':<8} {'failure':<58} " + "  ".join(f"{m + ' recovery':<32} {m + ' stall':<14}" for m in modes))
        for recipe in recipes:
            for kind, seconds, label in kinds:
                row = [summary(*futures[(recipe, kind, seconds, mode)].result()) for mode in modes]
                print(f"  {recipe:<8} {label:<58} " + "  ".join(f"{r:<32} {s:<14}" for r, s in row), flush=True)
        print()
        # One connection through failure after failure: a slot the kernel keeps (the
        # address recipe's add_addr_accepted, 2 here) shows as a path healed once, then never.
        for recipe in recipes:
            row = []
            for mode in modes:
                recoveries, _ = repeats[(recipe, mode)].result()
                healed = sum(r is not None and r <= NEVER for r in recoveries)
                row.append(f"{mode}: healed {healed}/{len(recoveries)}, recovery p50 / p95 "
                           f"{summary(recoveries, [0])[0]}")
            print(f"  {recipe:<8} one connection, link down 5 s {runs} times in a row: " + "; ".join(row), flush=True)
        print()


def main():
    parser = argparse.ArgumentParser(description="the heal lab: one recipe, one failure kind, RUNS times")
    parser.add_argument("--recipe", default="subflow", choices=["subflow", "address"])
    parser.add_argument("--kind", default="linkdown", choices=["linkdown", "address", "blackhole", "timeout"])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--mode", default="heal", choices=["heal", "noheal", "kernel"])
    parser.add_argument("--repeated", action="store_true", help="one connection, failed RUNS times in a row")
    parser.add_argument("--json", action="store_true", help="a JSON object a failure (the bench's cells)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("heal: needs root (it creates network namespaces)")
    lab = Lab(args.verbose)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        lab.configure(args.recipe, args.mode)
        time.sleep(0.5)
        if args.repeated:
            recoveries = lab.repeated(args.kind, args.seconds, args.runs)
            stalls = [0.0] * len(recoveries)
        else:
            recoveries, stalls = [], []
            for _ in range(args.runs):
                recovery, stall, _ = lab.one_failure(args.kind, args.seconds)
                recoveries.append(recovery)
                stalls.append(stall)
                if not args.json:
                    print(f"{args.recipe} {args.mode} {args.kind} {args.seconds:g}s: recovery "
                          f"{'never' if recovery is None else f'{recovery:.2f} s'}, stall {stall:.2f} s", flush=True)
        if args.json:
            for recovery, stall in zip(recoveries, stalls):
                print(json.dumps({"recovery": recovery, "stall": stall}), flush=True)
        elif args.runs > 1:
            print("p50 / p95: recovery %s, stall %s" % summary(recoveries, stalls))
    finally:
        lab.close()


if __name__ == "__main__":
    main()
