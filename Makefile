# mptcpctl: build, test, install.  `make run` and `make test` work on a fresh Debian
# machine as root; both install what is missing first (`make deps`).

PREFIX  ?= /usr/local
DESTDIR ?=
SWIFT   ?= swift
BIN     := .build/release/mptcpctl
MAN     := Docs/mptcpctl.8
COMPLETIONS := Docs/completions
# systemd units of `mptcpctl sync` (Docs/systemd), their ExecStart pointed at $(PREFIX)/sbin.
SYSTEMD_UNITS ?= $(PREFIX)/lib/systemd/system
# The project's version, as `mptcpctl --version` prints it, read where it is written; the
# Debian package carries it.
VERSION := $(shell sed -n 's/.*static let version = "\(.*\)"/\1/p' Sources/MPTCPCtlCLI/CommandLine/CommandLineTool.swift)
DEB     := dist/mptcpctl_$(VERSION)_amd64.deb

.PHONY: all build wrap deps deps-package iproute2 run demo test test-ansible dist-ansible test-kernels test-package deb bench man completions install uninstall clean fuzz fuzz-build fuzz-seeds

all: build

# Debian packages the build and the tests need; quick when they are already there.
deps:
	@if ! pkg-config --exists libnl-genl-3.0 libnl-route-3.0 2>/dev/null || ! command -v ip >/dev/null || ! command -v setpriv >/dev/null \
		|| [ ! -f "$$(pkg-config --variable=libdir libnl-genl-3.0 2>/dev/null)/libnl-genl-3.a" ] \
		|| [ ! -f "$$(pkg-config --variable=libdir libnl-route-3.0 2>/dev/null)/libnl-route-3.a" ] \
		|| ! command -v mandoc >/dev/null || ! command -v tmux >/dev/null || ! command -v curl >/dev/null || [ ! -x /usr/bin/python3 ] || ! command -v systemd-analyze >/dev/null \
		|| ! file -L /usr/bin/busybox 2>/dev/null | grep -q 'statically linked' || ! command -v iptables >/dev/null \
		|| ! command -v zsh >/dev/null || ! command -v fish >/dev/null; then \
		echo "installing libnl-genl-3-dev, libnl-route-3-dev, pkg-config, iproute2, util-linux, mandoc, tmux (top's terminal tests), curl, python3, busybox-static and iptables (run's tests), systemd (systemd-analyze, enable's tests), zsh and fish (the completions' tests)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnl-genl-3-dev libnl-route-3-dev pkg-config iproute2 util-linux mandoc tmux curl python3 busybox-static iptables file systemd zsh fish >/dev/null; \
	fi

# What `make deb` and `make test-package` need besides the build: dpkg-dev (dpkg-shlibdeps,
# dpkg-parsechangelog), lintian and debootstrap.
deps-package:
	@if ! command -v dpkg-shlibdeps >/dev/null || ! command -v lintian >/dev/null || ! command -v debootstrap >/dev/null; then \
		echo "installing dpkg-dev, lintian and debootstrap"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev lintian debootstrap >/dev/null; \
	fi

# mptcpctl, and mptcpctl-apply, the one binary that links Yams, Foundation and
# swift-argument-parser: mptcpctl hands `apply`, `-b FILE` and help to it, so every
# other command starts without them. mptcpctl itself is a static PIE (linked by lld,
# libnl and the C library included): no dynamic loader, no shared libraries to map and
# relocate at start-up (Benchmarks/README.md has the numbers). It builds in a scratch
# folder of its own, as its link flags differ, and is copied beside mptcpctl-apply.
# (`swift build` takes one --product: the last one given wins.) Neither binary loads a
# library from beside itself (the Swift runtime is linked in), so neither carries a
# $ORIGIN run path (--disable-local-rpath): installed, no library beside it is searched.
# mptcpctl-apply, linked dynamically, binds its symbols at start (-z now: relocations
# read-only before main, as Debian's hardening asks).
# lld lays mptcpctl's start-up functions side by side at the start of its code
# (Packaging/startup.order, written by Packaging/startup-order.py): the kernel maps code
# 64 KiB around each page a command faults on, so the fewer windows start-up touches, the
# lower its peak memory. A name the file lacks or no longer matches only lands where it
# would have anyway. SwiftPM relinks on changed flags, not on a changed file: `build`
# removes a binary older than the file. Its relative relocations are packed (DT_RELR,
# which glibc's static-PIE start applies since 2.36): 4.6 KB for lld's 580 KB of RELA,
# which every start read through.
LEAN := --scratch-path .build-lean --disable-local-rpath -Xswiftc -use-ld=lld -Xswiftc -Xclang-linker -Xswiftc -static-pie \
	-Xlinker --symbol-ordering-file=$(CURDIR)/Packaging/startup.order -Xlinker --no-warn-symbol-ordering \
	-Xlinker -z -Xlinker pack-relative-relocs

