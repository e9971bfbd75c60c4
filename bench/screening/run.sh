#!/usr/bin/env bash
# Screening benchmark (issue 3 item 6): `zhenxing screen` over the synthetic province against the
# same shipped rules written as SQL, run by SQLite (on zhenxing's own database file, read-only)
# and by PostgreSQL 15 (a throwaway local cluster loaded from CSV exports of the same tables).
#
#   bench/screening/run.sh                          # 600,000 households, seed 1, year 2025
#   HOUSEHOLDS=50000 bench/screening/run.sh         # quicker
#   DB=/tmp/province.db bench/screening/run.sh      # reuse a database (generated there if missing)
#   YEARS="2022 2025" REPEAT=1 bench/screening/run.sh
#   SKIP_PG=1 bench/screening/run.sh                # zhenxing and SQLite only
#   EDGE_HOUSEHOLDS=0 bench/screening/run.sh        # skip the edge-case agreement pass
#
# Each engine runs REPEAT times per year: best wall time reported, peak RSS the largest seen.
# Before timing, an edge-case pass (edge_cases.sql on a copy of a small generated database:
# deceased heads, empty households, missing income years, values exactly at every threshold,
# more than 5 risks) checks agreement where the synthetic province has no examples. Agreement of
# all three engines household by household (compare.py) is required; a time never is.
# Not part of CI. Needs: build/zhenxing, sqlite3, python3 ≥ 3.11, PostgreSQL 15 from Debian
# (/usr/lib/postgresql/15/bin; scripts/install-deps.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/../.."
HERE=bench/screening
ZX_SOURCE=${ZX:-build/zhenxing}
HOUSEHOLDS=${HOUSEHOLDS:-600000}
SEED=${SEED:-1}
YEARS=${YEARS:-2025}
REPEAT=${REPEAT:-3}
EDGE_HOUSEHOLDS=${EDGE_HOUSEHOLDS:-20000}
POLICY=${POLICY:-data/policy/qinghai.toml}
RULES=${RULES:-data/rules/qinghai.rules}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55439}   # only names the Unix socket in our own directory; no TCP listener
SKIP_PG=${SKIP_PG:-0}
KEEP_PG=${KEEP_PG:-0}       # 1: leave the cluster running (how to reach and stop it is printed)
PG_JIT=${PG_JIT:-off}       # on: PostgreSQL's default; at province scale it spends ~6 s compiling
WORK=${WORK:-$(mktemp -d /tmp/zx-bench-screening.XXXXXX)}
mkdir -p "$WORK"
DB=${DB:-$WORK/province.db}
rm -f "$WORK"/*.runs

for tool in "$ZX_SOURCE" sqlite3 python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool（先 make build；scripts/install-deps.sh 安装依赖）"; exit 1; }
done
if [ "$SKIP_PG" != 1 ] && [ ! -x "$PG_BIN/initdb" ]; then
  echo "缺少 PostgreSQL 15（$PG_BIN/initdb）：运行 scripts/install-deps.sh，或 SKIP_PG=1 跳过"; exit 1
fi
# The SQL implements a fixed list of rules: refuse at once if the rule file no longer matches.
python3 "$HERE/compare.py" --rules "$RULES" --check-rules-only
# A private copy of the binary, so that a rebuild during the run cannot change or break it.
ZX=$WORK/zhenxing
cp "$ZX_SOURCE" "$ZX"

echo "工作目录 work dir: $WORK   database: $DB   years: $YEARS   repeat: $REPEAT"
echo "机器 machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share the cores: expect noise)"

# measure NAME CMD...: runs CMD with stdout to $WORK/NAME.out, records "seconds KiB" in
# $WORK/NAME.time and appends it to $WORK/NAME.runs.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
    echo "FAILED: $name: $*"; tail -20 "$WORK/$name.err"; exit 1; }
  cat "$WORK/$name.time" >>"$WORK/$name.runs"
}
# best NAME → "best_seconds max_MiB all_seconds"
best() {
  awk '{ s[NR] = $1; if (NR == 1 || $1 < b) b = $1; if ($2 > m) m = $2 }
       END { all = s[1]; for (i = 2; i <= NR; ++i) all = all "/" s[i];
             printf "%.2f %.0f %s\n", b, m / 1024, all }' "$WORK/$1.runs"
}
say() { printf '%-48s %s\n' "$1" "$2"; }
policy() { eval "$(python3 "$HERE/policy_params.py" "$POLICY" "$1")"; }
sqlite_params() {
  SQLITE_PARAMS=(-cmd ".parameter set @year $YEAR" -cmd ".parameter set @line $LINE"
    -cmd ".parameter set @ref_year $REF_YEAR" -cmd ".parameter set @ref_mmdd $REF_MMDD"
    -cmd ".parameter set @oop_monitored $OOP_MONITORED" -cmd ".parameter set @oop_others $OOP_OTHERS"
    -cmd ".parameter set @schooling_cost $SCHOOLING_COST")
}
pg_params() {
  PG_PARAMS=(-v year="$YEAR" -v line="$LINE" -v ref_year="$REF_YEAR" -v ref_mmdd="$REF_MMDD"
    -v oop_monitored="$OOP_MONITORED" -v oop_others="$OOP_OTHERS" -v schooling_cost="$SCHOOLING_COST")
}

# ---------------------------------------------------------------------------------------------
status=0

# ---------------------------------------------------------------------------------------------
# PostgreSQL 15: a throwaway cluster in its own directory, Unix socket only.
PSQL=()
if [ "$SKIP_PG" != 1 ]; then
  PGROOT=$(mktemp -d /tmp/zx-bench-pg.XXXXXX)
  AS_PG=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$PGROOT"   # initdb and postgres refuse to run as root
    AS_PG=(runuser -u postgres --)
  fi
  stop_pg() {
    if [ "$KEEP_PG" = 1 ]; then
      echo "PostgreSQL 仍在运行 still running: psql -h $PGROOT -p $PG_PORT -U postgres; stop: ${AS_PG[*]} $PG_BIN/pg_ctl -D $PGROOT/data stop"
      return
    fi
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGROOT"
  }
  trap stop_pg EXIT
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --no-locale \
    >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; exit 1; }
  # Throwaway cluster: durability off (it only makes the load a best case; the query is
  # read-only), memory enough to hash the person aggregate, parallel query on. JIT off by
  # default: with it the 600,000-household query spent ~6 of its 14.5 s compiling (README).
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
jit = $PG_JIT
EOF
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w start >/dev/null
  export PGOPTIONS="-c client_min_messages=warning"
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h "$PGROOT" -p "$PG_PORT" -U postgres)
  echo "$("${PSQL[@]}" -d postgres -tAc 'SELECT version()' | cut -d, -f1) at $PGROOT; shared_buffers 1GB, work_mem 256MB, max_parallel_workers_per_gather 2, jit $("${PSQL[@]}" -d postgres -tAc 'SHOW jit')"
fi

# pg_load SQLITE_DB PG_DATABASE PREFIX: CSV export of the SQLite tables (explicit columns, in the
# order of pg_schema.sql) by one read-only sqlite3 process, then one psql session loading them with
# COPY in one transaction, then keys, indexes and VACUUM ANALYZE. Timed as PREFIX_export,
# PREFIX_copy, PREFIX_index.
pg_load() {
  local db=$1 pgdb=$2 prefix=$3
  local hh="id, household_number, village_code, ex_poor, poverty_exit_year, safety_net, relocated, housing, food_clothing_secure, water_quantity_ok, water_quality_ok, water_convenience_ok, water_reliability_ok, phone, living_size, content_hash, row_version, updated_at"
  local p="id, household_id, ordinal, name, id_number, sex, birth_date, relation, ethnicity, education, schooling, health, disability_grade, labour_skill, migrant_work_months, medical_insurance, minimum_living_allowance, extreme_hardship, deceased"
  local y="household_id, year, wage, business, property, transfer, production_cost, compliant_oop"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $pgdb" -c "CREATE DATABASE $pgdb"
  measure "${prefix}_export" sqlite3 -readonly -csv "$db" \
    ".once $WORK/${prefix}_households.csv" "SELECT $hh FROM households" \
    ".once $WORK/${prefix}_persons.csv" "SELECT $p FROM persons" \
    ".once $WORK/${prefix}_household_years.csv" "SELECT $y FROM household_years"
  measure "${prefix}_copy" "${PSQL[@]}" -d "$pgdb" -1 -f "$HERE/pg_schema.sql" \
    -c "\\copy households FROM '$WORK/${prefix}_households.csv' WITH (FORMAT csv)" \
    -c "\\copy persons FROM '$WORK/${prefix}_persons.csv' WITH (FORMAT csv)" \
    -c "\\copy household_years FROM '$WORK/${prefix}_household_years.csv' WITH (FORMAT csv)"
  measure "${prefix}_index" "${PSQL[@]}" -d "$pgdb" -f "$HERE/pg_indexes.sql"
}

# zhenxing keeps a columnar snapshot of the registry in the database (table column_snapshots,
# written by the first `screen` after a change, dropped by the store on every write). The first
# screen after a change reads household by household ("cold"); the next ones read the snapshot.
# Both are measured: before each cold run the snapshot rows are deleted, which is what the store's
# own invalidation does.
snapshot_table() {
  sqlite3 -readonly "$1" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'column_snapshots'"
}
drop_snapshots() {
  if [ "$(snapshot_table "$1")" = 1 ]; then sqlite3 "$1" "DELETE FROM column_snapshots"; fi
}

# run_engines DB PG_DATABASE TAG REPEATS: screens the policy year in $YEAR with each engine.
# Outputs $WORK/{zx_leads,zx_summary,sqlite,pg}_TAG.{csv,txt}; timings in {zx_cold,zx,sqlite,pg}_TAG.runs
# (zx_TAG: with the snapshot; absent when this zhenxing has no snapshots).
run_engines() {
  local db=$1 pgdb=$2 tag=$3 repeats=$4 run
  sqlite_params
  pg_params
  for ((run = 1; run <= repeats; ++run)); do
    drop_snapshots "$db"
    measure "zx_cold_$tag" "$ZX" screen --db "$db" --year "$YEAR" --out "$WORK/zx_cold_leads_$tag.csv"
    if [ "$(snapshot_table "$db")" = 1 ]; then
      measure "zx_$tag" "$ZX" screen --db "$db" --year "$YEAR" --out "$WORK/zx_leads_$tag.csv"
      if ! cmp -s "$WORK/zx_cold_leads_$tag.csv" "$WORK/zx_leads_$tag.csv"; then
        echo "MISMATCH: zhenxing's lead file differs between the household-by-household read and the snapshot read ($WORK/zx_cold_leads_$tag.csv, $WORK/zx_leads_$tag.csv)"
        status=1
      fi
    else
      cp "$WORK/zx_cold_leads_$tag.csv" "$WORK/zx_leads_$tag.csv"
      cp "$WORK/zx_cold_$tag.out" "$WORK/zx_$tag.out"
    fi
    # Each SQL baseline in two formulations: every household (screen.*.sql, like zhenxing) and
    # candidates first (screen_prefilter.*.sql).
    local engine file
    for engine in sqlite sqlite_pre; do
      file=$HERE/screen.sqlite.sql
      [ "$engine" = sqlite ] || file=$HERE/screen_prefilter.sqlite.sql
      measure "${engine}_$tag" sqlite3 -readonly -bail "${SQLITE_PARAMS[@]}" "$db" ".read $file"
    done
    if [ "$SKIP_PG" != 1 ]; then
      for engine in pg pg_pre; do
        file=$HERE/screen.pg.sql
        [ "$engine" = pg ] || file=$HERE/screen_prefilter.pg.sql
        # After the query the same backend writes its peak RSS (VmHWM, KiB) to ENGINE_mem_TAG.
        measure "${engine}_$tag" "${PSQL[@]}" -d "$pgdb" "${PG_PARAMS[@]}" -f "$file" \
          -c "\\o $WORK/${engine}_mem_$tag" \
          -c "SELECT substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\\s*(\\d+)')"
        grep -E '^ *[0-9]+ *$' "$WORK/${engine}_mem_$tag" >>"$WORK/${engine}_mem_$tag.runs" || true
      done
    fi
  done
  cp "$WORK/zx_$tag.out" "$WORK/zx_summary_$tag.txt"
  local engine
  for engine in sqlite sqlite_pre pg pg_pre; do
    [ ! -f "$WORK/${engine}_$tag.out" ] || cp "$WORK/${engine}_$tag.out" "$WORK/${engine}_$tag.csv"
  done
}

# agree TAG: compare.py on the outputs of run_engines; returns its status.
agree() {
  local tag=$1
  local sql=(--sql "sqlite=$WORK/sqlite_$tag.csv" --sql "sqlite_candidates_first=$WORK/sqlite_pre_$tag.csv")
  [ "$SKIP_PG" = 1 ] || sql+=(--sql "postgresql=$WORK/pg_$tag.csv" --sql "postgresql_candidates_first=$WORK/pg_pre_$tag.csv")
  python3 "$HERE/compare.py" --rules "$RULES" --zx "$WORK/zx_leads_$tag.csv" \
    --zx-summary "$WORK/zx_summary_$tag.txt" "${sql[@]}"
}

# ---------------------------------------------------------------------------------------------
# Edge cases (agreement only, not timed).
if [ "$EDGE_HOUSEHOLDS" -gt 0 ]; then
  echo "== 边界情况 edge cases: $EDGE_HOUSEHOLDS households + bench/screening/edge_cases.sql (agreement only)"
  measure edge_demo "$ZX" demo --db "$WORK/edge.db" --households "$EDGE_HOUSEHOLDS" --seed "$SEED"
  for year in $YEARS; do
    policy "$year"
    sqlite_params
    sqlite3 -bail "${SQLITE_PARAMS[@]}" "$WORK/edge.db" ".read $HERE/edge_cases.sql"
  done
  # The edits bypass zhenxing's store, which alone invalidates its snapshot: drop it here.
  drop_snapshots "$WORK/edge.db"
  [ "$SKIP_PG" = 1 ] || pg_load "$WORK/edge.db" zx_edge edge
  for year in $YEARS; do
    policy "$year"
    run_engines "$WORK/edge.db" zx_edge "edge_$year" 1
    echo "-- $year"
    agree "edge_$year" || status=1
  done
fi

# ---------------------------------------------------------------------------------------------
# The province.
if [ ! -f "$DB" ]; then
  measure demo "$ZX" demo --db "$DB" --households "$HOUSEHOLDS" --seed "$SEED"
  read -r secs mib _ < <(best demo)
  say "zhenxing demo --households $HOUSEHOLDS --seed $SEED" "${secs} s, peak ${mib} MiB (not compared)"
else
  echo "复用数据库 reusing $DB"
fi
counts=$(sqlite3 -readonly "$DB" "SELECT (SELECT count(*) FROM households), (SELECT count(*) FROM persons), (SELECT count(*) FROM household_years)")
echo "households|persons|household_years = $counts; $(du -h "$DB" | cut -f1) on disk"

if [ "$SKIP_PG" != 1 ]; then
  pg_load "$DB" zx_province province
  read -r export_s _ < <(best province_export)
  read -r copy_s _ < <(best province_copy)
  read -r index_s _ < <(best province_index)
  say "PostgreSQL load: sqlite3 → CSV export" "${export_s} s ($(du -ch "$WORK"/province_*.csv | tail -1 | cut -f1))"
  say "PostgreSQL load: COPY (3 tables, 1 transaction)" "${copy_s} s"
  say "PostgreSQL load: keys, indexes, VACUUM ANALYZE" "${index_s} s (database $("${PSQL[@]}" -d zx_province -tAc "SELECT pg_size_pretty(pg_database_size('zx_province'))"))"
  rm -f "$WORK"/province_*.csv
fi

for year in $YEARS; do
  policy "$year"
  echo "== $year: line $LINE fen, reference date $REF_DATE, medical out-of-pocket $OOP_MONITORED / $OOP_OTHERS fen, schooling $SCHOOLING_COST fen"
  run_engines "$DB" zx_province "$year" "$REPEAT"
  grep -h '用时' "$WORK/zx_cold_$year.out" "$WORK/zx_summary_$year.txt" | sed 's/^/  zhenxing reports: /' || true
  agree "$year" || status=1
done

if [ "$SKIP_PG" != 1 ]; then
  # The plan of the last year's query, for the record (not timed).
  pg_params
  { echo 'EXPLAIN (ANALYZE, BUFFERS)'; sed -n '/^COPY ($/,/^) TO STDOUT/p' "$HERE/screen.pg.sql" | sed '1d;$d'; } \
    >"$WORK/pg_explain.sql"
  "${PSQL[@]}" -d zx_province "${PG_PARAMS[@]}" -f "$WORK/pg_explain.sql" >"$WORK/pg_plan.txt" 2>&1 || true
fi
{ echo 'EXPLAIN QUERY PLAN'; sed -n '/^WITH$/,$p' "$HERE/screen.sqlite.sql"; } >"$WORK/sqlite_explain.sql"
sqlite_params
sqlite3 -readonly "${SQLITE_PARAMS[@]}" "$DB" ".read $WORK/sqlite_explain.sql" >"$WORK/sqlite_plan.txt" 2>&1 || true

# ---------------------------------------------------------------------------------------------
echo
printf '%-6s %-44s %10s %12s %12s %12s  %s\n' year engine "best wall" "peak RSS" "t/zx cold" "t/zx snap" "runs (s)"
for year in $YEARS; do
  read -r cold_s cold_mib cold_all < <(best "zx_cold_$year")
  snap_s=0
  [ -f "$WORK/zx_$year.runs" ] && read -r snap_s snap_mib snap_all < <(best "zx_$year")
  row() {  # engine seconds MiB all-runs
    awk -v y="$year" -v e="$1" -v s="$2" -v m="$3" -v a="$4" -v c="$cold_s" -v w="$snap_s" \
      'BEGIN { printf "%-6s %-44s %8.2f s %8s MiB %11.1fx %11s  %s\n", y, e, s, m, (c > 0 ? s / c : 0),
               (w > 0 ? sprintf("%.1fx", s / w) : "-"), a }'
  }
  row "zhenxing screen, no snapshot (cold)" "$cold_s" "$cold_mib" "$cold_all"
  [ "$snap_s" = 0 ] || row "zhenxing screen, columnar snapshot" "$snap_s" "$snap_mib" "$snap_all"
  read -r s mib all < <(best "sqlite_$year")
  row "SQLite $(sqlite3 --version | cut -d' ' -f1), every household" "$s" "$mib" "$all"
  read -r s mib all < <(best "sqlite_pre_$year")
  row "SQLite, candidates first" "$s" "$mib" "$all"
  if [ "$SKIP_PG" != 1 ]; then
    read -r s _ all < <(best "pg_$year")
    pg_mib=$(awk '$1 > m { m = $1 } END { printf "%.0f", m / 1024 }' "$WORK/pg_mem_$year.runs")
    row "PostgreSQL 15, every household" "$s" "$pg_mib" "$all"
    read -r s _ all < <(best "pg_pre_$year")
    pg_mib=$(awk '$1 > m { m = $1 } END { printf "%.0f", m / 1024 }' "$WORK/pg_pre_mem_$year.runs")
    row "PostgreSQL 15, candidates first" "$s" "$pg_mib" "$all"
  fi
done
if [ "$SKIP_PG" != 1 ]; then
  awk -v e="$export_s" -v c="$copy_s" -v i="$index_s" \
    'BEGIN { printf "PostgreSQL load, not in the ratios: export %.2f s + COPY %.2f s + keys/indexes/ANALYZE %.2f s = %.2f s\n", e, c, i, e + c + i }'
  echo "PostgreSQL peak RSS = the query backend's VmHWM: includes the shared buffers it touched, excludes parallel workers."
fi
echo "zhenxing and sqlite3 peak RSS: /usr/bin/time maximum resident set size. Best of $REPEAT; the cores are shared."
echo "Plans: $WORK/sqlite_plan.txt$([ "$SKIP_PG" = 1 ] || echo " $WORK/pg_plan.txt")"
if [ "$status" -ne 0 ]; then echo "不一致 MISMATCH: see above"; exit 1; fi
echo "检查通过 all engines agree household by household"
