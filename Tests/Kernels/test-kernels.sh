#!/usr/bin/env bash
# The kernel tests (Tests/KernelTests) on other kernels than the running one: each kernel of
# kernels.conf is booted under qemu (TCG) by virtme-ng on this machine's own root file
# system, and runs the test binary that `make test` built (never rebuilt in the guest).
# The kernels come from Debian's packages: downloaded with apt-get download, unpacked with
# dpkg-deb -x into the cache, never installed. Needs root. README.md beside this file.
#
#   Tests/Kernels/test-kernels.sh            (or `make test-kernels`)
#
# KERNELS="6.1 7.2"   the kernels to run, by their name in kernels.conf (default: all)
# FILTER=Endpoint     the tests to run: Swift Testing's --filter (default KernelTests)
# JOBS=3              guests of this run booted at once (default 3: all of them)
# SLOTS=3             guests on this machine at once, of all runs together
# CPUS=1 MEMORY=4G    each guest's vCPUs and memory
# MINUTES=40          the longest a guest's test run may take
# MPTCPCTL=FILE       the mptcpctl the tests run (with the mptcpctl-apply beside it), e.g.
#                     the static release build, which starts several times faster in an
#                     emulated guest than the debug one (default: the one beside the tests)
# CACHE=/srv/mptcpctl-kernels   virtme-ng's virtual environment, the private sid apt
#                     configuration and the unpacked kernels, kept between runs
# LOGDIR=/tmp/mptcpctl-kernels  where each guest's log goes: RELEASE.log (the tests) and
#                     RELEASE.console.log (the boot)
# SID_KEYRING=FILE    the keyring that verifies sid (default: the host's Debian keyring)
#
# Prints one line per kernel, `kernel RELEASE: N passed, M failed` (`, K skipped` when K > 0),
# the log's path, and the failed tests' names. Exits 1 when a kernel has a failed or skipped
# test, or gave no result (did not boot, timed out, crashed).
set -uo pipefail
{ # read whole before it runs: a checkout that changes this file mid-run does not change the run

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=${REPO:-$(cd "$here/../.." && pwd)}
conf=$here/kernels.conf
FILTER=${FILTER:-KernelTests}
JOBS=${JOBS:-3}
SLOTS=${SLOTS:-3}
CPUS=${CPUS:-1}
MEMORY=${MEMORY:-4G}
MINUTES=${MINUTES:-40}
MPTCPCTL=${MPTCPCTL:-}
CACHE=${CACHE:-/srv/mptcpctl-kernels}
LOGDIR=${LOGDIR:-/tmp/mptcpctl-kernels}
SID_KEYRING=${SID_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
VNG_VERSION=1.42   # virtme-ng from PyPI; a new version is taken on purpose, not by chance

say() { echo "test-kernels: $*"; }
die() { echo "test-kernels: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "needs root (apt, and network namespaces in the guests)"
all=$(awk '!/^#/ && NF { print $1 }' "$conf" | xargs)
KERNELS=${KERNELS:-$all}
for name in $KERNELS; do
    awk -v n="$name" '!/^#/ && $1 == n { found = 1 } END { exit !found }' "$conf" \
        || die "no kernel '$name' in $conf (there are: $all)"
done

bundle=$(ls -d "$repo"/.build/debug/*PackageTests.xctest 2>/dev/null | head -n 1)
[ -n "$bundle" ] || die "no test binary in $repo/.build/debug: run 'make test' (or 'swift build --build-tests') first"
newer=$(find "$repo/Sources" "$repo/Tests" -name '*.swift' -newer "$bundle" 2>/dev/null | head -n 1)
[ -z "$newer" ] || say "warning: $newer is newer than the test binary: run 'swift build --build-tests' to test it"

# apt, retried while another apt or dpkg holds its lock (a `make deps` elsewhere, say).
apt_get() {
    local try output
    for try in $(seq 60); do
        if output=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@" 2>&1); then
            return 0
        fi
        if ! echo "$output" | grep -qiE 'could not get lock|unable to (acquire|lock)'; then
            echo "$output" >&2
            return 1
        fi
        [ "$try" != 1 ] || say "apt is locked by another process: waiting"
        sleep 10
    done
    echo "$output" >&2
    return 1
}

# --- what the host needs: quick when it is there -------------------------------------------
mkdir -p "$CACHE" "$LOGDIR"
# Runs share the cache (a shared lock on $CACHE/.lock); one that must change it (install
# virtme-ng, add a kernel, remove an older one) waits until it is alone (exclusive).
exec 9>"$CACHE/.lock"
flock -s 9
exclusive=
exclusive() {
    [ -z "$exclusive" ] || return 0
    if ! flock -n 9; then
        say "waiting for the other make test-kernels runs to finish: $CACHE changes"
        flock 9
    fi
    exclusive=1
}

missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v depmod >/dev/null || [ -x /usr/sbin/depmod ] || [ -x /sbin/depmod ] || missing+=(kmod)
command -v busybox >/dev/null || missing+=(busybox-static)   # virtme-ng's initramfs
command -v file >/dev/null || missing+=(file)                  # virtme-ng reads the release with it
command -v dpkg-deb >/dev/null || missing+=(dpkg)
/usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
apt_get update -qq || say "warning: apt-get update failed: using the package lists as they are"
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt_get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
fi
export PATH="$CACHE/venv/bin:$PATH:/usr/sbin:/sbin"   # vng calls virtme-run by name
if [ "$(vng --version 2>/dev/null)" != "virtme-ng $VNG_VERSION" ] && exclusive \
    && [ "$(vng --version 2>/dev/null)" != "virtme-ng $VNG_VERSION" ]; then
    say "installing virtme-ng $VNG_VERSION into $CACHE/venv"
    rm -rf "$CACHE/venv"
    /usr/bin/python3 -m venv "$CACHE/venv" && "$CACHE/venv/bin/pip" install -q --disable-pip-version-check "virtme-ng==$VNG_VERSION" \
        || die "could not install virtme-ng $VNG_VERSION"
fi

# --- Debian unstable through an apt configuration of its own --------------------------------
# The mirror is the host's own Debian one: the URIs of the entry of
# /etc/apt/sources.list.d/debian.sources whose suites include bookworm.
sid=$CACHE/apt-sid
sid_apt=(-o "Dir::Etc::SourceList=$sid/sid.sources" -o Dir::Etc::SourceParts=/dev/null
         -o "Dir::State::Lists=$sid/lists" -o "Dir::Cache=$sid/cache")
sid_ready=
prepare_sid() {
    [ -z "$sid_ready" ] || return 0
    local uris
    uris=$(awk 'BEGIN { RS = ""; FS = "\n" }
        /(^|\n)Suites:([^\n]* )?bookworm( |\n|$)/ {
            for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); print $i; exit }
        }' /etc/apt/sources.list.d/debian.sources 2>/dev/null)
    [ -n "$uris" ] || die "no entry with suite bookworm in /etc/apt/sources.list.d/debian.sources: no mirror for sid"
    mkdir -p "$sid/lists/partial" "$sid/cache/archives/partial"
    printf 'Types: deb\nURIs: %s\nSuites: sid\nComponents: main\nSigned-By: %s\n' "$uris" "$SID_KEYRING" >"$sid/sid.sources.$$"
    mv "$sid/sid.sources.$$" "$sid/sid.sources"
    apt_get "${sid_apt[@]}" update -qq || die "apt-get update of sid failed (is sid signed by a key of $SID_KEYRING? set SID_KEYRING)"
    sid_ready=1
}

# The newest package matching a pattern, and the version apt offers of it.
resolve() { # SUITE PATTERN -> "PACKAGE VERSION"
    local opts=() package version
    [ "$1" = host ] || opts=("${sid_apt[@]}")
    package=$(apt-cache "${opts[@]}" search --names-only "$2" | awk '{ print $1 }' | sort -V | tail -n 1)
    [ -n "$package" ] || return 1
    version=$(apt-cache "${opts[@]}" show --no-all-versions "$package" | awk '/^Version:/ { print $2; exit }')
    echo "$package $version"
}

# --- each kernel: downloaded and unpacked once, kept in $CACHE/kernels/NAME -----------------
declare -A image release
for name in $KERNELS; do
    read -r suite pattern < <(awk -v n="$name" '!/^#/ && $1 == n { print $2, $3 }' "$conf")
    opts=()
    if [ "$suite" = sid ]; then prepare_sid; opts=("${sid_apt[@]}"); fi
    read -r package version < <(resolve "$suite" "$pattern") || die "$name: no package matches $pattern in $suite"
    packages=("$package")
    case $package in   # sid's split image: the modules, and modules.builtin and .order
        linux-binary-*) packages+=("linux-modules-${package#linux-binary-}" "linux-base-${package#linux-binary-}") ;;
    esac
    dir=$CACHE/kernels/$name/${package}_$version
    if [ ! -e "$dir/.unpacked" ] && exclusive && [ ! -e "$dir/.unpacked" ]; then
        say "$name: downloading ${packages[*]} $version"
        rm -rf "$dir" "$dir.tmp" "$CACHE/debs"
        mkdir -p "$dir.tmp" "$CACHE/debs"
        (cd "$CACHE/debs" && apt_get "${opts[@]}" -o APT::Sandbox::User=root download "${packages[@]}") \
            || die "$name: apt-get download ${packages[*]} failed"
        for deb in "$CACHE"/debs/*.deb; do
            dpkg-deb -x "$deb" "$dir.tmp" || die "$name: dpkg-deb -x $deb failed"
        done
        moddir=$(ls -d "$dir.tmp"/lib/modules/* "$dir.tmp"/usr/lib/modules/* 2>/dev/null | head -n 1)
        [ -n "$moddir" ] || die "$name: no lib/modules in ${packages[*]}"
        # virtme-ng finds the modules beside the image and links them into the guest's
        # /lib/modules; the packages ship no modules.dep (the postinst makes it).
        depmod -b "${moddir%/lib/modules/*}" "$(basename "$moddir")" || die "$name: depmod failed"
        rm -rf "$CACHE/debs"
        find "$CACHE/kernels/$name" -mindepth 1 -maxdepth 1 ! -name "$(basename "$dir").tmp" -exec rm -rf {} +   # older versions
        mv "$dir.tmp" "$dir" && touch "$dir/.unpacked"
    fi
    moddir=$(ls -d "$dir"/lib/modules/* "$dir"/usr/lib/modules/* 2>/dev/null | head -n 1)
    release[$name]=$(basename "$moddir")
    for candidate in "$dir/boot/vmlinuz-${release[$name]}" "$moddir/vmlinuz"; do
        [ ! -f "$candidate" ] || image[$name]=$candidate
    done
    [ -n "${image[$name]:-}" ] || die "$name: no vmlinuz in ${packages[*]}"
    say "$name: ${packages[*]} $version"
done
[ -z "$exclusive" ] || flock -s 9   # the guests run: the cache must stay as it is

# --- the guests ----------------------------------------------------------------------------
# In the cache, a folder only root can write, as every one above it: `enable` refuses a
# preload library that anyone else could replace (sshd's StrictModes, up to /), and
# LOGDIR is under /tmp, which all may write.
mkdir -p "$CACHE/runs"
chmod 755 "$CACHE/runs"
run=$(mktemp -d "$CACHE/runs/run.XXXXXX")
# Readable by all: `run --user nobody` loads the preload library from here as that user.
chmod 755 "$run"
# The guests run a copy of the test binary and the executables beside it (mptcpctl,
# mptcpctl-apply, mptcp-peer), so a rebuild during the run does not change what they run.
mkdir "$run/bin"
find "$(dirname "$(readlink -f "$bundle")")" -maxdepth 1 -type f -perm -u+x -exec cp {} "$run/bin/" \; \
    || die "could not copy the test binaries"
# run's preload library, beside the mptcpctl that runs (make test and make build put it there).
cp "$(dirname "$(readlink -f "$bundle")")/libmptcpwrap.so" "$run/bin/" || die "no libmptcpwrap.so beside the test binary: run 'make wrap'"
tool=
if [ -n "$MPTCPCTL" ]; then
    [ -x "$MPTCPCTL" ] && [ -x "$(dirname "$MPTCPCTL")/mptcpctl-apply" ] \
        || die "MPTCPCTL=$MPTCPCTL: no such program, or no mptcpctl-apply beside it (run 'make build')"
    mkdir "$run/tool"
    cp "$MPTCPCTL" "$(dirname "$MPTCPCTL")/mptcpctl-apply" "$(dirname "$MPTCPCTL")/libmptcpwrap.so" "$run/tool/" \
        || die "could not copy $MPTCPCTL, or no mptcpctl-apply and libmptcpwrap.so beside it (run 'make build')"
    # The tests find the test peer beside mptcpctl: the one beside it, or the tests' own.
    peer=$(dirname "$MPTCPCTL")/mptcp-peer
    [ -x "$peer" ] || peer=$run/bin/mptcp-peer
    cp "$peer" "$run/tool/" || die "could not copy $peer"
    tool=$run/tool/mptcpctl
    say "the tests run $MPTCPCTL (copied)"
fi
sessions=()   # each guest's session (setsid): bash, timeout (a process group of its own), vng, qemu
cleanup() {
    local sid pids
    for sid in "${sessions[@]}"; do
        pids=$(ps -o pid= -s "$sid" 2>/dev/null)
        [ -z "$pids" ] || kill $pids 2>/dev/null
    done
    local log
    for log in "$run"/*/test.log; do   # an interrupted run keeps what its guests printed
        [ -f "$log" ] || continue
        mv "$log" "$LOGDIR/$(basename "$(dirname "$log")").interrupted.log"
        say "interrupted: what ran is in $LOGDIR/$(basename "$(dirname "$log")").interrupted.log"
    done
    rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# At most SLOTS guests on this machine at once, whichever runs they belong to: each holds a
# lock on $CACHE/slot.N while it runs. More would share the cores so thinly that the tests'
# own time limits (an event within 5 s, say) fail.
boot() { # NAME: runs in a session of its own, writes $run/NAME/{release,test.log,status,seconds}
    local name=$1 out=$run/$1 start slot waited=
    while :; do
        for slot in $(seq 1 "$SLOTS"); do
            exec 8>"$CACHE/slot.$slot"
            if flock -n 8; then break 2; fi
        done
        [ -n "$waited" ] || echo "test-kernels: $name: waiting: the $SLOTS guest slots are taken by other runs"
        waited=1
        sleep 5
    done
    echo "test-kernels: $name: booting ${release[$name]} ($CPUS vCPU, $MEMORY) for --filter $FILTER"
    start=$(date +%s)
    timeout --kill-after=30 $((MINUTES * 60 + 300)) \
        vng --verbose --disable-kvm --force-9p --cpus "$CPUS" --memory "$MEMORY" --name "mptcpctl-${name//./-}" \
            --rwdir="$out" --overlay-rwdir="$repo" --cwd "$repo" -r "${image[$name]}" \
            --exec "$(printf '%q ' bash "$here/guest.sh" "$out" "$repo" "$run/bin/$(basename "$bundle")" "$FILTER" "$MINUTES" "$tool")" \
            </dev/null >"$run/$name.console.log" 2>&1
    echo $(($(date +%s) - start)) >"$out/seconds"
}

start=$(date +%s)
for name in $KERNELS; do
    while [ "$(jobs -pr | wc -l)" -ge "$JOBS" ]; do wait -n; done
    mkdir -p "$run/$name"
    setsid bash -c "$(declare -f boot); $(declare -p image release run repo here bundle tool CACHE SLOTS CPUS MEMORY MINUTES FILTER); boot $name" &
    sessions+=($!)
done
wait

# --- the results -----------------------------------------------------------------------------
passed_all=1
for name in $KERNELS; do
    out=$run/$name
    rel=$(cat "$out/release" 2>/dev/null)
    rel=${rel:-${release[$name]}}
    log=$LOGDIR/$rel.log console=$LOGDIR/$rel.console.log
    mv "$run/$name.console.log" "$console"
    seconds=$(cat "$out/seconds" 2>/dev/null || echo 0)
    took="$((seconds / 60))m$((seconds % 60))s"
    if [ ! -f "$out/test.log" ]; then
        passed_all=0
        echo "kernel $rel: NO RESULT: the guest did not boot or did not run the tests (after $took)"
        echo "  console: $console"
        tail -n 5 "$console" | sed 's/^/  | /'
        continue
    fi
    mv "$out/test.log" "$log"
    status=$(cat "$out/status" 2>/dev/null || echo none)
    # Swift Testing's per-test results; a parameterized test counts once.
    results=$(grep -E '^(✔|✘|➜) Test ' "$log" | grep -vE '^(✔|✘|➜) Test (run with|case) ')
    passed=$(grep -cE '^✔ Test .* passed after ' <<<"$results")
    failed=$(grep -cE '^✘ Test .* failed after ' <<<"$results")
    skipped=$(grep -cE '^➜ Test .* skipped' <<<"$results")
    line="kernel $rel: $passed passed, $failed failed"
    [ "$skipped" = 0 ] || line+=", $skipped skipped"
    noresult=
    if ! grep -qE '^(✔|✘) Test run with [0-9]+ tests?' "$log" || [ "$status" = none ] || { [ "$status" != 0 ] && [ "$failed" = 0 ]; }; then
        noresult=1
        line="kernel $rel: NO RESULT: the test run did not finish (exit status $status; $passed passed, $failed failed so far)"
    fi
    echo "$line"
    echo "  log: $log (boot: $console), $took"
    grep -E '^✘ Test .* failed after ' <<<"$results" | sed -E 's/^✘ Test (.*) failed after .*/  ✘ \1/'
    grep -E '^➜ Test .* skipped' <<<"$results" | sed -E 's/^➜ Test /  ➜ /'
    if [ -n "$noresult" ] || [ "$failed" != 0 ] || [ "$skipped" != 0 ] || [ "$passed" = 0 ] || [ "$status" != 0 ]; then
        passed_all=0
    fi
done
total=$(($(date +%s) - start))
say "$KERNELS in $((total / 60))m$((total % 60))s; logs in $LOGDIR"
[ "$passed_all" = 1 ]
exit
}
