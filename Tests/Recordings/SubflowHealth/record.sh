#!/bin/bash
# record.sh SCENARIO: records the client's subflows' tcp_info during SCENARIO into
# SCENARIO.csv beside this script (as root; after `swift build`). Two namespaces joined by
# veth links a (10.0.1.0/24, 8 Mbit/s) and b (10.0.2.0/24, 16 Mbit/s), both shaped with
# tbf; the server announces S(b), the client answers from an address endpoint on cb.
# Scenarios: upload-drop-output, upload-drop-input (a bulk upload, a DROP on b from 12 s
# to 32 s), upload-beside-backup, idle-drop-output (DROP from 10 s), trickle,
# peer-stops-reading (DROP from 12 s).
set -u
NAME=$1; HERE=$(cd "$(dirname "$0")" && pwd); B=$HERE/../../../.build/debug; M="$B/mptcpctl"; P="$B/mptcp-peer"
C=health-c$$; S=health-s$$
cleanup() { ip netns pids $C 2>/dev/null | xargs -r kill 2>/dev/null; ip netns pids $S 2>/dev/null | xargs -r kill 2>/dev/null; ip netns del $C; ip netns del $S; }
trap cleanup EXIT
ip netns add $C; ip netns add $S
for ns in $C $S; do ip -n $ns link set lo up; done
ip link add ca netns $C type veth peer name sa netns $S
ip link add cb netns $C type veth peer name sb netns $S
ip -n $C addr add 10.0.1.1/24 dev ca; ip -n $S addr add 10.0.1.2/24 dev sa
ip -n $C addr add 10.0.2.1/24 dev cb; ip -n $S addr add 10.0.2.2/24 dev sb
for d in ca cb; do ip -n $C link set $d up; done; for d in sa sb; do ip -n $S link set $d up; done
ip netns exec $C tc qdisc add dev ca root tbf rate 8mbit burst 32kb latency 200ms
ip netns exec $C tc qdisc add dev cb root tbf rate 16mbit burst 32kb latency 200ms
ip netns exec $S tc qdisc add dev sa root tbf rate 8mbit burst 32kb latency 200ms
ip netns exec $S tc qdisc add dev sb root tbf rate 16mbit burst 32kb latency 200ms
$M -n $S endpoint add 10.0.2.2 signal; $M -n $S limits set subflows 1 add_addr_accepted 1
$M -n $C limits set subflows 1 add_addr_accepted 1
BK=""; [ "$NAME" = upload-beside-backup ] && BK=backup
$M -n $C endpoint add 10.0.2.1 dev cb address $BK
sleep 1
OUT=$HERE/$NAME.csv
case $NAME in
upload-drop-output)
  ip netns exec $S $P server 0.0.0.0 8080 & sleep 0.5
  ip netns exec $C $P client 10.0.1.2 8080 --stream 45000 & sleep 0.5
  ip netns exec $C python3 $HERE/tcp_info.py 0.2 42 > $OUT &
  sleep 12; ip netns exec $C iptables -A OUTPUT -o cb -j DROP; sleep 20; ip netns exec $C iptables -D OUTPUT -o cb -j DROP; wait;;
upload-drop-input)
  ip netns exec $S $P server 0.0.0.0 8080 & sleep 0.5
  ip netns exec $C $P client 10.0.1.2 8080 --stream 45000 & sleep 0.5
  ip netns exec $C python3 $HERE/tcp_info.py 0.2 42 > $OUT &
  sleep 12; ip netns exec $C iptables -A INPUT -i cb -j DROP; sleep 20; ip netns exec $C iptables -D INPUT -i cb -j DROP; wait;;
upload-beside-backup)
  ip netns exec $S $P server 0.0.0.0 8080 & sleep 0.5
  ip netns exec $C $P client 10.0.1.2 8080 --stream 22000 & sleep 0.5
  ip netns exec $C python3 $HERE/tcp_info.py 0.2 20 > $OUT; wait;;
idle-drop-output)
  ip netns exec $S $P server 0.0.0.0 8080 & sleep 0.5
  ip netns exec $C $P client 10.0.1.2 8080 --bytes 20000 --hold 25000 & sleep 0.5
  ip netns exec $C python3 $HERE/tcp_info.py 0.2 22 > $OUT &
  sleep 10; ip netns exec $C iptables -A OUTPUT -o cb -j DROP; wait;;
trickle)
  ip netns exec $S $P server 0.0.0.0 8080 & sleep 0.5
  ip netns exec $C python3 $HERE/peer.py trickle 10.0.1.2 8080 32 10000 0.2 & sleep 0.5
  ip netns exec $C python3 $HERE/tcp_info.py 0.2 30 > $OUT; wait;;
peer-stops-reading)
  ip netns exec $S python3 $HERE/peer.py stuck 0.0.0.0 8080 30 & sleep 0.5
  ip netns exec $C $P client 10.0.1.2 8080 --stream 28000 & sleep 0.5
  ip netns exec $C python3 $HERE/tcp_info.py 0.2 20 > $OUT &
  sleep 12; ip netns exec $C iptables -A OUTPUT -o cb -j DROP; wait;;
esac
