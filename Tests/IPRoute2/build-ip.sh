#!/usr/bin/env bash
# iproute2 7.1's `ip`: the judge of `mptcpctl --format ip monitor` (IPMonitorKernelTests runs
# its `ip mptcp monitor` and `ip -j mptcp monitor` beside mptcpctl's). Debian 12's own `ip` is
# 6.1, which has neither the JSON monitor nor `dev=`.
#
# Built once into a cache and never installed: the system's `ip` is untouched. The source is
# Debian's archive copy of the upstream release tarball, pool/main/i/iproute2/
# iproute2_7.1.0.orig.tar.xz, on the mirror of the host's bookworm entry in
# /etc/apt/sources.list.d/debian.sources (the mirror `make test-kernels` takes sid from),
# checked against the SHA-256 below. (Sid's source package, which `apt-get source` would
# fetch, is 7.3.0-1 in sid's Sources index, but the mirror serves none of its files; the 7.1.0
# tarball's contents are those of iproute2's git tag v7.1.0, file for file.) Only `lib` and
# `ip` are built, with what `make deps` already installs (a C compiler, make, pkg-config): the
# optional libraries iproute2's configure looks for (libmnl, libcap, libbpf, libelf, SELinux)
# change nothing `ip mptcp monitor` prints, so none is installed.
#
#   Tests/IPRoute2/build-ip.sh      (or `make iproute2`; `make test` runs it)
#
# Prints the path of the `ip` it built, or found built, on standard output (progress on
# standard error), and exits 0. Exits 1, saying why, when it cannot download, verify or
# build it: a test that needs it must fail then, never skip.
#
# IPROUTE2_CACHE=/srv/mptcpctl-iproute2   where `ip` is kept (IPROUTE2_CACHE/7.1.0/ip)
set -euo pipefail

version=7.1.0
sha256=fd9fa1b95809417157ca83dd72957e3261bdbce896353cb936f80af0b33a4b5c
cache=${IPROUTE2_CACHE:-/srv/mptcpctl-iproute2}
ip=$cache/$version/ip

say() { echo "build-ip: $*" >&2; }
die() { echo "build-ip: $*" >&2; exit 1; }

built() { [ -x "$ip" ] && [ "$("$ip" -V 2>/dev/null)" = "ip utility, iproute2-$version" ]; }

# Quick, and writes nothing, when it is there (the kernels' guests see the host's cache
# read only).
if built; then echo "$ip"; exit 0; fi

mkdir -p "$cache" || die "cannot create $cache"
exec 9>"$cache/.lock"
flock 9   # one build at a time; another run's build is waited for, then used
if built; then echo "$ip"; exit 0; fi

for tool in cc make pkg-config curl sha256sum tar xz; do
    command -v "$tool" >/dev/null || die "needs $tool (make deps installs what the tests need)"
done
mirror=$(awk 'BEGIN { RS = ""; FS = "\n" }
    /(^|\n)Suites:([^\n]* )?bookworm( |\n|$)/ {
        for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, u, " "); print u[1]; exit }
    }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
[ -n "$mirror" ] || die "no entry with suite bookworm in /etc/apt/sources.list.d/debian.sources: no Debian mirror"
url=${mirror%/}/pool/main/i/iproute2/iproute2_$version.orig.tar.xz

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
started=$SECONDS
say "downloading $url"
curl -fsSL --retry 3 -o "$work/source.tar.xz" "$url" || die "could not download $url"
echo "$sha256  $work/source.tar.xz" | sha256sum -c --quiet - >/dev/null 2>&1 \
    || die "$url is not iproute2 $version: its SHA-256 is $(sha256sum "$work/source.tar.xz" | cut -d' ' -f1), not $sha256"
tar -xJf "$work/source.tar.xz" -C "$work"
source=$work/iproute2-$version
[ -d "$source" ] || die "the tarball has no iproute2-$version folder"
say "building ip (log: $cache/build.log)"
if ! (cd "$source" && ./configure && make -j"$(nproc)" SUBDIRS="lib ip") >"$cache/build.log" 2>&1; then
    tail -n 20 "$cache/build.log" >&2
    die "the build failed: $cache/build.log"
fi
mkdir -p "$cache/$version"
install -m 0755 "$source/ip/ip" "$ip.new"
mv "$ip.new" "$ip"
built || die "$ip does not say it is iproute2 $version"
say "iproute2 $version's ip built in $((SECONDS - started)) s: $ip"
echo "$ip"