# mptcpctl-apply is linked by lld too, for `sync`, which stays resident: its functions
# (start-up, the event loop, the healer's readings and probes; Packaging/sync.order,
# written by Packaging/sync-order.py; `build` removes a binary older than it, as for
# mptcpctl) side by side, and its relative relocations packed
# (DT_RELR, glibc 2.36): ld.so read gold's 1.9 MB of RELA at every start, and those pages
# stayed resident. Our own code is compiled a function to a section (-function-sections,
# -ffunction-sections), so that lld moves the functions sync runs, not the whole of each
# file's code. Those and -use-ld are compiler flags: every release build in .build
# (mptcp-peer's as well) passes the same RELEASE, or the next one recompiles everything.
# (swiftc keeps an object whose code is unchanged: a tree built before these flags keeps its
# old sections until its release objects are removed. Only the layout differs.)
RELEASE := -Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
APPLY := $(RELEASE) --disable-local-rpath -Xlinker -z -Xlinker now -Xlinker -z -Xlinker pack-relative-relocs \
	-Xlinker --symbol-ordering-file=$(CURDIR)/Packaging/sync.order -Xlinker --no-warn-symbol-ordering

# libmptcpwrap.so, the preload library of `run` (Sources/mptcpwrap): C that other
# programs load, built by the C compiler, with the socket rule it shares with `run
# --intercept` (Sources/CLaunch/include/mptcp_socket_rule.h). Through `swift build` its link would add the
# Swift runtime (libswiftCore, swiftrt.o) to every program it is loaded into. `build` and
# `test` copy it beside the release and the debug mptcpctl, where `run` looks first.
WRAP := .build/wrap/libmptcpwrap.so
WRAP_CFLAGS := -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror -Wl,--as-needed -Wl,-z,now -Wl,-z,relro

wrap:
	@mkdir -p $(dir $(WRAP))
	$(CC) $(WRAP_CFLAGS) -I Sources/CLaunch/include -o $(WRAP) Sources/mptcpwrap/mptcpwrap.c

build: deps wrap
	@if [ Packaging/sync.order -nt .build/release/mptcpctl-apply ]; then rm -f .build/release/mptcpctl-apply; fi
	$(SWIFT) build -c release --static-swift-stdlib $(APPLY) --product mptcpctl-apply
	@if [ Packaging/startup.order -nt .build-lean/release/mptcpctl ]; then rm -f .build-lean/release/mptcpctl; fi
	$(SWIFT) build -c release --static-swift-stdlib $(LEAN) --product mptcpctl
	install -m 0755 .build-lean/release/mptcpctl $(BIN)
	install -m 0644 $(WRAP) $(dir $(BIN))

# The tool's main job: this namespace's endpoints, counters and limits.
run: build
	$(BIN) endpoint show

# The address endpoint at work: two throwaway namespaces joined by three links, one real
# MPTCP connection without and one with address endpoints, and the subflows each made.
# (`swift build` takes one --product: the last one given wins.)
demo: build
	@if [ "$$(id -u)" != 0 ]; then echo "make demo: needs root (it creates network namespaces)" >&2; exit 1; fi
	$(SWIFT) build -c release $(RELEASE) --product mptcp-peer
	Demo/demo.sh

# iproute2 7.1's ip, the judge of `--format ip monitor` (IPMonitorKernelTests), built
# once into /srv/mptcpctl-iproute2 from Debian's copy of the release tarball, never
# installed (Tests/IPRoute2/build-ip.sh). Fails when it cannot be had: the test needs it.
iproute2:
	@Tests/IPRoute2/build-ip.sh >/dev/null

# Every test, the kernel ones included: they need root (network namespaces). The
# Ansible collection's tests install ansible-core into a virtual environment first.
test: deps wrap
	@if [ "$$(id -u)" != 0 ]; then echo "make test: kernel tests need root (they create network namespaces)" >&2; exit 1; fi
	@$(MAKE) --no-print-directory iproute2
	$(SWIFT) build --build-tests
	install -m 0644 $(WRAP) .build/debug/
	$(SWIFT) test --skip-build --no-parallel
	$(MAKE) --no-print-directory test-ansible

