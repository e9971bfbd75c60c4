#!/usr/bin/env bash
# End-to-end test of `zhenxing stats` (run by CTest as
# `bash stats.sh <path-to-zhenxing> <source-dir>`): a missing database is an
# error and is not created; on a small demo database the JSON holds every
# documented key, agrees with the text summary, and --division narrows it.
set -uo pipefail

ZX="${1:?usage: stats.sh <zhenxing> <source-dir>}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Missing database: exit status 2, a Chinese message naming the file, no file created.
err="$("$ZX" stats --db "$work/absent.db" 2>&1 >/dev/null)"
rc=$?
[ "$rc" -ne 0 ] || fail "stats on a missing database succeeded"
grep -qF "$work/absent.db" <<<"$err" || fail "message does not name the file: $err"
grep -qF "不存在" <<<"$err" || fail "message is not the Chinese not-found message: $err"
[ ! -e "$work/absent.db" ] || fail "stats created the database"

"$ZX" demo --db "$work/demo.db" --households 400 --seed 3 >/dev/null 2>&1 || { fail "demo failed"; exit 1; }

json="$("$ZX" stats --db "$work/demo.db" --json)" || fail "stats --json failed"
for key in prefectures counties townships villages households persons ex_poor_households ex_poor_persons \
           below_line_households monitoring_lines; do
  grep -q "\"$key\":" <<<"$json" || fail "JSON lacks key $key"
done
grep -q '"households": 400,' <<<"$json" || fail "JSON households is not 400"
grep -q '"prefectures": 8,' <<<"$json" || fail "JSON prefectures is not 8"
grep -q '"villages": 4716,' <<<"$json" || fail "JSON villages is not 4716"
grep -q '"2021": 6000\|"line_yuan": 6000,' <<<"$json" || fail "JSON lacks the 2021 line"
grep -q '"example": true' <<<"$json" || fail "JSON does not flag example lines"

text="$("$ZX" stats --db "$work/demo.db")" || fail "stats failed"
grep -qF "农户：400 户" <<<"$text" || fail "text summary lacks the household count: $text"
grep -qF "示例值" <<<"$text" || fail "text summary does not label example lines"

# A county scope: fewer households, exactly one county, no prefecture.
county="$("$ZX" stats --db "$work/demo.db" --json --division 630121000000)" || fail "stats --division failed"
grep -q '"counties": 1,' <<<"$county" || fail "county scope does not count one county"
grep -q '"prefectures": 0,' <<<"$county" || fail "county scope counts prefectures"
households="$(grep -o '"households": [0-9]*' <<<"$county" | grep -o '[0-9]*$')"
[ -n "$households" ] && [ "$households" -lt 400 ] || fail "county scope did not narrow households ($households)"

"$ZX" stats --db "$work/demo.db" --division 639999999999 >/dev/null 2>&1
[ $? -eq 1 ] || fail "unknown division is not a usage error (exit 1)"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "stats: all checks passed"
