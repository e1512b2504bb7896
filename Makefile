# Thin wrapper around CMake. `make demo` and `make test` do all set-up.
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUZZSIM = $(BUILD)/buzzsim

.PHONY: all deps configure build demo test test-asan test-mpi bench fuzz format clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUZZSIM) run configs/demo.yaml -o results/demo.h5 --force
	$(BUZZSIM) plot results/demo.h5 --outdir results/demo_plots

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DBUZZSIM_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -L 'unit|cli' -j $(JOBS)

# The MPI build (optional): mpirun -n 2/3 sweeps equal the serial run.
test-mpi:
	@bash scripts/install-deps.sh libopenmpi-dev openmpi-bin
	@cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DBUZZSIM_MPI=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-mpi -j $(JOBS)
	cd build-mpi && ctest --output-on-failure -L mpi

# libFuzzer harnesses (tests/fuzz, docs/testing.md): built with clang in
# build-fuzz, then each run FUZZ_SECONDS from its seed corpus; fails if any
# finds a crash. FUZZERS picks some (experiment sweep edgelist edgelist_gz h5).
FUZZ_SECONDS ?= 60
FUZZERS ?=
fuzz:
	@bash scripts/install-deps.sh clang libclang-rt-dev libomp-dev
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DBUZZSIM_FUZZ=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzzers
	bash tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZERS)

bench:
	@bash scripts/install-deps.sh libigraph-dev python3-graph-tool
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DBUZZSIM_BENCHMARKS=ON >/dev/null
	@cmake --build build-bench -j $(JOBS)
	@bash tests/benchmarks/run.sh build-bench

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-bench
