#!/usr/bin/env bash
# apply vs. one `ip -n NS mptcp …` call per change: 100 namespaces x 8 endpoints + limits,
# applied to empty namespaces. Prints the median of RUNS rounds for each side and the
# ratio, and the median of a second apply (no changes). Needs root.
#   Benchmarks/apply-bench.sh [MPTCPCTL]   (default .build/release/mptcpctl)
#   env: NAMESPACES (100), RUNS (5)
set -euo pipefail

MPTCPCTL=${1:-${MPTCPCTL:-.build/release/mptcpctl}}
NAMESPACES=${NAMESPACES:-100}
RUNS=${RUNS:-5}
PREFIX="mptcpbench-$$-$RANDOM"
WORK=$(mktemp -d)

[ "$(id -u)" = 0 ] || { echo "apply-bench: needs root (it creates network namespaces)" >&2; exit 1; }
[ -x "$MPTCPCTL" ] || { echo "apply-bench: no $MPTCPCTL; run 'make build' first" >&2; exit 1; }

cleanup() {
    for i in $(seq 1 "$NAMESPACES"); do ip netns delete "$PREFIX-$i" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The endpoints of every namespace: address, id, flags (words both tools know).
ENDPOINTS=(
    "10.0.1.1 1 subflow" "10.0.1.2 2 subflow backup" "10.0.1.3 3 signal" "10.0.1.4 4 signal backup"
    "10.0.1.5 5 subflow fullmesh" "10.0.1.6 6 subflow" "2001:db8::7 7 subflow" "2001:db8::8 8 signal"
)

{
    echo "namespaces:"
    for i in $(seq 1 "$NAMESPACES"); do
        echo "  $PREFIX-$i:"
        echo "    limits: {subflows: 8, add_addr_accepted: 8}"
        echo "    endpoints:"
        for e in "${ENDPOINTS[@]}"; do
            read -r address id flags <<<"$e"
            echo "      - {address: \"$address\", id: $id, flags: [${flags// /, }]}"
        done
    done
} >"$WORK/state.yaml"

{
    echo "set -e"
    for i in $(seq 1 "$NAMESPACES"); do
        for e in "${ENDPOINTS[@]}"; do
            read -r address id flags <<<"$e"
            echo "ip -n $PREFIX-$i mptcp endpoint add $address id $id $flags"
        done
        echo "ip -n $PREFIX-$i mptcp limits set subflows 8 add_addr_accepted 8"
    done
} >"$WORK/ip.sh"

# Back to empty namespaces between rounds (not timed).
for i in $(seq 1 "$NAMESPACES"); do
    echo "-n $PREFIX-$i endpoint flush"
    echo "-n $PREFIX-$i limits set subflows 2 add_addr_accepted 0"
done >"$WORK/reset.batch"

for i in $(seq 1 "$NAMESPACES"); do ip netns add "$PREFIX-$i"; done

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

apply_ms=() again_ms=() ip_ms=()
for round in $(seq 1 "$RUNS"); do
    "$MPTCPCTL" -b "$WORK/reset.batch"
    t0=$(now); "$MPTCPCTL" apply "$WORK/state.yaml" >/dev/null; t1=$(now)
    apply_ms+=("$(ms "$t0" "$t1")")
    t0=$(now); "$MPTCPCTL" apply "$WORK/state.yaml" >"$WORK/again.out"; t1=$(now)
    again_ms+=("$(ms "$t0" "$t1")")
    if grep -qv ': no changes$' "$WORK/again.out"; then echo "apply-bench: second apply was not a no-op" >&2; exit 1; fi

    "$MPTCPCTL" -b "$WORK/reset.batch"
    t0=$(now); bash "$WORK/ip.sh"; t1=$(now)
    ip_ms+=("$(ms "$t0" "$t1")")
    # Both sides must have built the same state.
    "$MPTCPCTL" apply --dry-run "$WORK/state.yaml" >/dev/null 2>&1 || { echo "apply-bench: ip side differs from the file" >&2; exit 1; }
done

changes=$(( NAMESPACES * (${#ENDPOINTS[@]} + 1) ))
a=$(median "${apply_ms[@]}") g=$(median "${again_ms[@]}") s=$(median "${ip_ms[@]}")
echo "apply-bench: $NAMESPACES namespaces x ${#ENDPOINTS[@]} endpoints + limits ($changes changes), median of $RUNS rounds"
echo "  mptcpctl apply (empty namespaces)   ${a} ms"
echo "  mptcpctl apply again (no changes)   ${g} ms"
echo "  ip, one call per change             ${s} ms"
echo "  ratio ip / apply                    $(awk -v s="$s" -v a="$a" 'BEGIN { printf "%.1f", (a > 0 ? s / a : 0) }')x"
