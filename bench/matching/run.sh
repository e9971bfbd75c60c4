#!/usr/bin/env bash
# Department-feed benchmark (issue 4 §6): 5,000,000 medical-claim rows against the 2.5-million-person
# registry — read, normalise, link by ID (15 → 18 upgrade included), sum the 12-month out-of-pocket
# per person, raise threshold signals — in zhenxing, in DuckDB (npm @duckdb/node-api) and in
# PostgreSQL 15, all from the same two files (the registry exported to CSV once, and the medical CSV),
# checking that the signal sets agree (person ID, kind, amount in fen) and printing median times,
# ratios and peak memory.
#
#   make build && bench/matching/run.sh                 # 600,000 households, 5 M rows, 3 interleaved runs
#   HOUSEHOLDS=20000 ROWS=200000 REPEAT=1 bench/matching/run.sh
#   WORK=/tmp/zxperf bench/matching/run.sh              # reuse province.db, medical.csv, registry.csv there
#   SKIP_PG=1 bench/matching/run.sh                     # without PostgreSQL
#
# What is compared: the SQL baselines link by ID only (no checksum repair, no probabilistic linking),
# so zhenxing runs the same job with `compare --id-only --no-store`; its full run (repair and
# Fellegi–Sunter linking too) and the full run with storage are timed and reported separately.
# The registry is loaded into each engine once (zhenxing: its database and the person-index
# snapshot; DuckDB: a database file; PostgreSQL: a table with a primary key) and that load is
# reported apart; DuckDB is also timed reading the registry CSV inside the job ("from the CSVs").
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ZX_SOURCE=${ZX:-$ROOT/build/zhenxing}
WORK=${WORK:-/tmp/zx-bench-matching}
HOUSEHOLDS=${HOUSEHOLDS:-600000}
ROWS=${ROWS:-5000000}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2024-12-31}
REPEAT=${REPEAT:-3}
POLICY=${POLICY:-$ROOT/data/policy/qinghai.toml}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55441}
SKIP_PG=${SKIP_PG:-0}
SKIP_STORE=${SKIP_STORE:-0}
DB=${DB:-$WORK/province.db}
MEDICAL=${MEDICAL:-$WORK/medical.csv}
REGISTRY_CSV=${REGISTRY_CSV:-$WORK/registry.csv}
mkdir -p "$WORK"
rm -f "$WORK"/*.runs

for tool in "$ZX_SOURCE" node npm python3 sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool（先 make build；scripts/install-deps.sh 安装依赖）"; exit 1; }
done
if [ "$SKIP_PG" != 1 ] && [ ! -x "$PG_BIN/initdb" ]; then
  echo "缺少 PostgreSQL 15（$PG_BIN/initdb）：运行 scripts/install-deps.sh，或 SKIP_PG=1 跳过"; exit 1
fi
ZX=$WORK/zhenxing
cp "$ZX_SOURCE" "$ZX"   # a private copy: a rebuild during the run cannot change it
if [ ! -d "$HERE/node_modules/@duckdb/node-api" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund >/dev/null)
fi

echo "工作目录 work dir: $WORK   registry: $DB   medical: $MEDICAL   as of: $AS_OF   repeat: $REPEAT"
echo "机器 machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share the cores: expect noise)"

# measure NAME CMD...: stdout to $WORK/NAME.out; "seconds KiB" appended to $WORK/NAME.runs.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "FAILED: $name: $*"; tail -20 "$WORK/$name.err"; exit 1; }
  cat "$WORK/$name.time" >>"$WORK/$name.runs"
}
# median NAME → "median_seconds max_MiB all_seconds"
median() {
  sort -n -k1,1 "$WORK/$1.runs" | awk '{ s[NR] = $1; if ($2 > m) m = $2 }
    END { med = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2; all = s[1];
          for (i = 2; i <= NR; ++i) all = all "/" s[i]; printf "%.2f %.0f %s\n", med, m / 1024, all }'
}
say() { printf '%-58s %s\n' "$1" "$2"; }

# ---------------------------------------------------------------------------------------------
# Inputs (made once; kept in $WORK for reuse).
if [ ! -s "$DB" ]; then
  measure demo "$ZX" demo --db "$DB" --households "$HOUSEHOLDS" --seed "$SEED"
  say "zhenxing demo --households $HOUSEHOLDS" "$(median demo)"
fi
if [ ! -s "$MEDICAL" ]; then
  measure synth "$ZX" feed synth --db "$DB" --feed medical --rows "$ROWS" --seed "$SEED" --out "$MEDICAL" \
    --truth "$WORK/truth.csv"
  say "zhenxing feed synth --rows $ROWS" "$(median synth)"
fi
if [ ! -s "$REGISTRY_CSV" ]; then
  measure export "$ZX" export households --db "$DB" --out "$REGISTRY_CSV"
  say "zhenxing export households (registry CSV)" "$(median export)"
fi
echo "inputs: $(wc -l <"$MEDICAL") medical lines ($(du -h "$MEDICAL" | cut -f1)), $(wc -l <"$REGISTRY_CSV") registry lines ($(du -h "$REGISTRY_CSV" | cut -f1))"

# Policy constants of the as-of year (fen), as zhenxing computes them.
eval "$(python3 "$ROOT/bench/screening/policy_params.py" "$POLICY" "${AS_OF:0:4}")"
echo "thresholds: ex-poor ${OOP_MONITORED} fen, others ${OOP_OTHERS} fen (policy year ${AS_OF:0:4})"

# A stored upload of the medical file is deleted before each stored run (re-running the same file
# changes nothing by design); the registry and its snapshot are untouched.
forget_upload() {
  sqlite3 "$DB" "PRAGMA foreign_keys = ON; DELETE FROM feed_uploads WHERE feed = 'medical';"
}

# ---------------------------------------------------------------------------------------------
# Registry loads (once, not in the ratios).
# zhenxing: the first compare after a registry change builds the person-index snapshot.
sqlite3 "$DB" "DELETE FROM column_snapshots WHERE key LIKE 'matching.%';"
measure zx_cold "$ZX" compare --db "$DB" --feed medical --file "$MEDICAL" --as-of "$AS_OF" --no-store --id-only
say "zhenxing first run (person index read row by row, snapshot saved)" "$(median zx_cold)"
measure duck_load node "$HERE/duckdb.mjs" load "$REGISTRY_CSV" "$WORK/registry.duckdb.tmp"
mv -f "$WORK/registry.duckdb.tmp" "$WORK/registry.duckdb"
say "DuckDB load: registry CSV → persons table" "$(median duck_load)"

csv_columns() {  # FILE → column list "col1" text, ... from the header
  python3 - "$1" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    header = next(csv.reader(f))
print(", ".join('"%s" text' % h.replace('"', '""') for h in header))
PY
}

PSQL=()
if [ "$SKIP_PG" != 1 ]; then
  PGROOT=$(mktemp -d /tmp/zx-bench-pg.XXXXXX)
  chmod 755 "$PGROOT"
  AS_PG=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PGROOT"
    AS_PG=(runuser -u postgres --)
  fi
  stop_pg() {
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGROOT"
  }
  trap stop_pg EXIT
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --no-locale \
    >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; exit 1; }
  # The same throwaway settings as bench/screening/run.sh.
  cat >>"$PGROOT/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$PGROOT'
port = $PG_PORT
shared_buffers = 1GB
work_mem = 256MB
maintenance_work_mem = 512MB
max_parallel_workers_per_gather = 2
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
jit = off
EOF
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w start >/dev/null
  export PGOPTIONS="-c client_min_messages=warning"
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$PGROOT" -p "$PG_PORT" -U postgres)
  echo "$("${PSQL[@]}" -d postgres -tAc 'SELECT version()' | cut -d, -f1); shared_buffers 1GB, work_mem 256MB, 2 parallel workers, jit off"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS zx_matching" -c "CREATE DATABASE zx_matching"
  # The files must be readable by the server (user postgres).
  chmod o+rx "$WORK" 2>/dev/null || true
  measure pg_load "${PSQL[@]}" -d zx_matching -1 \
    -c "CREATE UNLOGGED TABLE registry_raw ($(csv_columns "$REGISTRY_CSV"))" \
    -c "COPY registry_raw FROM '$REGISTRY_CSV' WITH (FORMAT csv, HEADER true)" \
    -c "CREATE TABLE persons AS SELECT \"证件号码\" AS id_number, \"户类型\" = '脱贫户' AS ex_poor FROM registry_raw" \
    -c "ALTER TABLE persons ADD PRIMARY KEY (id_number)" \
    -c "DROP TABLE registry_raw" -f "$HERE/pg_functions.sql"
  "${PSQL[@]}" -d zx_matching -c "VACUUM ANALYZE persons"
  say "PostgreSQL load: registry CSV → persons (primary key)" "$(median pg_load)"
fi
MEDICAL_COLUMNS=$(csv_columns "$MEDICAL")

# ---------------------------------------------------------------------------------------------
# The timed job, engines interleaved.
for run in $(seq "$REPEAT"); do
  measure zx "$ZX" compare --db "$DB" --feed medical --file "$MEDICAL" --as-of "$AS_OF" --no-store --id-only \
    --alerts-out "$WORK/zx_alerts.csv"
  measure duck node "$HERE/duckdb.mjs" job "$WORK/registry.duckdb" "$MEDICAL" "$AS_OF" "$OOP_MONITORED" \
    "$OOP_OTHERS" "$WORK/duckdb_signals.csv"
  measure duck_csv node "$HERE/duckdb.mjs" job-csv "$REGISTRY_CSV" "$MEDICAL" "$AS_OF" "$OOP_MONITORED" \
    "$OOP_OTHERS" "$WORK/duckdb_csv_signals.csv"
  if [ "$SKIP_PG" != 1 ]; then
    measure pg "${PSQL[@]}" -d zx_matching -v medical_csv="$MEDICAL" -v as_of="$AS_OF" \
      -v oop_monitored="$OOP_MONITORED" -v oop_others="$OOP_OTHERS" \
      -c "DROP TABLE IF EXISTS claims" -c "CREATE UNLOGGED TABLE claims ($MEDICAL_COLUMNS)" \
      -f "$HERE/pg_job.sql" -c "\\o $WORK/pg_hwm.txt" \
      -c "SELECT substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\\s*(\\d+)')"
    cp "$WORK/pg.out" "$WORK/pg_signals.csv"
    echo "$(cat "$WORK/pg_hwm.txt" | tr -dc '0-9')" >>"$WORK/pg_hwm.runs"
  fi
  # zhenxing's full linking (repair, Fellegi–Sunter), without and with storage.
  measure zx_full "$ZX" compare --db "$DB" --feed medical --file "$MEDICAL" --as-of "$AS_OF" --no-store
  if [ "$SKIP_STORE" != 1 ]; then
    forget_upload
    measure zx_store "$ZX" compare --db "$DB" --feed medical --file "$MEDICAL" --as-of "$AS_OF"
    measure zx_rerun "$ZX" compare --db "$DB" --feed medical --file "$MEDICAL" --as-of "$AS_OF"
    grep -q "本次未做任何更改" "$WORK/zx_rerun.out" || { echo "FAILED: the rerun changed something"; exit 1; }
  fi
done

# ---------------------------------------------------------------------------------------------
echo
agree=(zhenxing="$WORK/zx_alerts.csv" duckdb="$WORK/duckdb_signals.csv" duckdb_from_csv="$WORK/duckdb_csv_signals.csv")
[ "$SKIP_PG" = 1 ] || agree+=(postgresql="$WORK/pg_signals.csv")
python3 "$HERE/agree.py" "${agree[@]}"
grep -E "^  (exact|upgraded|repaired|probabilistic|unmatched)|^用时|拒绝" "$WORK/zx.out" | sed 's/^/  zhenxing --id-only: /'
grep -E "^  (exact|upgraded|repaired|probabilistic|unmatched)|^用时" "$WORK/zx_full.out" | sed 's/^/  zhenxing full: /'
[ "$SKIP_STORE" = 1 ] || grep -E "^用时" "$WORK/zx_store.out" | sed 's/^/  zhenxing stored: /'

echo
echo "median of $REPEAT (seconds, peak RSS MiB, all runs)"
read -r zx_s zx_m zx_all < <(median zx)
read -r duck_s duck_m duck_all < <(median duck)
read -r duckc_s duckc_m duckc_all < <(median duck_csv)
say "zhenxing compare --id-only --no-store (the same job)" "$zx_s s  $zx_m MiB  ($zx_all)"
say "DuckDB (registry in its database)" "$duck_s s  $duck_m MiB  ($duck_all)"
say "DuckDB (registry read from its CSV in the job)" "$duckc_s s  $duckc_m MiB  ($duckc_all)"
if [ "$SKIP_PG" != 1 ]; then
  read -r pg_s pg_m pg_all < <(median pg)
  pg_hwm=$(sort -n "$WORK/pg_hwm.runs" | tail -1)
  say "PostgreSQL 15 (COPY + query; RSS = backend VmHWM)" "$pg_s s  $((pg_hwm / 1024)) MiB  ($pg_all)"
fi
read -r full_s full_m full_all < <(median zx_full)
say "zhenxing compare --no-store (full linking)" "$full_s s  $full_m MiB  ($full_all)"
if [ "$SKIP_STORE" != 1 ]; then
  read -r store_s store_m store_all < <(median zx_store)
  read -r rerun_s rerun_m rerun_all < <(median zx_rerun)
  say "zhenxing compare (full linking, stored)" "$store_s s  $store_m MiB  ($store_all)"
  say "zhenxing compare again (same file: nothing changes)" "$rerun_s s  $rerun_m MiB  ($rerun_all)"
fi
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
say "ratio DuckDB / zhenxing" "$(ratio "$duck_s" "$zx_s") (target ≥ 2)"
say "ratio DuckDB from CSVs / zhenxing" "$(ratio "$duckc_s" "$zx_s")"
[ "$SKIP_PG" = 1 ] || say "ratio PostgreSQL / zhenxing" "$(ratio "$pg_s" "$zx_s") (target ≥ 10)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
