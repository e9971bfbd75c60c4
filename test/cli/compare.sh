#!/usr/bin/env bash
# End-to-end test of `zhenxing compare` and `zhenxing feed` (run by CTest as
# `bash compare.sh <path-to-zhenxing> <source-dir>`): on a 2,000-household demo
# database, `feed synth` derives a medical file with known truth; compare links
# it — links.csv has the documented header and one row per data row, the
# summary lists rows read, rows per class, problems and signals; the accuracy
# (by `feed accuracy --check` and recomputed here from links.csv and the truth)
# meets the issue-4 targets; re-running the same file changes no table; a wrong
# header is refused with a Chinese message; a GBK file works; malformed rows
# are reported with row, column and reason while the rest is linked; the golden
# registry fixture imports with `zhenxing import`.
set -uo pipefail

ZX="${1:?usage: compare.sh <zhenxing> <source-dir>}"
SRC="${2:?usage: compare.sh <zhenxing> <source-dir>}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# Row counts of every table of a SQLite database, one "name count" per line.
table_counts() {
  python3 - "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
for name in names:
    print(name, db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
EOF
}

# Missing database: refused, not created.
err="$("$ZX" compare --db "$work/absent.db" --feed medical --file "$SRC/data/feeds/samples/medical.csv" 2>&1 >/dev/null)"
[ $? -ne 0 ] || fail "compare on a missing database succeeded"
grep -qF "不存在" <<<"$err" || fail "missing database message: $err"
[ ! -e "$work/absent.db" ] || fail "compare created the database"

"$ZX" demo --db "$work/demo.db" --households 2000 --seed 5 >/dev/null 2>&1 || { fail "demo failed"; exit 1; }

rows=20000
out="$("$ZX" feed synth --db "$work/demo.db" --feed medical --rows $rows --seed 7 --out "$work/medical.csv" \
  --truth "$work/truth.csv" 2>&1)" || fail "feed synth failed: $out"
[ "$(($(wc -l <"$work/truth.csv") - 1))" -eq "$rows" ] || fail "truth file does not have $rows rows"

before_first="$(table_counts "$work/demo.db")"
out="$("$ZX" compare --db "$work/demo.db" --feed medical --file "$work/medical.csv" --out "$work/links.csv" \
  --uploader 测试员 2>&1)"
rc=$?
[ "$rc" -eq 0 ] || fail "compare exit code $rc: $out"

# links.csv: the documented first four columns, one row per data row, known classes.
header="$(head -1 "$work/links.csv" | tr -d '\r')"
case "$header" in
  row,id_number,match_class,score | row,id_number,match_class,score,*) ;;
  *) fail "links.csv header: $header" ;;
esac
python3 - "$work/links.csv" "$rows" <<'EOF' || fail "links.csv rows are not well formed"
import csv, re, sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, encoding="utf-8-sig", newline="") as f:
    data = list(csv.reader(f))[1:]
assert len(data) == rows, f"{len(data)} link rows for {rows} data rows"
classes = set()
for expected_row, fields in enumerate(data, start=1):
    row, id_number, match_class, score = fields[:4]
    assert int(row) == expected_row, (row, expected_row)
    assert match_class in ("exact", "upgraded", "repaired", "probabilistic", "unmatched"), match_class
    assert 0.0 <= float(score) <= 1.0, score
    if match_class == "unmatched":
        assert id_number == "", fields
    else:
        assert re.fullmatch(r"\d{17}[\dX]", id_number), fields
    classes.add(match_class)
assert classes == {"exact", "upgraded", "repaired", "probabilistic", "unmatched"}, classes
EOF

# The summary: rows read, every class with its count, problems, signals, review items, storage.
grep -qF "读取 $rows 行，拒绝 0 行" <<<"$out" || fail "summary lacks rows read: $out"
for class in exact upgraded repaired probabilistic unmatched; do
  count="$(tail -n +2 "$work/links.csv" | cut -d, -f3 | grep -cx "$class")"
  grep -qE "^  $class +[^：]+：$count 行$" <<<"$out" || fail "summary lacks '$class: $count 行'"
