#!/usr/bin/env bash
# End-to-end test of `zhenxing workflow` (run by CTest as
# `bash workflow.sh <path-to-zhenxing> <source-dir>`): on a 3,000-household
# demo database screened for 2025, `workflow simulate --year 2025` drives a
# year of cases; the summary is plausible (cases in the main stages, some
# rejected, events stored as reported) and identical for the same seed on a
# copy of the database; `audit verify` accepts the chain and, after one
# event's reason is edited with python3's sqlite3, exits 1 naming that seq;
# a batch file with one bad row changes nothing, and the good rows alone are
# applied; list, queue, overdue and show print their tables.
set -uo pipefail

ZX="${1:?usage: workflow.sh <zhenxing> <source-dir>}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
copy_db() {
  python3 -c "import sqlite3,sys; s=sqlite3.connect(sys.argv[1]); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.close(); s.close()" "$1" "$2"
}

"$ZX" demo --db "$work/demo.db" --households 3000 >/dev/null 2>&1 || { fail "demo failed"; exit 1; }
"$ZX" screen --db "$work/demo.db" --year 2025 >/dev/null || { fail "screen failed"; exit 1; }
copy_db "$work/demo.db" "$work/copy.db"
copy_db "$work/demo.db" "$work/other.db"

out="$("$ZX" workflow simulate --db "$work/demo.db" --year 2025 --seed 7 2>&1)"
rc=$?
[ "$rc" -eq 0 ] || { fail "simulate exit code $rc: $out"; exit 1; }
echo "$out"
grep -qF "使用 2025 年筛查的监测线索" <<<"$out" || fail "summary does not name the screened year: $out"

count() {  # count <label> — the number after "<label>：" in the summary
  grep -F "  $1：" <<<"$out" | head -1 | sed 's/.*：//; s/,//g'
}
opened="$(grep -oE '立案 [0-9,]+ 件' <<<"$out" | head -1 | grep -oE '[0-9,]+' | tr -d ,)"
events="$(grep -oE '审计事件 [0-9,]+ 条' <<<"$out" | grep -oE '[0-9,]+' | tr -d ,)"
[ "${opened:-0}" -ge 50 ] || fail "only ${opened:-0} cases opened"
[ "${events:-0}" -gt $((opened * 8)) ] || fail "only ${events:-0} events for $opened cases"
for label in 监测帮扶中 不予纳入 已消除风险; do
  n="$(count "$label")"
  [ "${n:-0}" -gt 0 ] || fail "no case in stage $label"
done
monitored="$(count 监测帮扶中)"
rejected="$(count 不予纳入)"
[ "$rejected" -lt "$monitored" ] || fail "more rejected ($rejected) than monitored ($monitored)"
total=0
while read -r n; do total=$((total + n)); done < <(grep -E '^  .+：[0-9,]+$' <<<"$out" | sed 's/.*：//; s/,//g')
[ "$total" -eq "$opened" ] || fail "stage counts sum to $total, $opened opened"
stored_events="$(sqlite3 "$work/demo.db" "SELECT count(*) FROM case_events")"
[ "$stored_events" -eq "$events" ] || fail "stored events $stored_events, summary says $events"
within="$(grep -oE '（[0-9.]+%）' <<<"$out" | head -1 | tr -dc '0-9.')"
python3 -c "import sys; v=float(sys.argv[1]); sys.exit(0 if 70 <= v < 100 else 1)" "${within:-0}" ||
  fail "share decided within 15 days is ${within:-?}%"

# Deterministic for a seed: the same summary (except the time taken) on a copy.
again="$("$ZX" workflow simulate --db "$work/copy.db" --year 2025 --seed 7 2>&1)"
[ "$(grep -v '^用时' <<<"$out" | sed "s|$work/demo.db|DB|")" = "$(grep -v '^用时' <<<"$again" | sed "s|$work/copy.db|DB|")" ] ||
  fail "same seed gave a different summary"
[ "$(sqlite3 "$work/demo.db" "SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1")" = \
  "$(sqlite3 "$work/copy.db" "SELECT hash FROM case_events ORDER BY seq DESC LIMIT 1")" ] ||
  fail "same seed gave a different event chain"
other="$("$ZX" workflow simulate --db "$work/other.db" --year 2025 --seed 8 2>&1)"
[ "$(grep -v '^用时' <<<"$out" | sed "s|$work/demo.db|DB|;s|种子 7|种子|")" != \
  "$(grep -v '^用时' <<<"$other" | sed "s|$work/other.db|DB|;s|种子 8|种子|")" ] || fail "seeds 7 and 8 gave the same year"

# Tables.
list="$("$ZX" workflow list --db "$work/demo.db" --stage monitored --limit 5)" || fail "workflow list failed"
grep -qF "监测帮扶中" <<<"$list" || fail "list lacks monitored cases: $list"
overdue="$("$ZX" workflow overdue --db "$work/demo.db")" || fail "workflow overdue failed"
grep -qF "按县" <<<"$overdue" || fail "overdue output: $overdue"
first_id="$(sed -n 3p <<<"$list" | cut -f1)"
show="$("$ZX" workflow show --db "$work/demo.db" --id "$first_id")" || fail "workflow show failed"
grep -qF "县级审定" <<<"$show" || fail "show lacks the approval event: $show"