# The Ansible collection (Integrations/ansible, Docs/ansible.md) against the debug binaries,
# which it does not build: `make test` builds them first. Needs root.
test-ansible:
	MPTCPCTL=$(CURDIR)/.build/debug/mptcpctl Integrations/ansible/test.sh

# The Ansible collection as an archive for `ansible-galaxy collection install`:
# dist/mptcpctl-mptcp-VERSION.tar.gz, built by ansible-galaxy from the tests' virtual
# environment (Docs/ansible.md).
dist-ansible:
	Integrations/ansible/build.sh $(CURDIR)/dist

# The kernel tests on Debian 12's 6.1 and 6.12 kernels and sid's 7.2, each booted in qemu
# (TCG) by virtme-ng on this machine's own root file system: the test binary `make test`
# built, not rebuilt. Needs root; installs qemu and virtme-ng when missing, and keeps the
# kernels in /srv/mptcpctl-kernels (Tests/Kernels/README.md). KERNELS="6.1 7.2" picks
# kernels (Tests/Kernels/kernels.conf), FILTER=EndpointKernelTests picks tests.
KERNELS ?=
FILTER  ?= KernelTests
test-kernels:
	@if [ "$$(id -u)" != 0 ]; then echo "make test-kernels: needs root (apt, qemu, network namespaces)" >&2; exit 1; fi
	REPO=$(CURDIR) KERNELS="$(KERNELS)" FILTER="$(FILTER)" MPTCPCTL="$(MPTCPCTL)" bash Tests/Kernels/test-kernels.sh

# The Debian package dist/mptcpctl_VERSION_amd64.deb from the release build
# (Packaging/deb/build.sh): /usr/sbin/mptcpctl, its helper and preload library, the man
# page, the completions, the systemd units (enabled by nobody) and the docs; Depends from
# dpkg-shlibdeps. lintian checks it: an error or a warning not overridden
# (Packaging/deb/lintian-overrides, each with its reason) fails the target.
deb: deps-package build
	VERSION=$(VERSION) Packaging/deb/build.sh
	lintian --info --fail-on error,warning $(DEB)

# The package on a fresh Debian 12 (Tests/Package/test-package.sh): in a minimal bookworm
# root from debootstrap, cached in /var/cache/mptcpctl-test-package, apt installs it,
# mptcpctl runs (an endpoint inside `unshare -n`), apt purges it and no file of it may be
# left. Needs root and the Debian mirror; no kernel of its own.
test-package: deb
	@if [ "$$(id -u)" != 0 ]; then echo "make test-package: needs root (debootstrap, chroot, unshare)" >&2; exit 1; fi
	DEB=$(DEB) VERSION=$(VERSION) Tests/Package/test-package.sh

# mptcpctl and ip (and ss) side by side, in one run: medians and ratios (needs root).
# ONLY=connections runs the `connections` row alone (ONLY=processes its `connections -P` row); ONLY=start-up the single commands;
# ONLY=heal paths that fail and come back, sync with and without healing (HEAL_RUNS=10 failures a cell; ONLY=heal-cost its idle cost alone)
# (with BEFORE=path/to/an/older/mptcpctl, its rows first, in the same run).
bench: deps
	@command -v python3 >/dev/null && [ -x /usr/bin/time ] || apt-get install -y -qq python3 time >/dev/null
	$(MAKE) --no-print-directory build
	$(SWIFT) build -c release --static-swift-stdlib $(RELEASE) --product mptcp-peer
	python3 Benchmarks/bench.py

# Docs/mptcpctl.8 is written by hand, in the style of ip-mptcp(8); this checks it
# renders without a warning (Tests/MPTCPCtlCLITests/ManPageTests.swift checks it
# names every word of the command table).
man: deps
	mandoc -T lint -W warning $(MAN)

# Docs/completions are thin hand-written wrappers: the binary answers completion
# queries itself ('mptcpctl __complete WORD...'), so there is nothing to generate.
completions:
	@echo "Docs/completions ask 'mptcpctl __complete': nothing to generate"

