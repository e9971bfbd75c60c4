# Zhenxing: the two commands are `make run` and `make test`. Both install
# missing Debian packages first and are safe to repeat.

JOBS      ?= $(shell nproc)
BUILD     ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DEMO_DB   ?= var/demo.db
DEMO_HOUSEHOLDS ?= 100000
FUZZ_SECONDS ?= 10
FUZZ_LONG_SECONDS ?= 300
CMAKE_GEN := -G Ninja
FUZZERS := fuzz_csv fuzz_xlsx fuzz_resident_id fuzz_rules

.PHONY: all deps build run test unit asan fuzz fuzz-smoke bench clean format format-check

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Until the web server exists: create the demo province and print its summary.
run: build
	@mkdir -p $(dir $(DEMO_DB))
	@if [ ! -f $(DEMO_DB) ]; then \
	  $(BUILD)/zhenxing demo --db $(DEMO_DB) --households $(DEMO_HOUSEHOLDS) --seed 1; \
	else echo "演示数据库已存在：$(DEMO_DB)（删除后重新运行 make run 可重新生成）"; fi
	$(BUILD)/zhenxing stats --db $(DEMO_DB)

unit: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DZX_SANITIZE=ON

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -L unit

$(FUZZ_BUILD)/build.ninja: | deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZX_FUZZ=ON

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZERS)

# Brief fuzzing run (part of `make test`); corpora live in test/fuzz/corpus/<name>.
fuzz-smoke: fuzz-build
	@./scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZERS)

# Longer fuzzing run.
fuzz: fuzz-build
	@./scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_LONG_SECONDS) $(FUZZERS)

# Everything: sanitizer run and fuzz smoke first, the main ctest run last so
# its summary is the closing line.
test: format-check build asan fuzz-smoke
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	./bench/run.sh

format:
	./scripts/format.sh

# Fails when a C++ file is not clang-formatted (.clang-format); fix with `make format`.
format-check: deps
	./scripts/format.sh --check

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
