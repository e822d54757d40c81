#!/usr/bin/env python3
# trickle client: python3 peer.py trickle ADDR PORT SECONDS BYTES PERIOD
# stuck server:   python3 peer.py stuck ADDR PORT SECONDS   (accepts, never reads)
import socket, sys, time
mode = sys.argv[1]
if mode == "trickle":
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); s.connect((sys.argv[2], int(sys.argv[3])))
    end = time.monotonic() + float(sys.argv[4]); chunk = b"m" * int(sys.argv[5])
    while time.monotonic() < end: s.sendall(chunk); time.sleep(float(sys.argv[6]))
    s.close()
elif mode == "stuck":
    l = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((sys.argv[2], int(sys.argv[3]))); l.listen(8); print("listening", flush=True)
    c, _ = l.accept(); time.sleep(float(sys.argv[4]))
