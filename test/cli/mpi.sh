#!/usr/bin/env bash
# End-to-end test of `zhenxing mpi` (run by CTest as
# `bash mpi.sh <path-to-zhenxing> <source-dir>`): on a 2,000-household demo
# database, MPI for 2022 by prefecture to JSON holds every documented key,
# H, A and MPI lie in [0, 1], MPI = H × A, indicator and subgroup
# contributions sum to 1 and subgroup persons sum to n; CSV and XLSX are
# written; a k outside (0, 1], a year missing from the policy and an unknown
# --by are refused with Chinese messages and exit status 1.
set -uo pipefail

ZX="${1:?usage: mpi.sh <zhenxing> <source-dir>}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

"$ZX" demo --db "$work/demo.db" --households 2000 --seed 5 >/dev/null 2>&1 || { fail "demo failed"; exit 1; }

text="$("$ZX" mpi --db "$work/demo.db" --year 2022 --by prefecture --out "$work/mpi.json")" || fail "mpi failed"
grep -qF "多维贫困指数" <<<"$text" || fail "summary is not the Chinese summary: $text"
grep -qF "MPI = H×A" <<<"$text" || fail "summary lacks MPI = H×A: $text"
[ -s "$work/mpi.json" ] || fail "no JSON written"

python3 - "$work/mpi.json" <<'PY' || fail "JSON checks failed"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
errors = []
for key in ["database", "scope", "year", "monitoring_line_fen", "monitoring_line_example", "reference_date",
            "k", "k_text", "by", "households", "households_without_income", "persons", "poor_persons",
            "H", "A", "MPI", "indicators", "subgroups"]:
    if key not in doc:
        errors.append("missing key " + key)
if errors:
    print("\n".join(errors)); sys.exit(1)
if doc["year"] != 2022 or doc["by"] != "prefecture" or doc["households"] != 2000:
    errors.append("year/by/households wrong: %r %r %r" % (doc["year"], doc["by"], doc["households"]))
for key in ["H", "A", "MPI"]:
    if not 0 <= doc[key] <= 1:
        errors.append("%s = %r outside [0, 1]" % (key, doc[key]))
if abs(doc["H"] * doc["A"] - doc["MPI"]) > 1e-9:
    errors.append("MPI %r != H*A %r" % (doc["MPI"], doc["H"] * doc["A"]))
if doc["MPI"] <= 0:
    errors.append("MPI is 0 on the demo data")
ids = [ind["id"] for ind in doc["indicators"]]
if ids != ["income", "food_clothing", "education", "medical_insurance", "housing", "water"]:
    errors.append("indicators %r" % ids)
weighted = sum(ind["weight"] * ind["censored_headcount_ratio"] for ind in doc["indicators"])
if abs(weighted - doc["MPI"]) > 1e-9:
    errors.append("sum w*h = %r != MPI %r" % (weighted, doc["MPI"]))
for ind in doc["indicators"]:
    for key in ["weight", "uncensored_persons", "uncensored_headcount_ratio", "censored_persons",
                "censored_headcount_ratio", "contribution"]:
        if key not in ind:
            errors.append("indicator lacks " + key)
    if ind["censored_persons"] > ind["uncensored_persons"]:
        errors.append("censored > uncensored for " + ind["id"])
if abs(sum(ind["contribution"] for ind in doc["indicators"]) - 1) > 1e-9:
    errors.append("indicator contributions do not sum to 1")
groups = doc["subgroups"]
if len(groups) != 8:
    errors.append("expected 8 prefectures, got %d" % len(groups))
for group in groups:
    for key in ["code", "name", "households", "persons", "poor_persons", "H", "A", "MPI", "contribution"]:
        if key not in group:
            errors.append("subgroup lacks " + key)
    if not group["name"] or not str(group["code"]).endswith("00000000"):
        errors.append("bad subgroup %r" % group)
if sum(g["persons"] for g in groups) != doc["persons"]:
    errors.append("subgroup persons do not sum to n")
if abs(sum(g["contribution"] for g in groups) - 1) > 1e-9:
    errors.append("subgroup contributions do not sum to 1")
if errors:
    print("\n".join(errors)); sys.exit(1)
PY

# County grouping, CSV and XLSX, a county scope.
"$ZX" mpi --db "$work/demo.db" --year 2021 --by county --k 0.5 --out "$work/mpi.csv" >/dev/null || fail "mpi csv failed"
grep -qF "[分组]" "$work/mpi.csv" || fail "CSV lacks the subgroup section"
grep -qF "[指标]" "$work/mpi.csv" || fail "CSV lacks the indicator section"
"$ZX" mpi --db "$work/demo.db" --year 2022 --out "$work/mpi.xlsx" >/dev/null || fail "mpi xlsx failed"
[ -s "$work/mpi.xlsx" ] || fail "no XLSX written"
"$ZX" mpi --db "$work/demo.db" --year 2022 --division 630121000000 --by county --out "$work/county.json" >/dev/null ||
  fail "mpi --division failed"
grep -q '"code": 630121000000' "$work/county.json" || fail "county scope JSON lacks its code"

# Refusals: exit 1, Chinese message, no output file.
expect_refused() {
  local what="$1" needle="$2"
  shift 2
  local err rc
  err="$("$ZX" mpi --db "$work/demo.db" "$@" 2>&1 >/dev/null)"
  rc=$?
  [ "$rc" -eq 1 ] || fail "$what: exit status $rc, expected 1"
  grep -qF "$needle" <<<"$err" || fail "$what: message lacks '$needle': $err"
}
expect_refused "k = 0" "超出范围" --year 2022 --k 0 --out "$work/bad1.json"
expect_refused "k = 1.5" "超出范围" --year 2022 --k 1.5 --out "$work/bad2.json"
expect_refused "k = abc" "无法识别" --year 2022 --k abc --out "$work/bad3.json"
expect_refused "year 2019" "没有 2019 年" --year 2019 --out "$work/bad4.json"
expect_refused "--by village" "分组方式" --year 2022 --by village --out "$work/bad5.json"
expect_refused "--out .txt" "扩展名" --year 2022 --out "$work/bad6.txt"
for bad in bad1.json bad2.json bad3.json bad4.json bad5.json bad6.txt; do
  [ ! -e "$work/$bad" ] || fail "refused run wrote $bad"
done
"$ZX" mpi --db "$work/absent.db" --year 2022 --out "$work/x.json" >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing database is not exit status 2"
[ ! -e "$work/absent.db" ] || fail "mpi created the database"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "mpi: all checks passed"
