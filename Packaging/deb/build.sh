#!/usr/bin/env bash
# `make deb`: dist/mptcpctl_VERSION_amd64.deb from the release build (`make build`), with
# dpkg-deb. VERSION comes from the Makefile, which reads CommandLineTool.version. The
# same tree gives the same package: every time stamp is the changelog's, the file order
# and owners are dpkg-deb's (sorted, root), gzip writes no name or time.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=${VERSION:?VERSION: the project version, from the Makefile}
here=Packaging/deb
release=.build/release
stage=dist/stage
deb=dist/mptcpctl_${version}_amd64.deb
umask 022

fail() { echo "make deb: $*" >&2; exit 1; }

# The package's version is the program's: the changelog's last entry must name it.
logged=$(dpkg-parsechangelog -l "$here/changelog" -S Version)
[ "$logged" = "$version" ] || fail "$here/changelog's last entry is $logged, mptcpctl is $version: add an entry for $version"
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$here/changelog" -S Timestamp)

for file in "$release/mptcpctl" "$release/mptcpctl-apply" "$release/libmptcpwrap.so"; do
    [ -f "$file" ] || fail "$file is missing: run 'make build'"
done

rm -rf "$stage" "$deb"
mkdir -p "$stage/DEBIAN"

# Where the programs look: mptcpctl-apply in ../libexec/mptcpctl and the preload library
# in ../lib/mptcpctl, from /usr/sbin (HelperHandOver, MPTCPPreload). Stripped as dh_strip
# does: the symbol tables and debug sections go, Swift's metadata stays.
install -D -m 0755 "$release/mptcpctl" "$stage/usr/sbin/mptcpctl"
install -D -m 0755 "$release/mptcpctl-apply" "$stage/usr/libexec/mptcpctl/mptcpctl-apply"
install -D -m 0644 "$release/libmptcpwrap.so" "$stage/usr/lib/mptcpctl/libmptcpwrap.so"
strip --remove-section=.comment --remove-section=.note "$stage/usr/sbin/mptcpctl" "$stage/usr/libexec/mptcpctl/mptcpctl-apply"
strip --remove-section=.comment --remove-section=.note --strip-unneeded "$stage/usr/lib/mptcpctl/libmptcpwrap.so"

install -D -m 0644 Docs/mptcpctl.8 "$stage/usr/share/man/man8/mptcpctl.8"
install -D -m 0644 Docs/completions/mptcpctl.bash "$stage/usr/share/bash-completion/completions/mptcpctl"
install -D -m 0644 Docs/completions/_mptcpctl "$stage/usr/share/zsh/vendor-completions/_mptcpctl"
install -D -m 0644 Docs/completions/mptcpctl.fish "$stage/usr/share/fish/vendor_completions.d/mptcpctl.fish"

# The units of `sync` and of the metrics timer, pointed at /usr/sbin; enabled by nobody.
units=$stage/usr/lib/systemd/system
mkdir -p "$units"
for unit in Docs/systemd/mptcpctl-sync.service Docs/systemd/mptcpctl-sync@.service \
    Integrations/prometheus/mptcpctl-metrics.service Integrations/prometheus/mptcpctl-metrics.timer; do
    sed 's|/usr/local/sbin/|/usr/sbin/|g' "$unit" > "$units/$(basename "$unit")"
    chmod 0644 "$units/$(basename "$unit")"
done
! grep -rq /usr/local "$units" || fail "a unit still names /usr/local"

# The README and the user's pages of Docs/, beside it as in the tree (the README's links
# are Docs/NAME.md); the contributors' pages stay out.
doc=$stage/usr/share/doc/mptcpctl
install -D -m 0644 README.md "$doc/README.md"
for page in guide exit-codes json monitor metrics apply sync run userspace kernels; do
    install -D -m 0644 "Docs/$page.md" "$doc/Docs/$page.md"
done
install -m 0644 "$here/copyright" "$doc/copyright"
install -m 0644 "$here/changelog" "$doc/changelog"
install -D -m 0644 "$here/lintian-overrides" "$stage/usr/share/lintian/overrides/mptcpctl"

# Compressed as dh_compress does: the man page and the changelog always, other documents
# above 4 kB; the copyright never.
gzip -9n "$stage/usr/share/man/man8/mptcpctl.8" "$doc/changelog"
find "$doc" -type f -name '*.md' -size +4k -exec gzip -9n {} +

# Depends: what the dynamically linked files need (mptcpctl is a static PIE and needs
# nothing), asked of dpkg-shlibdeps, which wants a debian/control to read.
dynamic=()
for elf in $(find "$stage/usr" -type f -perm -u+x -o -type f -name '*.so'); do
    if readelf -d "$elf" 2>/dev/null | grep -q '(NEEDED)'; then dynamic+=("$PWD/$elf"); fi
done
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/debian"
printf 'Source: mptcpctl\n\nPackage: mptcpctl\nArchitecture: amd64\n' > "$scratch/debian/control"
depends=$(cd "$scratch" && dpkg-shlibdeps -O "${dynamic[@]}" | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || fail "dpkg-shlibdeps found no dependency in ${dynamic[*]}"
# dpkg-shlibdeps weighs the symbols a file uses, not a version it needs without one:
# mptcpctl-apply's packed relocations (DT_RELR, the Makefile's APPLY) need the loader of
# glibc 2.36 (GLIBC_ABI_DT_RELR), which libc6's symbols file names; on 2.35 it would not start.
if readelf -V "${dynamic[@]}" | grep -q 'Name: GLIBC_ABI_DT_RELR'; then
    relr=$(sed -n 's/^ GLIBC_ABI_DT_RELR@GLIBC_ABI_DT_RELR \([^ ]*\).*/\1/p' "$(dpkg-query --control-path libc6 symbols)")
    libc=$(sed -n 's/.*libc6 (>= \([^)]*\)).*/\1/p' <<<"$depends")
    [ -n "$relr" ] && [ -n "$libc" ] || fail "no libc6 version for GLIBC_ABI_DT_RELR (symbols file: '$relr', Depends: $depends)"
    if dpkg --compare-versions "$libc" lt "$relr"; then depends=${depends/"libc6 (>= $libc)"/"libc6 (>= $relr)"}; fi
fi

# Built-Using: the Debian packages whose code the static mptcpctl contains (the C library
# and libnl, LGPL; libstdc++ and libgcc, GCC's runtime), by their source packages' versions,
# as Debian policy 7.8 asks.
built_using=$(dpkg-query -W -f='${source:Package} (= ${source:Version})\n' \
    libc6-dev libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libstdc++-12-dev libgcc-12-dev \
    | sort -u | paste -sd, - | sed 's/,/, /g')

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@DEPENDS@/$depends/" -e "s/@BUILT_USING@/$built_using/" \
    -e "s/@INSTALLED_SIZE@/$installed_size/" "$here/control" > "$stage/DEBIAN/control"
install -m 0755 "$here/postinst" "$here/postrm" "$stage/DEBIAN/"
(cd "$stage" && find usr -type f | LC_ALL=C sort | xargs md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

find "$stage" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb"
rm -rf "$stage"
echo "$deb: $(stat -c %s "$deb") bytes, Depends: $depends"
