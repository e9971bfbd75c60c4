#!/usr/bin/env bash
# CLI end to end for `zhenxing import` / `zhenxing export` (households).
# Usage: bash import_export.sh <zhenxing> <source-dir>
# Checks exit codes, that a bad file imports nothing and leaves an error
# report, that importing twice and export → import change nothing, and that
# GBK and .xlsx files import like the UTF-8 CSV.
set -euo pipefail

ZX="$1"
SRC="$2"
DATA="$SRC/test/data/import"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Unknown entity and unsupported extension: exit 1, nothing created.
if "$ZX" import --db "$WORK/a.db" persons "$DATA/good.csv" 2>"$WORK/err"; then fail "entity persons accepted"; fi
grep -q "households" "$WORK/err" || fail "entity message"
if "$ZX" import --db "$WORK/a.db" households "$DATA/good.txt" 2>"$WORK/err"; then fail ".txt accepted"; fi
[ ! -e "$WORK/a.db" ] || fail "database created for a refused file"

# Export needs an existing database.
if "$ZX" export --db "$WORK/none.db" households --out "$WORK/x.csv" 2>/dev/null; then fail "export without db"; fi

# Good file: three households inserted; second time all unchanged.
"$ZX" import --db "$WORK/a.db" households "$DATA/good.csv" >"$WORK/out1"
grep -q "新增 3 户，更新 0 户，未变化 0 户" "$WORK/out1" || { cat "$WORK/out1"; fail "first import counts"; }
"$ZX" import --db "$WORK/a.db" households "$DATA/good.csv" >"$WORK/out2"
grep -q "新增 0 户，更新 0 户，未变化 3 户" "$WORK/out2" || { cat "$WORK/out2"; fail "second import counts"; }
"$ZX" import --db "$WORK/a.db" households "$DATA/good_gbk.csv" >"$WORK/out3"
grep -q "未变化 3 户" "$WORK/out3" || { cat "$WORK/out3"; fail "GBK import differs from UTF-8"; }

# Export (csv and xlsx) and re-import: unchanged; the two exports agree.
"$ZX" export --db "$WORK/a.db" households --out "$WORK/all.csv" >/dev/null
"$ZX" export --db "$WORK/a.db" households --out "$WORK/all.xlsx" >/dev/null
"$ZX" export --db "$WORK/a.db" households --out "$WORK/village.csv" --division 630121100202 >/dev/null
[ "$(wc -l <"$WORK/village.csv")" -eq 4 ] || fail "division export should hold header + 3 persons"
for f in all.csv all.xlsx; do
  "$ZX" import --db "$WORK/a.db" households "$WORK/$f" >"$WORK/out4"
  grep -q "未变化 3 户" "$WORK/out4" || { cat "$WORK/out4"; fail "round trip via $f"; }
done
"$ZX" import --db "$WORK/b.db" households "$WORK/all.xlsx" >/dev/null
"$ZX" export --db "$WORK/b.db" households --out "$WORK/b.csv" >/dev/null
cmp -s "$WORK/all.csv" "$WORK/b.csv" || fail "xlsx round trip changed the data"

# A bad file: exit 1, nothing written, report next to the input.
cp "$DATA/bad_two_heads.csv" "$WORK/bad.csv"
set +e
"$ZX" import --db "$WORK/a.db" households "$WORK/bad.csv" >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "bad file exit status $rc"
grep -q "第 11 行" "$WORK/err" || { cat "$WORK/err"; fail "row not reported"; }
[ -s "$WORK/bad.错误报告.xlsx" ] || fail "default report missing"
"$ZX" export --db "$WORK/a.db" households --out "$WORK/after.csv" >/dev/null
cmp -s "$WORK/all.csv" "$WORK/after.csv" || fail "bad import changed the database"
set +e
"$ZX" import --db "$WORK/a.db" households "$DATA/bad_checksum.csv" --report "$WORK/r.xlsx" >/dev/null 2>&1
rc=$?
set -e
[ "$rc" -eq 1 ] && [ -s "$WORK/r.xlsx" ] || fail "--report not written"

# Blank templates.
"$ZX" export --template --out "$WORK/t.csv" >/dev/null
"$ZX" export --template --out "$WORK/t.xlsx" >/dev/null
head -c 3 "$WORK/t.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "template csv without BOM"
echo "import_export: OK"
