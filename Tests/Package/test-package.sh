#!/usr/bin/env bash
# `make test-package`: the Debian package on a fresh Debian 12, without a kernel of its own.
# A minimal bookworm root made by debootstrap (kept in $CACHE, made again when missing or
# older than MAX_AGE_DAYS days) is copied to a throw-away directory; in it, as root with
# chroot: apt installs the package (its Depends from the mirror), mptcpctl prints its
# version and its help (through mptcpctl-apply), adds and shows an endpoint inside
# `unshare -n` (a namespace of its own: this machine's endpoints are not touched) and runs
# a program with its preload library; apt purges it, and nothing of it may be left.
# Every check prints PASS or FAIL; the exit status is 1 when one failed or could not run.
set -euo pipefail
cd "$(dirname "$0")/../.."

deb=${DEB:?DEB: the package to test, from the Makefile}
version=${VERSION:?VERSION: the version the package must report}
suite=bookworm
cache=${CACHE:-/var/cache/mptcpctl-test-package}
max_age_days=${MAX_AGE_DAYS:-7}

fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || fail "make test-package needs root (debootstrap, chroot, unshare)"
[ -f "$deb" ] || fail "$deb is missing: run 'make deb'"
command -v debootstrap >/dev/null || fail "debootstrap is missing: 'make deps-package' installs it"

