# mptcpctl: build, test, install.  `make run` and `make test` work on a fresh Debian
# machine as root; both install what is missing first (`make deps`).

PREFIX  ?= /usr/local
DESTDIR ?=
SWIFT   ?= swift
BIN     := .build/release/mptcpctl

.PHONY: all build deps run demo test install uninstall clean

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

# The address endpoint at work: two throwaway namespaces joined by three links, one real
# MPTCP connection without and one with address endpoints, and the subflows each made.
# (`swift build` takes one --product: the last one given wins.)
demo: build
	@if [ "$$(id -u)" != 0 ]; then echo "make demo: needs root (it creates network namespaces)" >&2; exit 1; fi
	$(SWIFT) build -c release --product mptcp-peer
	Demo/demo.sh

# Every test, the kernel ones included: they need root (network namespaces).
test: deps
	@if [ "$$(id -u)" != 0 ]; then echo "make test: kernel tests need root (they create network namespaces)" >&2; exit 1; fi
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/sbin/mptcpctl

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/sbin/mptcpctl

clean:
	rm -rf .build
