#!/usr/bin/env bash
# Runs inside the guest that test-kernels.sh boots (virtme-ng's init runs it as root, in the
# repository, on a read-only view of the host's root file system with throwaway overlays):
# the kernel tests, from the test binary the host built, never rebuilt here.
#   guest.sh OUT REPO BUNDLE FILTER MINUTES [MPTCPCTL]
# OUT is the host folder shared read-write with the guest: it gets `release` (uname -r),
# `test.log` (the test run's output) and `status` (its exit status), which the host reads.
# BUNDLE is the test binary (the host's copy of .build/debug's executables); MPTCPCTL, when
# given, the mptcpctl the tests run instead of the one beside it.
out=$1 repo=$2 bundle=$3 filter=$4 minutes=$5 tool=${6:-}

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/mptcpctl-home LANG=C.UTF-8
# The guest is emulated (TCG), many times slower than the host: the tests' waits for a
# program to be ready or a subflow to come may last this many times longer.
export MPTCPCTL_TEST_PATIENCE=${MPTCPCTL_TEST_PATIENCE:-6}
mkdir -p "$HOME"
if [ -n "$tool" ]; then export MPTCPCTL=$tool; else unset MPTCPCTL; fi
uname -r >"$out/release"

{
    echo "guest: kernel $(uname -r), $(nproc) CPU(s), $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB, hostname $(hostname)"
    # Debian builds veth and tbf as modules (the kernel would load them on demand too);
    # MPTCP itself is built in.
    for module in veth sch_tbf; do
        modprobe -q "$module" || echo "guest: modprobe $module failed"
    done
    if [ ! -d /proc/sys/net/mptcp ]; then echo "guest: this kernel has no /proc/sys/net/mptcp"; fi
    if ! ip netns add mptcpctl-guest-check || ! ip netns delete mptcpctl-guest-check; then
        echo "guest: ip netns does not work here"
    fi
    cd "$repo" || exit 1
    echo "guest: $bundle --testing-library swift-testing --no-parallel --filter $filter"
    # Swift Testing's own entry point, as `swift test --skip-build` calls it (without
    # SwiftPM, which would load the manifest and want to write its caches).
    timeout --kill-after=30 "${minutes}m" "$bundle" --testing-library swift-testing --no-parallel --filter "$filter" </dev/null
    status=$?
    if [ "$status" = 124 ]; then echo "guest: the tests did not finish within $minutes minutes"; fi
    echo "guest: exit status $status"
    echo "$status" >"$out/status"
} >"$out/test.log" 2>&1
sync