done
grep -qF "预警（供监测筛查使用" <<<"$out" || fail "summary lacks signals: $out"
grep -qE "medical_out_of_pocket：[0-9]+ 人" <<<"$out" || fail "no out-of-pocket signals raised: $out"
grep -qF "待核实事项" <<<"$out" || fail "summary lacks review items: $out"
grep -qF "上传人 测试员" <<<"$out" || fail "summary lacks the uploader: $out"

# Accuracy: the project's own report with --check, and an independent recount here.
acc="$("$ZX" feed accuracy --links "$work/links.csv" --truth "$work/truth.csv" --check 2>&1)"
[ $? -eq 0 ] || fail "feed accuracy --check: targets missed: $acc"
grep -qF "达到目标" <<<"$acc" || fail "accuracy report: $acc"
python3 - "$work/links.csv" "$work/truth.csv" <<'EOF' || fail "accuracy recount misses the targets"
import csv, sys
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {int(r[0]): r for r in list(csv.reader(f))[1:]}
links, truth = rows(sys.argv[1]), rows(sys.argv[2])
groups = {True: [0, 0, 0], False: [0, 0, 0]}  # linkable, linked, correct
for row, t in truth.items():
    true_id, has_id = t[1], t[3] != "missing"
    got = links[row][1]
    g = groups[has_id]
    g[0] += bool(true_id)
    g[1] += bool(got)
    g[2] += bool(got) and got == true_id
for has_id, (linkable, linked, correct) in groups.items():
    precision = correct / linked if linked else 1.0
    recall = correct / linkable if linkable else 1.0
    label = "with ID" if has_id else "without ID"
    print(f"{label}: precision {precision:.4f} recall {recall:.4f} ({correct}/{linked}, {correct}/{linkable})")
    want_p, want_r = (0.999, 0.995) if has_id else (0.98, 0.90)
    assert linkable > 100, label
    assert precision >= want_p and recall >= want_r, label
EOF

# Stored with provenance: one upload with the uploader and file hash, one link per row.
python3 - "$work/demo.db" "$work/medical.csv" "$rows" <<'EOF' || fail "stored upload/provenance"
import hashlib, sqlite3, sys
db, path, rows = sqlite3.connect(sys.argv[1]), sys.argv[2], int(sys.argv[3])
sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
uploads = db.execute("SELECT id, feed, uploader, uploaded_at FROM feed_uploads WHERE file_sha256 = ?", (sha,)).fetchall()
assert len(uploads) == 1, uploads
upload_id, feed, uploader, uploaded_at = uploads[0]
assert feed == "medical" and uploader == "测试员" and uploaded_at, uploads
EOF

# Re-running the same file changes nothing in any table.
before="$(table_counts "$work/demo.db")"
[ "$before" != "$before_first" ] || fail "the first compare stored nothing"
out2="$("$ZX" compare --db "$work/demo.db" --feed medical --file "$work/medical.csv" --out "$work/links2.csv" 2>&1)"
[ $? -eq 0 ] || fail "re-run failed: $out2"
after="$(table_counts "$work/demo.db")"
[ "$before" = "$after" ] || fail "re-running the same file changed table counts: $(diff <(echo "$before") <(echo "$after"))"
grep -qF "本次未做任何更改" <<<"$out2" || fail "re-run does not say nothing changed: $out2"

# A wrong header: refused in Chinese, exit code not 0, nothing stored.
printf '姓名,电话,地址\n王建国,13800000000,大通\n' >"$work/wrong.csv"
err="$("$ZX" compare --db "$work/demo.db" --feed medical --file "$work/wrong.csv" --out "$work/wrong_links.csv" 2>&1)"
rc=$?
[ "$rc" -ne 0 ] || fail "a wrong header was accepted"
grep -qF "表头不符合" <<<"$err" || fail "wrong header message: $err"
grep -qF "证件号码" <<<"$err" || fail "wrong header message does not name the missing column: $err"
[ "$(table_counts "$work/demo.db")" = "$after" ] || fail "a refused file changed the database"

