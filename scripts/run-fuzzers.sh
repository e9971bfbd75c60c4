#!/usr/bin/env bash
# Runs libFuzzer targets briefly (make fuzz-smoke) or longer (make fuzz).
#
#   scripts/run-fuzzers.sh BUILD_DIR SECONDS NAME...
#
# Each NAME runs for SECONDS on a temporary copy of test/fuzz/corpus/NAME, so
# the repository's seed corpus is never modified. A crash, leak, timeout or
# out-of-memory stops with a non-zero exit and prints where the input that
# triggered it was saved (BUILD_DIR/fuzz-artifacts/NAME/); add that file to
# test/fuzz/corpus/NAME once fixed, so it stays a regression input.
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "用法：$0 构建目录 秒数 模糊测试目标..." >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=$2
shift 2
repo_dir=$(cd "$(dirname "$0")/.." && pwd)

max_len_for() {
  case "$1" in
    fuzz_csv) echo 65536 ;;
    fuzz_xlsx) echo 131072 ;;
    fuzz_resident_id) echo 256 ;;
    *) echo 65536 ;;
  esac
}

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/zx-fuzz.XXXXXX")
trap 'rm -rf "$work_dir"' EXIT

failed=0
for name in "$@"; do
  binary=$(find "$build_dir" -type f -name "$name" -perm -u+x | head -n 1)
  if [[ -z "$binary" ]]; then
    echo "找不到模糊测试程序 $name（先运行 make fuzz-build）" >&2
    failed=1
    continue
  fi
  corpus="$work_dir/$name"
  mkdir -p "$corpus"
  if [[ -d "$repo_dir/test/fuzz/corpus/$name" ]]; then
    cp -R "$repo_dir/test/fuzz/corpus/$name/." "$corpus/"
  fi
  artifacts="$build_dir/fuzz-artifacts/$name"
  mkdir -p "$artifacts"
  log="$work_dir/$name.log"
  echo "== $name：运行 ${seconds} 秒（语料 test/fuzz/corpus/$name）"
  set +e
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$binary" -max_total_time="$seconds" -max_len="$(max_len_for "$name")" -timeout=25 -rss_limit_mb=2560 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
  status=$?
  set -e
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|Done [0-9]+ runs)" "$log" | tail -n 2 || true
  if [[ $status -ne 0 ]]; then
    failed=1
    echo "!! $name 失败（退出码 $status），日志末尾：" >&2
    tail -n 60 "$log" >&2
    crash=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -n 1 | sed 's/Test unit written to //')
    if [[ -n "$crash" ]]; then
      echo "!! 导致崩溃的输入：$crash" >&2
      echo "!! 复现：$binary $crash" >&2
    fi
  fi
done
exit $failed