# Fuzzing (Fuzz/README.md): each libFuzzer target in turn for FUZZ_SECONDS, one at a time,
# on its seed corpus in Fuzz/Corpus (read only) plus a scratch corpus in a temporary
# directory that takes what the run finds. A crash stops the run; its input is kept
# in Fuzz/crashes/ (never committed: it becomes a test in Tests/MPTCPKitTests).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzReply FuzzAttributes FuzzEvent FuzzCounters FuzzCommandLine FuzzApply FuzzSockDiag FuzzRouteMessages FuzzRules FuzzUnitFile FuzzTaskIdentity
# (The Swift backtracer is off: under ASan it reports itself.)
# SwiftPM passes its two sanitizers to swiftc as two flags, of which only the last
# counts; -Xswiftc gives the one flag that instruments the Swift code for coverage.
FUZZ_FLAGS := --package-path Fuzz --scratch-path Fuzz/.build -c debug --sanitize=fuzzer --sanitize=address \
	-Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address

fuzz-build: deps
	$(SWIFT) build $(FUZZ_FLAGS)

fuzz: fuzz-build
	@mkdir -p Fuzz/crashes; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	for target in $(FUZZ_TARGETS); do \
		mkdir -p "$$scratch/$$target"; \
		echo "== $$target: $(FUZZ_SECONDS) s from $$(ls Fuzz/Corpus/$$target | wc -l) seeds"; \
		if ! SWIFT_BACKTRACE=enable=no nice -n 10 Fuzz/.build/debug/$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=Fuzz/crashes/$$target- "$$scratch/$$target" Fuzz/Corpus/$$target \
			>"$$scratch/$$target.log" 2>&1; then \
			cp "$$scratch/$$target.log" Fuzz/crashes/$$target.log; \
			grep -m 1 -A 20 -E 'ERROR: |Fatal error|deadly signal' "$$scratch/$$target.log"; \
			echo "$$target: crashed; input and log in Fuzz/crashes/" >&2; exit 1; \
		fi; \
		grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
			"$$scratch/$$target.log"; \
	done

# Refreshes Fuzz/Corpus from the running kernel (as root): replies, events and
# MPTCP_INFO bytes captured by Tests/KernelTests/Seeds/SeedCaptureKernelTests.swift.
fuzz-seeds: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter SeedCaptureKernelTests
	cp -R .build/fuzz-seeds/. Fuzz/Corpus/

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/mptcpctl
	install -D -m 0755 $(BIN)-apply $(DESTDIR)$(PREFIX)/libexec/mptcpctl/mptcpctl-apply
	install -D -m 0644 $(WRAP) $(DESTDIR)$(PREFIX)/lib/mptcpctl/libmptcpwrap.so
	install -D -m 0644 $(MAN) $(DESTDIR)$(PREFIX)/share/man/man8/mptcpctl.8
	install -D -m 0644 $(COMPLETIONS)/mptcpctl.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mptcpctl
	install -D -m 0644 $(COMPLETIONS)/_mptcpctl $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mptcpctl
	install -D -m 0644 $(COMPLETIONS)/mptcpctl.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/mptcpctl.fish
	sed 's|/usr/local/sbin/|$(PREFIX)/sbin/|g' Docs/systemd/mptcpctl-sync.service > mptcpctl-sync.service.tmp
	install -D -m 0644 mptcpctl-sync.service.tmp $(DESTDIR)$(SYSTEMD_UNITS)/mptcpctl-sync.service
	sed 's|/usr/local/sbin/|$(PREFIX)/sbin/|g' Docs/systemd/mptcpctl-sync@.service > mptcpctl-sync.service.tmp
	install -D -m 0644 mptcpctl-sync.service.tmp $(DESTDIR)$(SYSTEMD_UNITS)/mptcpctl-sync@.service
	rm -f mptcpctl-sync.service.tmp

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/mptcpctl $(DESTDIR)$(PREFIX)/libexec/mptcpctl/mptcpctl-apply $(DESTDIR)$(PREFIX)/lib/mptcpctl/libmptcpwrap.so \
		$(DESTDIR)$(PREFIX)/share/man/man8/mptcpctl.8 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/mptcpctl \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mptcpctl \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/mptcpctl.fish \
		$(DESTDIR)$(SYSTEMD_UNITS)/mptcpctl-sync.service $(DESTDIR)$(SYSTEMD_UNITS)/mptcpctl-sync@.service

clean:
	rm -rf .build .build-lean Fuzz/.build dist
