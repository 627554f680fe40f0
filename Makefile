# aimcase — the front door.  `make demo` and `make test` are all a newcomer needs.
#
#   make demo        install what is missing, build, fresh demo database, serve :8080
#   make test        install what is missing, build, every test suite: unit, API, hostile
#                    input, crash durability, browser, each fuzzer for 20 s, then all of the
#                    suites again under ASan+UBSan
#   make test-unit, test-api, test-hostile, test-durability, test-e2e, fuzz-smoke, test-asan
#                    one part of make test
#   make fuzz        each fuzzer for FUZZ_TIME s (default 600; FUZZERS=... a subset),
#                    on a corpus kept in build-fuzz/corpus/
#   make load        64 connections for LOAD_TIME s (default 60) of mixed search, case view
#                    and filing on 127.0.0.1; fails on any error or 5xx (not part of make test)
#   make bench       the benchmarks against their references (BENCH_ARGS=--quick: small)
#   make build       just build (build/aimcase)
#   make deps        just install the Debian packages (as root; else prints the command)

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_ARGS ?=
JOBS       ?= 2
DEMO_DB    ?= $(BUILD)/demo.db
PORT       ?= 8080
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SMOKE_TIME ?= 20
FUZZ_TIME  ?= 600
FUZZERS    ?= manifest incident search_query rule_pack
LOAD_TIME  ?= 60

# Debian 12 packages needed to build and test.
DEB_PACKAGES := cmake make gcc pkg-config libmicrohttpd-dev libsqlite3-dev libxml2-dev \
	libpcre2-dev check libsubunit-dev libjansson-dev libsodium-dev sqlite3 curl jq \
	hashdeep sleuthkit e2fsprogs dosfstools mtools libxml2-utils time chromium liboath-dev oathtool \
	clang libclang-rt-dev

.PHONY: all deps build demo test test-unit test-api test-hostile test-durability test-e2e \
	test-asan fuzz-build fuzz-smoke fuzz load bench clean

all: build

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing packages; run: sudo apt-get install -y$$missing" >&2; exit 1; \
		fi; \
	fi

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BUILD)/aimcase demo --db $(DEMO_DB) --port $(PORT) --web web --fixtures fixtures

test: build test-unit test-api test-hostile test-durability test-e2e fuzz-smoke test-asan

test-unit:
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-api:
	@AIMCASE_BIN=$(CURDIR)/$(BUILD)/aimcase node --test --test-concurrency=2 tests/api/

test-hostile:
	@AIMCASE_BIN=$(CURDIR)/$(BUILD)/aimcase node --test --test-concurrency=2 tests/hostile/

test-durability:
	@AIMCASE_BIN=$(CURDIR)/$(BUILD)/aimcase node --test --test-concurrency=1 tests/durability/

# playwright-core from npm (tests/e2e/package-lock.json), installed again only when the lockfile changes
tests/e2e/node_modules/.package-lock.json: tests/e2e/package.json tests/e2e/package-lock.json
	@npm ci --prefix tests/e2e --no-audit --no-fund
	@touch $@

test-e2e: tests/e2e/node_modules/.package-lock.json
	@AIMCASE_BIN=$(CURDIR)/$(BUILD)/aimcase node --test --test-concurrency=1 tests/e2e/

# Every suite again, against a build with AddressSanitizer (leaks too) and UBSan.
test-asan: deps
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) --no-print-directory build test-unit test-api test-hostile test-durability \
		test-e2e BUILD=$(ASAN_BUILD) CMAKE_ARGS=-DAIMCASE_SANITIZE=ON

# The libFuzzer harnesses of tests/fuzz/: clang, ASan and UBSan, their own build directory.
fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
		-DAIMCASE_FUZZ=ON -DAIMCASE_SANITIZE=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers

# Each fuzzer on a temporary copy of its seeds; any crash, leak or timeout fails.
fuzz-smoke: fuzz-build
	@FUZZ_JOBS=$(JOBS) tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SMOKE_TIME) smoke $(FUZZERS)

fuzz: fuzz-build
	@FUZZ_JOBS=$(JOBS) tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TIME) long $(FUZZERS)

load: build
	@AIMCASE_BIN=$(CURDIR)/$(BUILD)/aimcase node tests/load/run.mjs --duration $(LOAD_TIME)

bench: build
	@BUILD=$(BUILD) tests/bench/run.sh $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
