# mptcpctl: build, test, install.  `make run` and `make test` work on a fresh Debian
# machine as root; both install what is missing first (`make deps`).

PREFIX  ?= /usr/local
DESTDIR ?=
SWIFT   ?= swift
BIN     := .build/release/mptcpctl

.PHONY: all build deps run test install uninstall clean fuzz fuzz-build fuzz-seeds

all: build

# Debian packages the build and the tests need; quick when they are already there.
deps:
	@if ! pkg-config --exists libnl-genl-3.0 2>/dev/null || ! command -v ip >/dev/null || ! command -v setpriv >/dev/null; then \
		echo "installing libnl-genl-3-dev, pkg-config, iproute2, util-linux"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnl-genl-3-dev pkg-config iproute2 util-linux >/dev/null; \
	fi

build: deps
	$(SWIFT) build -c release --product mptcpctl

# The tool's main job: this namespace's endpoints, counters and limits.
run: build
	$(BIN) endpoint show

# Every test, the kernel ones included: they need root (network namespaces).
test: deps
	@if [ "$$(id -u)" != 0 ]; then echo "make test: kernel tests need root (they create network namespaces)" >&2; exit 1; fi
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

# Fuzzing (Fuzz/README.md): each libFuzzer target in turn for FUZZ_SECONDS, one at a time,
# on its seed corpus in Fuzz/Corpus (read only) plus a scratch corpus in a temporary
# directory that takes what the run finds. A crash stops the run; its input is kept
# in Fuzz/crashes/ (never committed: it becomes a test in Tests/MPTCPKitTests).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= FuzzReply FuzzAttributes FuzzEvent FuzzCounters FuzzCommandLine FuzzApply
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
# MPTCP_INFO bytes captured by Tests/KernelTests/SeedCaptureKernelTests.swift.
fuzz-seeds: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter SeedCaptureKernelTests
	cp -R .build/fuzz-seeds/. Fuzz/Corpus/

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/mptcpctl

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/mptcpctl

clean:
	rm -rf .build Fuzz/.build
