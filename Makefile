# The two README commands are `make devnet` and `make test`; both install
# what they need first (scripts/install-deps.sh is quick when all is present).

# Programs `make build` leaves in the repository root, as Lotus's Makefile does.
BINARIES := lotus lotus-miner lotus-seed lotus-shed lotus-bench
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all deps build test devnet bench fuzz install clean interop-deps

all: build

deps:
	@scripts/install-deps.sh

build/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset default

build: deps build/build.ninja
	cmake --build --preset default -j $(JOBS)
	@for b in $(BINARIES); do if [ -f build/bin/$$b ]; then cp -f build/bin/$$b ./$$b; fi; done

interop-deps:
	@scripts/install-npm-deps.sh

test: build interop-deps
	ctest --preset default -j $(JOBS)

devnet: build
	@scripts/devnet.sh

bench: build
	@scripts/bench.sh

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target fuzz_targets
	@scripts/fuzz.sh $(FUZZ_SECONDS)

install: build
	@for b in $(BINARIES); do if [ -f ./$$b ]; then install -m 0755 ./$$b /usr/local/bin/$$b && echo "installed /usr/local/bin/$$b"; fi; done

clean:
	rm -rf build build-debug build-fuzz $(BINARIES)
