# aimcase — the front door.  `make demo` and `make test` are all a newcomer needs.
#
#   make demo    install what is missing, build, fresh demo database, serve :8080
#   make test    install what is missing, build, every test suite
#   make bench   the benchmarks against their references (BENCH_ARGS=--quick: small)
#   make build   just build (build/aimcase)
#   make deps    just install the Debian packages (as root; else prints the command)

BUILD      ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_ARGS ?=
JOBS       ?= 2
DEMO_DB    ?= $(BUILD)/demo.db
PORT       ?= 8080

# Debian 12 packages needed to build and test.
DEB_PACKAGES := cmake make gcc pkg-config libmicrohttpd-dev libsqlite3-dev libxml2-dev \
	libpcre2-dev check libsubunit-dev libjansson-dev libsodium-dev sqlite3 curl jq \
	hashdeep sleuthkit e2fsprogs dosfstools mtools libxml2-utils time chromium liboath-dev oathtool

.PHONY: all deps build demo test test-unit test-api test-e2e bench clean

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

test: build test-unit test-api test-e2e

test-unit:
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-api:
	@AIMCASE_BIN=$(CURDIR)/$(BUILD)/aimcase node --test --test-concurrency=2 tests/api/

# playwright-core from npm (tests/e2e/package-lock.json), installed again only when the lockfile changes
tests/e2e/node_modules/.package-lock.json: tests/e2e/package.json tests/e2e/package-lock.json
	@npm ci --prefix tests/e2e --no-audit --no-fund
	@touch $@

test-e2e: tests/e2e/node_modules/.package-lock.json
	@AIMCASE_BIN=$(CURDIR)/$(BUILD)/aimcase node --test --test-concurrency=1 tests/e2e/

bench: build
	@BUILD=$(BUILD) tests/bench/run.sh $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)
