#!/usr/bin/env bash
# End-to-end test of `zhenxing id check` (run by CTest as
# `bash id_check.sh <path-to-zhenxing> <source-dir>`). Fails on any wrong
# output line, field or exit status.
set -uo pipefail

ZX="${1:?usage: id_check.sh <zhenxing> <source-dir>}"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run ARGS... : sets $out and $rc.
run() {
  out="$("$ZX" id check "$@" 2>/tmp/zx_id_check_stderr.$$)"
  rc=$?
}

# expect_line LINE : the exact tab-separated line must appear in $out.
expect_line() {
  if ! grep -qxF -- "$1" <<<"$out"; then
    fail "expected line: $1"
    printf '  got:\n%s\n' "$out" >&2
  fi
}

expect_rc() {
  if [ "$rc" -ne "$1" ]; then fail "expected exit status $1, got $rc (args: $2)"; fi
}

TAB=$'\t'

# 1. GB 11643 worked example, female, born 1949-12-31.
run 11010519491231002X
expect_rc 0 "female example"
expect_line "11010519491231002X${TAB}有效${TAB}11010519491231002X${TAB}1949-12-31${TAB}女${TAB}北京市（区县未核对）${TAB}-"

# 2. GB 11643 worked example, male, born 1880-01-01.
run 440524188001010014
expect_rc 0 "male example"
expect_line "440524188001010014${TAB}有效${TAB}440524188001010014${TAB}1880-01-01${TAB}男${TAB}广东省（区县未核对）${TAB}-"

# 3. Wrong check character: invalid, exit status 1.
run 110105194912310021
expect_rc 1 "bad checksum"
if ! grep -q "^110105194912310021${TAB}无效${TAB}.*校验位" <<<"$out"; then fail "bad checksum not reported: $out"; fi

# 4. Legacy 15-digit ID with a historical Qinghai address code (632121 平安县).
run 632121800101001
expect_rc 0 "15-digit upgrade"
expect_line "632121800101001${TAB}有效${TAB}63212119800101001X${TAB}1980-01-01${TAB}男${TAB}青海省 平安县（现 平安区）${TAB}由15位号码升级"

# 5. Full-width digits, lowercase full-width x and an ideographic space.
run "１１０１０５１９４９１２３１　００２ｘ"
expect_rc 0 "full-width"
expect_line "１１０１０５１９４９１２３１　００２ｘ${TAB}有效${TAB}11010519491231002X${TAB}1949-12-31${TAB}女${TAB}北京市（区县未核对）${TAB}-"

# 6. A current Qinghai code gets its full division name.
run 630102199003071231
expect_rc 0 "Qinghai current code"
expect_line "630102199003071231${TAB}有效${TAB}630102199003071231${TAB}1990-03-07${TAB}男${TAB}青海省 西宁市 城东区${TAB}-"

# 7. An unknown Qinghai address code with a correct check character is invalid.
run 630199199003071230
expect_rc 1 "unknown Qinghai code"
if ! grep -q "^630199199003071230${TAB}无效${TAB}.*地址码" <<<"$out"; then fail "unknown address not reported: $out"; fi

# 8. One invalid ID among valid ones: every line printed, exit status 1.
run 11010519491231002X 12345 440524188001010014
expect_rc 1 "mixed"
if [ "$(wc -l <<<"$out")" -ne 3 ]; then fail "expected 3 lines for 3 IDs, got: $out"; fi
if ! grep -q "^12345${TAB}无效${TAB}.*位数" <<<"$out"; then fail "bad length not reported: $out"; fi

# 9. JSON output: one array, one object per ID, machine-readable fields.
run --json 632121800101001 110105194912310021
expect_rc 1 "json"
if command -v python3 >/dev/null 2>&1; then
  if ! python3 - "$out" <<'EOF'
import json, sys
data = json.loads(sys.argv[1])
assert isinstance(data, list) and len(data) == 2, data
ok, bad = data
assert ok["valid"] is True and ok["normalized"] == "63212119800101001X", ok
assert ok["upgraded"] is True and ok["birth_date"] == "1980-01-01" and ok["sex"] == "男", ok
assert ok["address_code"] == "632121" and "平安" in ok["division"], ok
assert bad["valid"] is False and bad["error"] == "bad_checksum" and bad["message"], bad
EOF
  then fail "JSON output wrong: $out"; fi
else
  grep -q '"normalized": "63212119800101001X"' <<<"$out" || fail "JSON normalized missing: $out"
  grep -q '"error": "bad_checksum"' <<<"$out" || fail "JSON error kind missing: $out"
fi

# 10. No ID at all is a usage error (non-zero exit).
"$ZX" id check >/dev/null 2>&1 && fail "id check without arguments should fail"

rm -f /tmp/zx_id_check_stderr.$$
if [ "$failures" -ne 0 ]; then
  echo "id_check.sh: $failures failure(s)" >&2
  exit 1
fi
echo "id_check.sh: all checks passed"
