#!/usr/bin/env bash
# HTTP benchmark (issue 5): the dashboard, list and detail endpoints of `zhenxing serve` under wrk
# with 64 connections against a province-scale database, and nginx serving a static JSON file of
# the same size as each response as the ceiling. Prints requests/s, p50 and p99 latency and the
# ratio zhenxing/nginx. Also times logins (argon2id) one after another.
#
#   bench/http/run.sh                          # 600,000 households (generated if DB is not given)
#   DB=/tmp/province.db bench/http/run.sh      # reuse a database made by `zhenxing demo --demo-password`
#   HOUSEHOLDS=50000 DURATION=10 bench/http/run.sh
#
# Needs wrk and nginx (Debian packages wrk, nginx-light; scripts/install-deps.sh does not install
# them: benchmarks only). Never gates CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ZX_SRC=${ZX:-build/zhenxing}
HOUSEHOLDS=${HOUSEHOLDS:-600000}
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PASSWORD=${PASSWORD:-Zx-Bench-2026!}
YEAR=${YEAR:-2025}
WORK=${WORK:-$(mktemp -d /tmp/zx-http-bench.XXXXXX)}
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "需要 $tool（apt-get install wrk nginx-light curl）"; exit 1; }
done
cp "$ZX_SRC" "$WORK/zhenxing"
ZX="$WORK/zhenxing"
DB=${DB:-$WORK/province.db}
echo "工作目录 $WORK   数据库 $DB   连接数 $CONNECTIONS   时长 ${DURATION}s"

if [ ! -f "$DB" ]; then
  echo "== 生成 $HOUSEHOLDS 户演示数据"
  "$ZX" demo --db "$DB" --households "$HOUSEHOLDS" --seed 1 --demo-password "$PASSWORD" >"$WORK/demo.log"
  "$ZX" screen --db "$DB" --year "$YEAR" >"$WORK/screen.log"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
"$ZX" serve --db "$DB" --port "$PORT" --bind 127.0.0.1 --access-log "$WORK/access.log" >"$WORK/serve.log" 2>&1 &
SERVER=$!
NGINX_PID=""
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
}
trap cleanup EXIT
BASE="http://127.0.0.1:$PORT/api/v1"
for _ in $(seq 100); do curl -s "$BASE/health" >/dev/null && break; sleep 0.2; done

# Login cost: ten logins one after another (each one argon2id verification).
login() { curl -s -o /dev/null -w '%{time_total}\n' -c "$WORK/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "$BASE/auth/login"; }
login >/dev/null
login_times=$(for _ in $(seq 10); do login; done | sort -n)
login_p50=$(echo "$login_times" | sed -n 5p)
login_max=$(echo "$login_times" | tail -1)
COOKIE=$(awk '$6 == "zx_session" {print $7}' "$WORK/cookies")
[ -n "$COOKIE" ] || { echo "登录失败（检查 PASSWORD）"; cat "$WORK/serve.log"; exit 1; }

NUMBER=$(curl -s -b "zx_session=$COOKIE" "$BASE/households?year=$YEAR&page_size=1&monitoring_type=100A03002" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][0]["household_number"])')
declare -a NAMES=(dashboard list list_filtered_sorted detail)
declare -A PATHS=(
  [dashboard]="/api/v1/dashboard?year=$YEAR"
  [list]="/api/v1/households?year=$YEAR&page=1&page_size=20"
  [list_filtered_sorted]="/api/v1/households?year=$YEAR&risk=01&ex_poor=false&sort=per_capita_net_income&order=desc&page=3&page_size=20"
  [detail]="/api/v1/households/$NUMBER?year=$YEAR"
)

# nginx serves each endpoint's real response body as a static file: the ceiling of a server that
# does no work per request.
mkdir -p "$WORK/static" "$WORK/nginx"
for name in "${NAMES[@]}"; do
  curl -s -b "zx_session=$COOKIE" "http://127.0.0.1:$PORT${PATHS[$name]}" >"$WORK/static/$name.json"
  python3 -c "import json,sys; d=json.load(open('$WORK/static/$name.json')); sys.exit(0 if d['code']==0 else 1)" ||
    { echo "$name 返回错误：$(head -c 300 "$WORK/static/$name.json")"; exit 1; }
done
NGINX_PORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/static; default_type application/json; }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/list.json" && break; sleep 0.1; done

# run_wrk URL [COOKIE] → "requests/s p50_ms p99_ms"
run_wrk() {
  local header=()
  [ -n "${2:-}" ] && header=(-H "Cookie: zx_session=$2")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${header[@]}" "$1" >"$WORK/wrk.out" 2>&1
  python3 - "$WORK/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {errors.group(1) if errors else 0}")
PY
}

printf '\n%-22s %10s %10s %10s | %10s %10s %10s | %8s %7s\n' endpoint "zx req/s" "p50 ms" "p99 ms" \
  "nginx r/s" "p50 ms" "p99 ms" "bytes" "ratio"
for name in "${NAMES[@]}"; do
  read -r zx_rps zx_p50 zx_p99 zx_err < <(run_wrk "http://127.0.0.1:$PORT${PATHS[$name]}" "$COOKIE")
  read -r ng_rps ng_p50 ng_p99 _ < <(run_wrk "http://127.0.0.1:$NGINX_PORT/$name.json")
  [ "$zx_err" = "0" ] || echo "警告：$name 有 $zx_err 个非 2xx 响应"
  bytes=$(stat -c %s "$WORK/static/$name.json")
  ratio=$(python3 -c "print(f'{$zx_rps/$ng_rps:.2f}')")
  printf '%-22s %10s %10s %10s | %10s %10s %10s | %8s %7s\n' "$name" "$zx_rps" "$zx_p50" "$zx_p99" \
    "$ng_rps" "$ng_p50" "$ng_p99" "$bytes" "$ratio"
done
echo
echo "登录（argon2id 校验，逐个 10 次）：中位 ${login_p50}s，最长 ${login_max}s"
echo "zhenxing 峰值内存：$(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$SERVER/status)"
