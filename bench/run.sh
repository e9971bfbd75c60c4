#!/usr/bin/env bash
# Registry benchmark (issue 2): generate, export and import the synthetic
# province, with SQLite's own `.import` of the same CSV as the baseline.
#
#   bench/run.sh                      # 600,000 households (the real rural scale)
#   HOUSEHOLDS=50000 bench/run.sh     # quicker
#
# Prints wall time and peak memory of each step, checks that zhenxing and the
# baseline loaded the same rows, and prints the ratio. Never gates CI.
set -euo pipefail
cd "$(dirname "$0")/.."
ZX=${ZX:-build/zhenxing}
HOUSEHOLDS=${HOUSEHOLDS:-600000}
SEED=${SEED:-1}
WORK=${WORK:-$(mktemp -d /tmp/zx-bench.XXXXXX)}
mkdir -p "$WORK"
echo "工作目录 work dir: $WORK   households: $HOUSEHOLDS   seed: $SEED"

# measure NAME CMD...: runs CMD, records seconds and peak RSS (MiB) in $WORK/NAME.time
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "FAILED: $name"; cat "$WORK/$name.err"; exit 1; }
  read -r secs kib <"$WORK/$name.time"
  printf '%-34s %8.2f s   peak %7.0f MiB\n' "$name" "$secs" "$((kib / 1024))"
}
secs_of() { cut -d' ' -f1 "$WORK/$1.time"; }

rm -f "$WORK"/*.db "$WORK"/*.db-wal "$WORK"/*.db-shm
measure "zhenxing demo (generate+store)" "$ZX" demo --db "$WORK/province.db" --households "$HOUSEHOLDS" --seed "$SEED"
mv "$WORK/zhenxing demo (generate+store).time" "$WORK/demo.time"
measure export_csv "$ZX" export --db "$WORK/province.db" households --out "$WORK/province.csv"
measure import_csv "$ZX" import --db "$WORK/imported.db" households "$WORK/province.csv"
measure import_csv_again "$ZX" import --db "$WORK/imported.db" households "$WORK/province.csv"
measure export_roundtrip "$ZX" export --db "$WORK/imported.db" households --out "$WORK/roundtrip.csv"

# Baseline: SQLite's own CSV import into one untyped table (no validation,
# no normalisation, no household grouping).
measure sqlite3_dot_import sqlite3 "$WORK/baseline.db" ".import --csv $WORK/province.csv persons_raw"

# Same answer? The round trip must be byte-identical, and the baseline must
# hold the same person rows and ID numbers as zhenxing's database.
if ! cmp -s "$WORK/province.csv" "$WORK/roundtrip.csv"; then
  echo "MISMATCH: export → import → export is not byte-identical"; exit 1
fi
baseline_rows=$(sqlite3 "$WORK/baseline.db" "SELECT count(*), count(DISTINCT \"证件号码\") FROM persons_raw")
# zhenxing's count comes from its own export (never from its database
# internals): every person row it holds, and the distinct IDs among them.
zx_rows=$(sqlite3 :memory: ".import --csv $WORK/roundtrip.csv t" "SELECT count(*), count(DISTINCT \"证件号码\") FROM t")
if [ "$baseline_rows" != "$zx_rows" ]; then
  echo "MISMATCH: baseline rows/IDs $baseline_rows vs zhenxing $zx_rows"; exit 1
fi
echo "检查通过 same answer: persons|distinct IDs = $zx_rows; round trip byte-identical"
awk -v zx="$(secs_of import_csv)" -v base="$(secs_of sqlite3_dot_import)" \
  'BEGIN { printf "ratio import_csv / sqlite3 .import = %.2f\n", zx / base }'
awk -v zx="$(secs_of import_csv_again)" -v base="$(secs_of sqlite3_dot_import)" \
  'BEGIN { printf "ratio import_csv_again (no-op) / sqlite3 .import = %.2f\n", zx / base }'
ls -l "$WORK/province.csv" "$WORK/province.db" | awk '{print $5, $9}'