# A GBK (GB18030) file: detected and linked as well.
"$ZX" feed synth --db "$work/demo.db" --feed medical --rows 3000 --seed 8 --encoding gbk \
  --out "$work/medical_gbk.csv" --truth "$work/truth_gbk.csv" >/dev/null 2>&1 || fail "feed synth --encoding gbk"
if python3 -c "import sys; open(sys.argv[1], encoding='utf-8').read()" "$work/medical_gbk.csv" 2>/dev/null; then
  fail "the GBK file is valid UTF-8: it was not written in GBK"
fi
out="$("$ZX" compare --db "$work/demo.db" --feed medical --file "$work/medical_gbk.csv" --out "$work/links_gbk.csv" 2>&1)"
[ $? -eq 0 ] || fail "compare of a GBK file failed: $out"
grep -qF "编码 GB18030/GBK" <<<"$out" || fail "GBK file not reported as GB18030/GBK: $out"
grep -qF "读取 3000 行" <<<"$out" || fail "GBK file rows: $out"
"$ZX" feed accuracy --links "$work/links_gbk.csv" --truth "$work/truth_gbk.csv" --check >/dev/null 2>&1 ||
  fail "GBK file misses the accuracy targets"

# Malformed rows: reported with row, column and reason; the rest is linked.
python3 - "$work/medical.csv" "$work/malformed.csv" <<'EOF' || fail "could not write the malformed file"
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    data = list(csv.reader(f))
header, body = data[0], data[1:201]
date, amount = header.index("结算日期"), header.index("个人自付")
body[2][date] = "2024-13-45"      # row 3: bad settlement date
body[6][amount] = ""              # row 7: empty required amount
body[9][amount] = "一百元"        # row 10: unreadable amount
body[11][header.index("姓名")] = ""
body[11][header.index("证件号码")] = ""  # row 12: neither name nor ID
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows([header] + body)
EOF
out="$("$ZX" compare --db "$work/demo.db" --feed medical --file "$work/malformed.csv" --out "$work/links_bad.csv" \
  --dry-run 2>&1)"
[ $? -eq 0 ] || fail "a file with malformed rows was refused as a whole: $out"
grep -qF "读取 200 行，拒绝 4 行" <<<"$out" || fail "malformed summary: $out"
grep -qF "第 3 行“结算日期”列：“2024-13-45”不是有效日期" <<<"$out" || fail "row 3 not reported: $out"
grep -qF "第 7 行“个人自付”列：为空" <<<"$out" || fail "row 7 not reported: $out"
grep -qF "第 10 行“个人自付”列：“一百元”不是有效金额" <<<"$out" || fail "row 10 not reported: $out"
grep -qF "第 12 行“姓名”列：姓名和身份证号码都为空" <<<"$out" || fail "row 12 not reported: $out"
python3 - "$work/links_bad.csv" <<'EOF' || fail "malformed rows in links.csv"
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    data = list(csv.reader(f))
header, body = data[0], data[1:]
assert len(body) == 200, len(body)
reason = header.index("reason")
for row in (3, 7, 10, 12):
    fields = body[row - 1]
    assert fields[2] == "unmatched" and fields[1] == "" and "行被拒绝" in fields[reason], fields
linked = sum(1 for f in body if f[1])
assert linked > 150, f"only {linked} of 196 good rows linked"
EOF

# The golden registry fixture is a valid household import file.
out="$("$ZX" import --db "$work/golden.db" households "$SRC/test/golden/matching/registry.csv" 2>&1)"
[ $? -eq 0 ] || fail "golden registry fixture does not import: $out"
persons="$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM persons').fetchone()[0])" "$work/golden.db")"
[ "$persons" = "40" ] || fail "golden registry imported $persons persons, expected 40"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "compare.sh: all checks passed"