# The audit chain verifies, and an edited event is found.
if "$ZX" audit verify --db "$work/copy.db" >"$work/verify.txt" 2>&1; then :; else
  fail "audit verify on an untouched chain: $(cat "$work/verify.txt")"
fi
python3 - "$work/copy.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE case_events SET reason = '被篡改的理由' WHERE seq = 42")
db.commit()
EOF
"$ZX" audit verify --db "$work/copy.db" >"$work/verify.txt" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "audit verify after tampering: exit code $rc"
grep -qE '(^|[^0-9])42([^0-9]|$)' "$work/verify.txt" || fail "audit verify does not name seq 42: $(cat "$work/verify.txt")"

# Open cases for the leads whose households have no open case (those whose
# case closed during the simulated year); a second run opens nothing.
opened_out="$("$ZX" workflow open --db "$work/demo.db" --from-leads --year 2025)" || fail "workflow open failed"
reopened="$(grep -oE '新立案 [0-9,]+ 件' <<<"$opened_out" | grep -oE '[0-9,]+' | tr -d ,)"
[ "${reopened:-0}" -gt 0 ] || fail "workflow open opened nothing: $opened_out"
again_out="$("$ZX" workflow open --db "$work/demo.db" --from-leads --year 2025)"
grep -qF "新立案 0 件" <<<"$again_out" || fail "second workflow open: $again_out"

# Batch act: one bad row and nothing changes.
target="$("$ZX" workflow list --db "$work/demo.db" --stage verification --limit 1 | sed -n 3p)"
if [ -z "$target" ]; then
  fail "no case in verification to act on"
else
  case_id="$(cut -f1 <<<"$target")"
  village="$(cut -f3 <<<"$target")"
  version="$(cut -f6 <<<"$target")"
  before="$(sqlite3 "$work/demo.db" "SELECT count(*) FROM case_events")"
  printf 'case_id,action,expected_version,reason,authorization_signed,note\n%s,verify,%s,,是,已入户核实\n%s,approve,%s,,,\n' \
    "$case_id" "$version" "$case_id" "$((version + 1))" >"$work/bad.csv"
  err="$("$ZX" workflow act --db "$work/demo.db" --file "$work/bad.csv" --as village --user cun01 --division "$village" 2>&1)"
  rc=$?
  [ "$rc" -eq 1 ] || fail "bad batch: exit code $rc ($err)"
  grep -qF "第 3 行" <<<"$err" || fail "bad batch message does not name row 3: $err"
  [ "$(sqlite3 "$work/demo.db" "SELECT count(*) FROM case_events")" -eq "$before" ] || fail "bad batch changed the log"
  printf 'case_id,action,expected_version,reason,authorization_signed,note\n%s,verify,%s,,是,已入户核实\n%s,verify,%s,,abc,\n' \
    "$case_id" "$version" "$case_id" "$version" >"$work/badcell.csv"
  err="$("$ZX" workflow act --db "$work/demo.db" --file "$work/badcell.csv" --as village --user cun01 --division "$village" 2>&1)"
  grep -qF "第 3 行「authorization_signed」列" <<<"$err" || fail "bad cell message: $err"
  err="$("$ZX" workflow act --db "$work/demo.db" --file "$work/bad.csv" --as county --user xian01 --division "${village:0:6}000000" 2>&1)"
  grep -qF "村级用户" <<<"$err" || fail "wrong-role batch message does not name the role needed: $err"
  head -2 "$work/bad.csv" >"$work/good.csv"
  "$ZX" workflow act --db "$work/demo.db" --file "$work/good.csv" --as village --user cun01 --division "$village" >/dev/null ||
    fail "good batch failed"
  [ "$(sqlite3 "$work/demo.db" "SELECT count(*) FROM case_events")" -eq $((before + 1)) ] || fail "good batch stored no event"
  [ "$(sqlite3 "$work/demo.db" "SELECT actor FROM case_events ORDER BY seq DESC LIMIT 1")" = "cun01" ] ||
    fail "the batch event does not name its actor"
  # The same file again: the version is stale now.
  err="$("$ZX" workflow act --db "$work/demo.db" --file "$work/good.csv" --as village --user cun01 --division "$village" 2>&1)"
  grep -qF "expected_version" <<<"$err" || fail "stale version not reported on its column: $err"
  queue="$("$ZX" workflow queue --db "$work/demo.db" --as county --division "${village:0:6}000000")" || fail "queue failed"
  grep -qF "待办" <<<"$queue" || fail "queue output: $queue"
fi
"$ZX" audit verify --db "$work/demo.db" >/dev/null 2>&1 || fail "audit verify after the batch"

err="$("$ZX" workflow simulate --db "$work/absent.db" --year 2025 2>&1)"
[ $? -ne 0 ] || fail "simulate on a missing database succeeded"
grep -qF "不存在" <<<"$err" || fail "missing database message: $err"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "workflow.sh: all checks passed"
