#!/usr/bin/env bash
# Browser end to end against the real server:
#   test/e2e/run.sh path/to/zhenxing [extra flows.mjs arguments]
# Creates a temporary demo database (3,000 households, demo accounts with password Zx-Demo-2026!),
# starts `zhenxing serve` on a free loopback port with web/dist as the web root, waits for
# /api/v1/auth/me to answer, runs test/e2e/flows.mjs (headless /usr/bin/chromium), then
# test/e2e/cases_flows.mjs (one case from lead to elimination; the server runs with the test-only
# --test-clock-file so the flow can move time), stops the server.
# Needs web/dist (make web) and web/node_modules (playwright-core).
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "用法：test/e2e/run.sh ZHENXING可执行文件 [flows.mjs 的其他参数]" >&2
  exit 2
fi
BIN=$(realpath "$1"); shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PASSWORD='Zx-Demo-2026!'
[ -x "$BIN" ] || { echo "找不到可执行文件：$BIN" >&2; exit 2; }
[ -f "$ROOT/web/dist/index.html" ] || { echo "缺少 web/dist：请先运行 make web" >&2; exit 2; }
[ -x /usr/bin/chromium ] || { echo "缺少 /usr/bin/chromium：请运行 scripts/install-deps.sh" >&2; exit 2; }

TMP=$(mktemp -d /tmp/zx-e2e-XXXXXX)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

DB="$TMP/e2e.db"
echo "== 生成演示数据库 $DB"
"$BIN" demo --db "$DB" --households 3000 --demo-password "$PASSWORD" > "$TMP/demo.log" 2>&1 || {
  cat "$TMP/demo.log" >&2; exit 1; }
# Screen the last two years so the dashboard, the list filters and the detail page show leads.
for year in 2024 2025; do
  "$BIN" screen --db "$DB" --year "$year" >> "$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }
done

# One village's households as exported by the server's own template, for the import-with-errors flow.
IMPORT_ARGS=()
VILLAGE=$(sqlite3 "$DB" "SELECT village_code FROM households LIMIT 1" 2>/dev/null || true)
if [ -n "$VILLAGE" ] && "$BIN" export --db "$DB" households --out "$TMP/export.csv" --division "$VILLAGE" > /dev/null 2>&1; then
  IMPORT_ARGS=(--import-file "$TMP/export.csv")
fi

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
echo "== 启动服务 127.0.0.1:$PORT"
CLOCK="$TMP/clock"
echo 0 > "$CLOCK"
"$BIN" serve --db "$DB" --port "$PORT" --bind 127.0.0.1 --web-root "$ROOT/web/dist" \
  --test-clock-file "$CLOCK" > "$TMP/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 100); do
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/auth/me"; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "服务启动失败：" >&2; cat "$TMP/server.log" >&2; exit 1; fi
  sleep 0.2
done
curl -s -o /dev/null "http://127.0.0.1:$PORT/api/v1/auth/me" || { echo "服务 20 秒内没有应答" >&2; exit 1; }

echo "== 浏览器端到端"
status=0
node "$ROOT/test/e2e/flows.mjs" --base-url "http://127.0.0.1:$PORT" --password "$PASSWORD" \
  "${IMPORT_ARGS[@]}" "$@" || status=$?
echo "== 浏览器端到端：监测案件全流程"
node "$ROOT/test/e2e/cases_flows.mjs" --base-url "http://127.0.0.1:$PORT" --password "$PASSWORD" \
  --clock-file "$CLOCK" || status=$?
if [ $status -ne 0 ]; then
  echo "== 服务日志（最后 40 行）"; tail -n 40 "$TMP/server.log"
fi
exit $status
