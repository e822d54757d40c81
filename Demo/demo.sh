#!/usr/bin/env bash
# make demo: the seed's use case of the `address` endpoint, live.
#
# A client C and a server S in two throwaway network namespaces, joined by three veth
# links a, b, c:  C(x) = 10.0.N.1 -- S(x) = 10.0.N.2  (a: N=1, b: N=2, c: N=3).
# S announces S(b) and S(c) (signal endpoints). The client routes everything toward S
# over link a (host routes 10.0.2.2/32 and 10.0.3.2/32 via S(a)), so without help every
# subflow leaves from C(a). With `address` endpoints C(b) dev cb and C(c) dev cc, each
# announced address is reached from one address endpoint, used once: C(b)-S(b), C(c)-S(c).
# Everything is configured with mptcpctl; the subflows are read from `mptcpctl monitor -j`.
#
# Usage: Demo/demo.sh [BINDIR]   (default .build/release; needs root)
set -euo pipefail

bindir=${1:-"$(cd "$(dirname "$0")/.." && pwd)/.build/release"}
mptcpctl=$bindir/mptcpctl
peer=$bindir/mptcp-peer
for program in "$mptcpctl" "$peer"; do
    [ -x "$program" ] || { echo "demo: $program is missing: run 'make demo'" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "demo: needs root (it creates network namespaces)" >&2; exit 1; }

client=mptcpctl-demo-$$-client
server=mptcpctl-demo-$$-server
port=8080
work=$(mktemp -d)
cleanup() {
    trap - EXIT INT TERM
    jobs -p | xargs -r kill 2>/dev/null || true
    ip netns delete "$client" 2>/dev/null || true
    ip netns delete "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

C() { echo "10.0.$1.1"; }   # C(link number)
S() { echo "10.0.$1.2"; }
declare -A name=()
for n in 1 2 3; do
    letter=$(printf "\\x$(printf %x $((96 + n)))")
    name[$(C $n)]="C($letter)"
    name[$(S $n)]="S($letter)"
done

# `mptcpctl -n NS …`, shown as typed, its output indented.
tool() {
    local ns=$1; shift
    echo "  \$ mptcpctl -n $ns $*"
    "$mptcpctl" -n "$ns" "$@" | sed 's/^/    /'
}

# The topology: namespaces and links, with `ip` (mptcpctl does not make interfaces).
ip netns add "$client"
ip netns add "$server"
ip -n "$client" link set lo up
ip -n "$server" link set lo up
for n in 1 2 3; do
    letter=$(printf "\\x$(printf %x $((96 + n)))")
    ip link add "c$letter" netns "$client" type veth peer name "s$letter" netns "$server"
    ip -n "$client" address add "$(C $n)/24" dev "c$letter"
    ip -n "$server" address add "$(S $n)/24" dev "s$letter"
    ip -n "$client" link set "c$letter" up
    ip -n "$server" link set "s$letter" up
done
# Routing alone would send everything toward S over link a, from C(a).
ip -n "$client" route add "$(S 2)/32" via "$(S 1)" dev ca
ip -n "$client" route add "$(S 3)/32" via "$(S 1)" dev ca

# The string value of KEY in one NDJSON line of `mptcpctl monitor -j`.
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" <<<"$2"; }

# One MPTCP connection C(a) -> S(a) with a transfer; prints its subflows as a table.
transfer() {
    local expected=$1 events=$work/events
    ip netns exec "$server" "$peer" server 0.0.0.0 $port >"$work/server" 2>&1 &
    local server_pid=$!
    until grep -q listening "$work/server" 2>/dev/null; do sleep 0.05; done
    "$mptcpctl" -n "$client" -j monitor --event established --event sub_established \
        --count "$expected" --timeout 10 >"$events" 2>"$work/monitor" &
    local monitor_pid=$!
    until grep -q listening "$work/monitor" 2>/dev/null; do sleep 0.05; done
    ip netns exec "$client" "$peer" client "$(S 1)" $port --bytes 1000000 --hold 500
    wait "$monitor_pid" || { echo "demo: the subflows did not come:" >&2; cat "$work/monitor" >&2; exit 1; }
    wait "$server_pid"
    echo "  C(a) -> S(a) port $port, 1 MB; the subflows, from 'mptcpctl -n $client monitor -j':"
    printf '  %-9s  %-8s    %-8s  %s\n' SUBFLOW LOCAL REMOTE LINK
    local line saddr daddr dev
    while read -r line; do
        saddr=$(field saddr "$line")
        daddr=$(field daddr "$line")
        # A subflow bound to an interface says so in its event; the others leave where
        # the route from their source address leads.
        dev=$(field dev "$line")
        [ -n "$dev" ] || dev=$(ip -n "$client" -o route get "$daddr" from "$saddr" | sed -n 's/.* dev \([^ ]*\).*/\1/p')
        printf '  %s  %-8s -> %-8s  %s\n' "${name[$saddr]}–${name[$daddr]}" "$saddr" "$daddr" "${dev:1}"
    done <"$events"
}

echo "client C ($client) and server S ($server), joined by links a, b, c:"
for n in 1 2 3; do echo "  ${name[$(C $n)]} $(C $n) --- ${name[$(S $n)]} $(S $n)"; done
echo "the client routes S(b) and S(c) via S(a) over link a"
echo
echo "server: announce S(b) and S(c), accept two extra subflows"
tool "$server" endpoint add "$(S 2)" signal
tool "$server" endpoint add "$(S 3)" signal
tool "$server" limits set subflows 2 add_addr_accepted 2
echo "client: accept two announced addresses, two extra subflows"
tool "$client" limits set subflows 2 add_addr_accepted 2
echo
echo "1. No address endpoint: the source is what routing picks (C(a), link a)"
transfer 3
echo
echo "2. Address endpoints C(b) and C(c): each announced address gets its own"
tool "$client" endpoint add "$(C 2)" dev cb address
tool "$client" endpoint add "$(C 3)" dev cc address
transfer 3
