# unjucksd: `make run` and `make test` are the two commands a fresh Debian
# machine needs; each installs what is missing first.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := pkg-config libsqlite3-dev libhiredis-dev zlib1g-dev libdeflate-dev libmicrohttpd-dev \
  libyaml-dev libmd4c-dev libmd4c-html0-dev libssl-dev redis-server python3 prometheus
BENCH_PACKAGES := hugo wrk hyperfine time
RELEASE_BIN := .build/release/unjucksd
DEBUG_BIN := .build/debug/unjucksd
CONFORMANCE := ../shared/conformance/check.py

.PHONY: setup bench-setup build release test conformance run bench bench-watch bench-http bench-cache bench-memory clean

## setup: apt-get install exactly the packages that are missing (idempotent).
setup:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  (apt-get update -qq || true) && apt-get install -y -qq $$missing; \
	fi

## bench-setup: what only the benchmarks need (Hugo to compare with, wrk, hyperfine).
bench-setup: setup
	@missing=$$(for p in $(BENCH_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

build: setup
	$(SWIFT) build

## release: statically linked Swift runtime and Foundation: a bigger binary,
## but a quarter less start-up time for every command (render, build).
## Linked by the toolchain's lld as a position-dependent executable
## (-no-pie): the dynamic loader then has no relocations to apply to the
## program's own data (80,000 of them, even packed as DT_RELR), which took
## ~1 ms of every start (`--version` 2.3 -> 1.4 ms, a no-op build
## 16.9 -> 15.2 ms). The price is that the program's own addresses are not
## randomised (the shared libraries' still are): acceptable for a local
## build tool whose HTTP port listens on loopback by default.
## libstdc++ (which the Swift runtime needs) is linked from its archive,
## like the C libraries (see their module maps), through a linker script
## named libstdc++.so in a directory searched before the system's: the
## toolchain adds a plain -lstdc++, and loading the shared one took 0.7 ms
## of every start.
STATIC_CXX_DIR := .build/static-libstdc++
STATIC_CXX := $(shell clang -print-file-name=libstdc++.a 2>/dev/null)
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -use-ld=lld -Xswiftc -Xclang-linker -Xswiftc -no-pie \
  $(if $(filter /%,$(STATIC_CXX)),-Xswiftc -L$(CURDIR)/$(STATIC_CXX_DIR))
release: setup
	@if [ -n "$(filter /%,$(STATIC_CXX))" ]; then mkdir -p $(STATIC_CXX_DIR) && echo "INPUT($(STATIC_CXX))" > $(STATIC_CXX_DIR)/libstdc++.so; fi
	$(SWIFT) build $(RELEASE_FLAGS)

## test: unit and integration tests (with a real redis-server on a free
## loopback port), then the Nunjucks conformance cases.
test: setup
	$(SWIFT) build --build-tests
	scripts/with-redis.sh $(SWIFT) test --skip-build
	$(MAKE) --no-print-directory conformance BIN=$(DEBUG_BIN)

BIN ?= $(RELEASE_BIN)
conformance:
	python3 $(CONFORMANCE) --cmd "$(BIN) render" --skip-file docs/conformance-skip.txt

## run: build the example sites and pipelines, then watch them; prints the
## preview and dashboard URLs (Ctrl-C stops it).
run: release
	$(RELEASE_BIN) watch ./sites ./pipelines --cache sqlite:.unjucksd/cache.db

bench: release bench-setup
	scripts/bench.sh

bench-watch: release bench-setup
	scripts/bench-watch.sh

bench-http: release bench-setup
	scripts/bench-http.sh

bench-cache: release bench-setup
	scripts/with-redis.sh scripts/bench-cache.sh

bench-memory: release bench-setup
	scripts/bench-memory.sh

clean:
	rm -rf .build out .unjucksd