# The Debian mirror this machine's apt uses for bookworm (deb822 or one-line sources).
mirror() {
    local uri
    uri=$(awk -v suite="$suite" '
        /^URIs:/ { uris = $2 }
        /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) found = 1 }
        /^$/ { if (found && uris != "") { print uris; exit } found = 0; uris = "" }
        END { if (found && uris != "") print uris }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
    if [ -z "$uri" ]; then
        uri=$(sed -En "s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+$suite[[:space:]].*/\2/p" \
            /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

started=$SECONDS
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
base=$cache/$suite
if [ ! -f "$base.done" ] || [ -n "$(find "$base.done" -mtime "+$max_age_days")" ]; then
    url=$(mirror)
    echo "debootstrap: a minimal $suite root from $url into $base (cached for $max_age_days days)"
    rm -rf "$base.new" "$base.done"
    if ! debootstrap --variant=minbase "$suite" "$base.new" "$url" > "$cache/debootstrap.log" 2>&1; then
        tail -n 20 "$cache/debootstrap.log"
        fail "debootstrap $suite from $url (log in $cache/debootstrap.log)"
    fi
    cp /etc/resolv.conf "$base.new/etc/resolv.conf"
    # apt needs the package lists to resolve the package's Depends; debootstrap's own
    # downloads only make every copy slower.
    chroot "$base.new" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c 'apt-get update -qq && apt-get clean' \
        || fail "apt-get update in the $suite root"
    rm -rf "$base"
    mv "$base.new" "$base"
    touch "$base.done"
fi
# Others may copy the root at the same time; nobody makes it again meanwhile.
flock -s 9
run=$(mktemp -d /var/tmp/mptcpctl-test-package.XXXXXX)
root=$run/root
cleanup() {
    # Nothing is deleted while something is still mounted in the copy.
    umount "$root/proc" 2>/dev/null || umount -l "$root/proc" 2>/dev/null || true
    if grep -q " $run/" /proc/self/mounts; then
        echo "FAIL: still mounted under $run; left as it is" >&2
        exit 1
    else
        rm -rf "$run"
    fi
}
trap cleanup EXIT
cp -a "$base" "$root"
flock -u 9
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
echo "root: $suite from $base, copied to $root: ready after $((SECONDS - started)) s"

failed=0
pass() { echo "PASS: $*"; }
bad() { echo "FAIL: $*"; failed=1; }
inside() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
# Every path of the root but those apt, dpkg and the logs change by themselves, and /run
# (a tmpfs on a running system: the namespace locks mptcpctl takes are there).
tree() {
    inside find / -xdev \( -path /var/lib/apt -o -path /var/cache -o -path /var/log -o -path /var/lib/dpkg -o -path /tmp -o -path /run \) -prune \
        -o -print | LC_ALL=C sort
}

tree > "$run/before"
cp "$deb" "$root/tmp/"
if inside apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" > "$run/install.log" 2>&1; then
    pass "apt install ./$(basename "$deb") ($(inside dpkg-query -W -f='${Depends}' mptcpctl))"
else
    cat "$run/install.log"
    fail "apt install ./$(basename "$deb")"
fi
sed -n 's/^Setting up /  set up /p' "$run/install.log"

out=$(inside mptcpctl --version 2>&1) && [ "$out" = "mptcpctl $version" ] \
    && pass "mptcpctl --version: $out" || bad "mptcpctl --version: '$out', not 'mptcpctl $version'"
out=$(inside mptcpctl --help 2>&1) && grep -q '^USAGE: mptcpctl' <<<"$out" \
    && pass "mptcpctl --help (mptcpctl-apply): $(grep -m 1 '^USAGE' <<<"$out")" || bad "mptcpctl --help: $out"

# A namespace of its own for the endpoint: unshare -n, inside the root.
out=$(inside unshare -n sh -c 'mptcpctl endpoint add 10.0.2.1 dev lo subflow && mptcpctl endpoint show' 2>&1) \
    && grep -Eq '^1 +10\.0\.2\.1 +- +subflow +lo *$' <<<"$out" \
    && pass "endpoint add 10.0.2.1 dev lo subflow, endpoint show (unshare -n):" || bad "endpoint add and show (unshare -n):"
sed 's/^/  /' <<<"$out"
# The dynamic loader names a preload library it cannot load on stderr, which lands in $out.
out=$(inside unshare -n mptcpctl run -- sh -c 'echo "$LD_PRELOAD"' 2>&1) \
    && [ "$(inside realpath -e "$out" 2>/dev/null)" = /usr/lib/mptcpctl/libmptcpwrap.so ] \
    && pass "mptcpctl run: sh started with LD_PRELOAD=$out" || bad "mptcpctl run: $out"

enabled=$(find "$root/etc/systemd/system" -name 'mptcpctl*' 2>/dev/null || true)
[ -z "$enabled" ] && pass "no unit enabled: $(inside dpkg -L mptcpctl | grep -c '^/usr/lib/systemd/system/.') units installed" \
    || bad "units enabled by the package: $enabled"

# The admin enables sync and the timer as `systemctl enable` would (the root has no
# systemd); the purge must take the links away with the units.
mkdir -p "$root/etc/systemd/system/multi-user.target.wants" "$root/etc/systemd/system/timers.target.wants"
ln -s /usr/lib/systemd/system/mptcpctl-sync.service "$root/etc/systemd/system/multi-user.target.wants/"
ln -s /usr/lib/systemd/system/mptcpctl-metrics.timer "$root/etc/systemd/system/timers.target.wants/"

inside dpkg -L mptcpctl > "$run/files"
if inside apt-get purge -y -q mptcpctl > "$run/purge.log" 2>&1 \
    && inside apt-get autoremove --purge -y -q > "$run/autoremove.log" 2>&1; then
    pass "apt purge mptcpctl; apt autoremove --purge:$(sed -n 's/^Removing \([^ ]*\) .*/ \1/p' "$run/autoremove.log" | tr -d '\n')"
else
    cat "$run/purge.log" "$run/autoremove.log"
    fail "apt purge mptcpctl"
fi

# Each file the package had is gone; each of its directories too, unless another package
# owns it.
left=()
while read -r path; do
    [ "$path" != /. ] || continue
    [ -e "$root$path" ] || [ -L "$root$path" ] || continue
    if [ -d "$root$path" ] && [ ! -L "$root$path" ] && inside dpkg-query -S "$path" >/dev/null 2>&1; then continue; fi
    left+=("$path")
done < "$run/files"
[ "${#left[@]}" = 0 ] && pass "none of the package's $(wc -l < "$run/files") paths left (dpkg -L before the purge)" \
    || bad "left after the purge: ${left[*]}"
status=$(inside dpkg-query -W -f='${db:Status-Status}' mptcpctl 2>/dev/null || true)
[ -z "$status" ] || [ "$status" = not-installed ] && [ -z "$(ls "$root"/var/lib/dpkg/info/mptcpctl.* 2>/dev/null)" ] \
    && pass "dpkg knows mptcpctl no more" || bad "dpkg still has mptcpctl: $status $(ls "$root"/var/lib/dpkg/info/mptcpctl.* 2>/dev/null)"
tree > "$run/after"
new=$(LC_ALL=C comm -13 "$run/before" "$run/after")
[ -z "$new" ] && pass "the root has no path it did not have before the install (the links of the enabled units included)" \
    || bad "new since before the install: $new"

echo "test-package: $((SECONDS - started)) s"
if [ "$failed" != 0 ]; then
    echo "test-package FAILED"
    exit 1
fi
echo "test-package passed"
