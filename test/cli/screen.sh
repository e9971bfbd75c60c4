#!/usr/bin/env bash
# End-to-end test of `zhenxing screen` (run by CTest as
# `bash screen.sh <path-to-zhenxing> <source-dir>`): on a 2,000-household demo
# database, screening 2022 succeeds, prints the Chinese summary, writes CSV and
# XLSX leads with the documented header and well-formed rows; --division
# narrows the leads; a broken rule file is refused with line and column; a
# year without policy and a missing database are errors.
set -uo pipefail

ZX="${1:?usage: screen.sh <zhenxing> <source-dir>}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

err="$("$ZX" screen --db "$work/absent.db" --year 2022 2>&1 >/dev/null)"
[ $? -ne 0 ] || fail "screen on a missing database succeeded"
grep -qF "不存在" <<<"$err" || fail "missing database message: $err"
[ ! -e "$work/absent.db" ] || fail "screen created the database"

"$ZX" demo --db "$work/demo.db" --households 2000 >/dev/null 2>&1 || { fail "demo failed"; exit 1; }

out="$("$ZX" screen --db "$work/demo.db" --year 2022 --out "$work/leads.csv")"
rc=$?
[ "$rc" -eq 0 ] || fail "screen exit code $rc"
grep -qF "筛查农户 2,000 户" <<<"$out" || fail "summary lacks the household count: $out"
grep -qF "监测范围：家庭年人均纯收入 6,700 元" <<<"$out" || fail "summary lacks the 2022 line: $out"
for type in 100A03001 100A03002 100A03003; do
  grep -qF "$type" <<<"$out" || fail "summary lacks monitoring type $type"
done

header="$(head -1 "$work/leads.csv" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')"
[ "$header" = "户编号,所在村代码,监测类型代码,监测类型,风险类型代码,家庭人均纯收入（元）,说明" ] ||
  fail "unexpected header: $header"
leads=$(($(wc -l <"$work/leads.csv") - 1))
[ "$leads" -gt 10 ] || fail "only $leads leads from 2,000 households"
grep -qF "监测线索 $leads 户" <<<"$out" || fail "summary count differs from the $leads rows written"
# Every row: 16-digit household number, 12-digit village code, a known type, 1-5 risk codes.
bad="$(tail -n +2 "$work/leads.csv" | tr -d '\r' | grep -cvE '^[0-9]{16},[0-9]{12},100A0300[123],[^,]+,[0-9]{2,4}(;[0-9]{2,4}){0,4},[0-9]+\.[0-9]{2},".+"$')"
[ "$bad" -eq 0 ] || fail "$bad malformed lead rows"

"$ZX" screen --db "$work/demo.db" --year 2022 --out "$work/leads.xlsx" >/dev/null || fail "xlsx output failed"
[ -s "$work/leads.xlsx" ] || fail "no xlsx written"

# --division: the first lead's county only.
county="$(sed -n 2p "$work/leads.csv" | cut -d, -f2 | cut -c1-6)"
"$ZX" screen --db "$work/demo.db" --year 2022 --division "${county}000000" --out "$work/county.csv" >/dev/null ||
  fail "screen --division failed"
county_leads=$(($(wc -l <"$work/county.csv") - 1))
[ "$county_leads" -ge 1 ] && [ "$county_leads" -le "$leads" ] || fail "county leads $county_leads of $leads"
others="$(tail -n +2 "$work/county.csv" | cut -d, -f2 | grep -vc "^$county" || true)"
[ "$others" -eq 0 ] || fail "--division leaked $others leads of other counties"

# Leads are stored: the whole-province run holds as many as the file; the
# county re-run replaced only that county's (same count, because the rules and
# data did not change); --no-store writes nothing.
stored="$(sqlite3 "$work/demo.db" "SELECT count(*) FROM leads WHERE year = 2022")"
[ "$stored" -eq "$leads" ] || fail "stored leads $stored, file has $leads"
stored_county="$(sqlite3 "$work/demo.db" "SELECT count(*) FROM leads WHERE year = 2022 AND village_code / 1000000 = $county")"
[ "$stored_county" -eq "$county_leads" ] || fail "stored county leads $stored_county, file has $county_leads"
runs_before="$(sqlite3 "$work/demo.db" "SELECT count(*) FROM screening_runs")"
"$ZX" screen --db "$work/demo.db" --year 2023 --no-store >/dev/null || fail "screen --no-store failed"
[ "$(sqlite3 "$work/demo.db" "SELECT count(*) FROM screening_runs")" -eq "$runs_before" ] ||
  fail "--no-store recorded a run"
[ "$(sqlite3 "$work/demo.db" "SELECT count(*) FROM leads WHERE year = 2023")" -eq 0 ] || fail "--no-store stored leads"

# A broken rule file: exit 1, line and column, no output file.
cp "$2/data/rules/qinghai.rules" "$work/broken.rules"
printf '\nrule X "坏规则" risk "01" {\n  when no_such_field > 1\n  explain "x"\n}\n' >>"$work/broken.rules"
line=$(($(wc -l <"$work/broken.rules") - 2))
err="$("$ZX" screen --db "$work/demo.db" --year 2022 --rules "$work/broken.rules" --out "$work/broken.csv" 2>&1)"
rc=$?
[ "$rc" -eq 1 ] || fail "broken rules: exit code $rc"
grep -qF "第 $line 行第 8 列" <<<"$err" || fail "broken rules message lacks line/column: $err"
[ ! -e "$work/broken.csv" ] || fail "broken rules still wrote leads"

err="$("$ZX" screen --db "$work/demo.db" --year 1999 2>&1)"
[ $? -ne 0 ] || fail "screen of a year without policy succeeded"
grep -qF "1999" <<<"$err" || fail "unknown year message: $err"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "screen.sh: all checks passed"
