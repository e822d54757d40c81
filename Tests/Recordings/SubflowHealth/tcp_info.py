#!/usr/bin/env python3
# Samples the tcp_info of every MPTCP subflow of the namespace it runs in (sock_diag),
# every PERIOD seconds for SECONDS, as CSV on stdout.
import socket, struct, sys, time
PERIOD = float(sys.argv[1]); SECONDS = float(sys.argv[2])
FIELDS = [("tcpi_state",0,"B"),("tcpi_ca_state",1,"B"),("tcpi_retransmits",2,"B"),("tcpi_probes",3,"B"),("tcpi_backoff",4,"B"),
          ("tcpi_rto",8,"I"),("tcpi_unacked",24,"I"),("tcpi_lost",32,"I"),("tcpi_last_data_sent",44,"I"),
          ("tcpi_last_data_recv",52,"I"),("tcpi_last_ack_recv",56,"I"),("tcpi_rtt",68,"I"),("tcpi_snd_cwnd",80,"I"),
          ("tcpi_total_retrans",100,"I"),("tcpi_bytes_acked",120,"Q"),("tcpi_bytes_received",128,"Q"),
          ("tcpi_notsent_bytes",144,"I"),("tcpi_busy_time",168,"Q"),("tcpi_snd_wnd",228,"I"),("tcpi_total_rto",240,"H"),
          ("tcpi_total_rto_time",244,"I")]
def dump():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
    req = struct.pack("=BBBxI", socket.AF_INET, 6, 1 << 1, 0xFFF & ~(1 << 10)) + bytes(48)
    msg = struct.pack("=IHHII", 16 + len(req), 20, 0x301, 1, 0) + req
    s.send(msg); out = []; done = False
    while not done:
        data = s.recv(1 << 20); o = 0
        while o < len(data):
            ln, ty, fl, seq, pid = struct.unpack_from("=IHHII", data, o)
            if ty == 3: done = True; break
            p = data[o+16:o+ln]
            sport, dport = struct.unpack_from(">HH", p, 4)
            src = socket.inet_ntoa(p[8:12]); dst = socket.inet_ntoa(p[24:28]); a = 72; info = None; mptcp = False
            while a + 4 <= len(p):
                al, at = struct.unpack_from("=HH", p, a)
                if al < 4: break
                if at == 2: info = p[a+4:a+al]
                if (at & 0x7fff) == 19: mptcp = b"mptcp" in p[a+4:a+al]
                a += (al + 3) & ~3
            if mptcp and info: out.append((f"{src}:{sport}>{dst}:{dport}", info))
            o += (ln + 3) & ~3
    s.close(); return out
print("time_ms,subflow," + ",".join(f[0] for f in FIELDS)); start = time.monotonic()
while time.monotonic() - start < SECONDS:
    t = int((time.monotonic() - start) * 1000)
    for name, info in dump():
        vals = [str(struct.unpack_from("=" + f[2], info, f[1])[0]) if len(info) >= f[1] + struct.calcsize(f[2]) else "" for f in FIELDS]
        print(f"{t},{name}," + ",".join(vals))
    sys.stdout.flush(); time.sleep(PERIOD)
