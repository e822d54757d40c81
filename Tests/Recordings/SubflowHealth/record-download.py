#!/usr/bin/env python3
"""record-download.py: both ends' subflows' tcp_info (tcp_info.py beside this script, every
200 ms for 40 s) during a long DOWNLOAD, into download-blackhole-client.csv and
download-blackhole-server.csv beside it (as root; after `swift build`). The namespaces,
links and download are Benchmarks/heal.py's lab: links a (10.80.1.0/24, 8 Mbit/s) and b
(10.80.2.0/24, 16 Mbit/s) shaped with tbf both ways, the README's recipe set once (S
announces S(b), C answers from an `address` endpoint on cb), S sending without end. A
black hole (iptables DROP in and out on cb, in C) from 9 s to 24 s of the recording; no
sync: what the kernel does alone, the series PathUseTests replays."""
import os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
os.environ.setdefault("MPTCPCTL", os.path.join(ROOT, ".build/debug/mptcpctl"))
import heal  # noqa: E402

lab = heal.Lab()
try:
    lab.configure("address", "kernel")
    time.sleep(1)
    lab.start_download()
    if not lab.wait_until(lab.both_paths_busy, 20):
        sys.exit("record-download: the download never filled both paths")
    recorders = []
    for ns, side in ((lab.client, "client"), (lab.server, "server")):
        out = open(os.path.join(HERE, f"download-blackhole-{side}.csv"), "w")
        recorders.append(subprocess.Popen(["ip", "netns", "exec", ns, "python3", os.path.join(HERE, "tcp_info.py"), "0.2", "40"],
                                          stdout=out))
    time.sleep(9)
    lab.break_path_b("blackhole", True)
    time.sleep(15)
    lab.break_path_b("blackhole", False)
    for recorder in recorders:
        recorder.wait()
    lab.stop_download()
finally:
    lab.close()
