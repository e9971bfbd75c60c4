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
FUZZERS := fuzz_csv fuzz_xlsx fuzz_resident_id fuzz_rules fuzz_feed_reader fuzz_feed_reader_xlsx

.PHONY: all deps build run test unit asan fuzz fuzz-smoke bench clean format format-check web web-test e2e

all: build

deps:
	@./scripts/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Until the web server exists: create the demo province and print its summary.
# Builds the server and the web app, creates the demo province once (100,000 households, one demo
# account per role, every year screened), then serves it on 127.0.0.1:8080 until Ctrl-C.
# DEMO_PASSWORD=... sets the demo accounts' password on creation (otherwise one is generated and
# printed); on later runs `zhenxing user passwd --db var/demo.db admin` resets a password.
run: build web
	@mkdir -p $(dir $(DEMO_DB))
	@if [ ! -f $(DEMO_DB) ]; then \
	  $(BUILD)/zhenxing demo --db $(DEMO_DB) --households $(DEMO_HOUSEHOLDS) --seed 1 \
	    $(if $(DEMO_PASSWORD),--demo-password '$(DEMO_PASSWORD)') && \
	  for year in 2021 2022 2023 2024 2025; do \
	    $(BUILD)/zhenxing screen --db $(DEMO_DB) --year $$year | tail -n 3 || exit 1; done; \
	  $(BUILD)/zhenxing workflow simulate --db $(DEMO_DB) --year $$(TZ=Asia/Shanghai date +%Y) --seed 1 | tail -n 18 || exit 1; \
	else echo "演示数据库已存在：$(DEMO_DB)（删除后重新运行 make run 可重新生成）"; \
	  echo "演示账号：admin（省级）、prefecture、county、township、village、department、auditor；"; \
	  echo "密码在首次生成时已显示；忘记时用 $(BUILD)/zhenxing user passwd --db $(DEMO_DB) admin 重置"; fi
	$(BUILD)/zhenxing stats --db $(DEMO_DB)
	$(BUILD)/zhenxing serve --db $(DEMO_DB) --bind 127.0.0.1 --port 8080

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
test: format-check build asan fuzz-smoke web-test
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MAKE) e2e

bench: build
	./bench/run.sh

format:
	./scripts/format.sh

# Fails when a C++ file is not clang-formatted (.clang-format); fix with `make format`.
format-check: deps
	./scripts/format.sh --check

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

# ---------------------------------------------------------------------------------------------
# Web app (web/, Vue 3 + TypeScript + Vite). `make web` installs node_modules with `npm ci` only
# when they are missing or older than package-lock.json, and rebuilds web/dist only when a source
# changed; nothing happens when both are up to date.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
  web/tsconfig.json web/env.d.ts data/geo/qinghai_counties.json data/geo/qinghai_prefectures.json

# `npm install` follows package-lock.json exactly like `npm ci` here, but tolerates a missing
# optional package: vite 8 lists the Windows-only `napi-windows-process-start-time`, which this
# registry does not serve, and `npm ci` refuses the lock file for it. The lock file is not changed.
web/node_modules/.package-lock.json: web/package.json web/package-lock.json | deps
	cd web && npm install --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

web: web/dist/index.html

# Vitest: the request module, the stores and the formatting helpers.
web-test: web/node_modules/.package-lock.json
	cd web && npx vitest run

# Browser end to end (headless Debian chromium, playwright-core) against the real server with a
# temporary demo database; screenshots land in test/e2e/screenshots/.
e2e: build web
	./test/e2e/run.sh $(BUILD)/zhenxing
