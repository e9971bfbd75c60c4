#!/usr/bin/env python3
"""Checks that zhenxing's screening and the SQL baselines agree household by household.

    compare.py --rules data/rules/qinghai.rules --zx zx_leads.csv [--zx-summary zx.out] \
               --sql sqlite=sq.csv [--sql postgresql=pg.csv ...]

zhenxing's side is its lead file (docs/formats/screening.md: 户编号, 所在村代码, 监测类型代码,
监测类型, 风险类型代码, 家庭人均纯收入（元）, 说明) and, if given, the summary it printed. The SQL
side is the CSV of screen.sqlite.sql / screen.pg.sql: household_number, village_code, category
(lead | no_income | range_no_risk | hardship_no_risk), monitoring_type, risk_codes, deprivations,
per_capita_fen.

Compared for every lead: presence, village code, monitoring type, risk codes (in order),
deprivations (rule ids in file order; zhenxing's are read from its explanations, each
"规则名称：说明"), per-capita net income (fen). Also: the risk codes zhenxing lists agree with the
risk rules its explanations name, and the first explanation is the range rule (100A03001/2) or
the hardship rule (100A03003). The SQL outputs must be identical row for row (leads and the
households the summary counts), and their counts must match zhenxing's summary when it is given.
Prints the first 20 disagreements of each pair and exits 1 on any.
"""
import argparse
import collections
import csv
import hashlib
import re
import sys

# The rules screen.sqlite.sql and screen.pg.sql implement, in file order: (id, risk code, kind).
SQL_RULES = [
    ("IN_RANGE", "", "range"),
    ("HARDSHIP", "", "hardship"),
    ("R01_ILLNESS", "01", ""),
    ("R03_DISABILITY", "03", ""),
    ("R04_NO_LABOUR", "04", ""),
    ("R05_ACCIDENT", "05", ""),
    ("R0205_SNOW_DISASTER", "0205", ""),
    ("R06_BUSINESS_FAILURE", "06", ""),
    ("R07_UNSTABLE_EMPLOYMENT", "07", ""),
    ("R09_SCHOOLING", "09", ""),
    ("R08_BASIC_NEEDS", "08", ""),
    ("R99_HEAD_DECEASED", "99", ""),
    ("D_FOOD_CLOTHING", "", "deprivation"),
    ("D_DROPOUT", "", "deprivation"),
    ("D_UNINSURED", "", "deprivation"),
    ("D_HOUSING", "", "deprivation"),
    ("D_WATER_QUANTITY", "", "deprivation"),
    ("D_WATER_QUALITY", "", "deprivation"),
    ("D_WATER_CONVENIENCE", "", "deprivation"),
    ("D_WATER_RELIABILITY", "", "deprivation"),
]
# SHA-256 of the `when` conditions of data/rules/qinghai.rules (whitespace collapsed) that the SQL
# was written from. A different digest means a condition changed: review both SQL files.
SQL_CONDITIONS_DIGEST = "6af124120c5825fbed889647a163018110bb78923d932e47ad4675a2c63bfec5"

MAX_SHOWN = 20


class Rule:
    def __init__(self, rule_id, name, risk, kind, condition):
        self.id, self.name, self.risk, self.kind, self.condition = rule_id, name, risk, kind, condition


def strip_comments(text):
    out = []
    for line in text.splitlines():
        # '#' starts a comment unless inside a string literal.
        in_string, escaped, cut = False, False, len(line)
        for idx, ch in enumerate(line):
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "#":
                cut = idx
                break
        out.append(line[:cut])
    return "\n".join(out)


RULE_RE = re.compile(
    r'rule\s+(\w+)\s+"((?:[^"\\]|\\.)*)"((?:\s+(?:risk\s+"[^"]*"|kind\s+\w+))*)\s*\{\s*when\s+(.*?)\s+explain\s+"',
    re.S)


def parse_rules(path):
    text = strip_comments(open(path, encoding="utf-8").read())
    rules = []
    for match in RULE_RE.finditer(text):
        attrs = match.group(3)
        risk = re.search(r'risk\s+"([^"]*)"', attrs)
        kind = re.search(r"kind\s+(\w+)", attrs)
        rules.append(Rule(match.group(1), match.group(2), risk.group(1) if risk else "",
                          kind.group(1) if kind else "", " ".join(match.group(4).split())))
    if len(rules) != len(re.findall(r"(?m)^\s*rule\s", text)):
        sys.exit(f"无法解析规则文件 {path} 的全部规则头（compare.py 的正则需要更新）")
    return rules


def conditions_digest(rules):
    joined = "\n".join(f"{r.id}|{r.risk}|{r.kind}|{r.condition}" for r in rules)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def yuan_to_fen(text):
    match = re.fullmatch(r"(-?)(\d+)\.(\d\d)", text)
    if not match:
        raise ValueError(f"人均纯收入格式不对：{text!r}")
    fen = int(match.group(2)) * 100 + int(match.group(3))
    return -fen if match.group(1) else fen


Lead = collections.namedtuple("Lead", "village monitoring_type risks deprivations per_capita")


def read_zhenxing(path, rules, problems):
    by_name = {r.name: r for r in rules}
    range_rule = next(r for r in rules if r.kind == "range")
    hardship_rule = next(r for r in rules if r.kind == "hardship")
    leads = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        expected = ["户编号", "所在村代码", "监测类型代码", "监测类型", "风险类型代码", "家庭人均纯收入（元）", "说明"]
        if header != expected:
            sys.exit(f"{path}: 表头 {header} 不是 {expected}")
        for row in reader:
            number, village, mtype, _, risks, per_capita, explanation = row
            names = [item.split("：", 1)[0] for item in explanation.split("；")]
            explained = [by_name.get(name) for name in names]
            if None in explained:
                problems.append(f"{number}: zhenxing 说明中有未知的规则名称 {names}")
                continue
            first = explained[0]
            want_first = hardship_rule if mtype == "100A03003" else range_rule
            if first is not want_first:
                problems.append(f"{number}: zhenxing 监测类型 {mtype} 但第一条说明来自规则 {first.id}")
            codes = []
            for rule in explained[1:]:
                if rule.risk and rule.risk not in codes:
                    codes.append(rule.risk)
            risk_list = risks.split(";") if risks else []
            if codes != risk_list:
                problems.append(f"{number}: zhenxing 风险类型代码 {risk_list} 与说明中的风险规则 {codes} 不一致")
            deprivations = [r.id for r in explained[1:] if r.kind == "deprivation"]
            leads[number] = Lead(int(village), mtype, risk_list, deprivations, yuan_to_fen(per_capita))
    return leads


def read_sql(path):
    rows, leads, counts = {}, {}, collections.Counter()
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for row in reader:
            number = row["household_number"]
            rows[number] = tuple(row.values())
            counts[row["category"]] += 1
            if row["category"] == "lead":
                leads[number] = Lead(int(row["village_code"]), row["monitoring_type"],
                                     row["risk_codes"].split(";") if row["risk_codes"] else [],
                                     row["deprivations"].split(";") if row["deprivations"] else [],
                                     int(row["per_capita_fen"]))
    return rows, leads, counts


def compare_leads(left_name, left, right_name, right):
    diffs = []
    for number in sorted(set(left) | set(right)):
        a, b = left.get(number), right.get(number)
        if a is None:
            diffs.append(f"{number}: 只在 {right_name} 中是线索 {b}")
        elif b is None:
            diffs.append(f"{number}: 只在 {left_name} 中是线索 {a}")
        elif a != b:
            fields = [f"{field} {getattr(a, field)!r} ≠ {getattr(b, field)!r}"
                      for field in Lead._fields if getattr(a, field) != getattr(b, field)]
            diffs.append(f"{number}: {left_name} vs {right_name}: " + "; ".join(fields))
    return diffs


def zhenxing_summary(path):
    """Counts from zhenxing's printed summary, or None when its wording is not recognised."""
    text = open(path, encoding="utf-8").read()
    numbers = lambda s: int(s.replace(",", ""))
    no_income = re.search(r"无本年度收入记录\s*([\d,]+)\s*户", text)
    no_risk = re.search(r"收入在监测范围内但未识别出风险\s*([\d,]+)\s*户、刚性支出后低于监测范围但未识别出风险\s*([\d,]+)\s*户", text)
    leads = re.search(r"监测线索\s*([\d,]+)\s*户", text)
    if not (no_income and no_risk and leads):
        return None
    return {"no_income": numbers(no_income.group(1)), "range_no_risk": numbers(no_risk.group(1)),
            "hardship_no_risk": numbers(no_risk.group(2)), "lead": numbers(leads.group(1))}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", required=True)
    parser.add_argument("--zx")
    parser.add_argument("--zx-summary")
    parser.add_argument("--sql", action="append", default=[], help="NAME=PATH")
    parser.add_argument("--print-digest", action="store_true")
    parser.add_argument("--check-rules-only", action="store_true")
    args = parser.parse_args()

    rules = parse_rules(args.rules)
    digest = conditions_digest(rules)
    if args.print_digest:
        print(digest)
        return 0
    have = [(r.id, r.risk, r.kind) for r in rules]
    if have != SQL_RULES:
        print(f"规则文件 {args.rules} 的规则（id、风险代码、kind）与 SQL 基线实现的不一致：")
        print(f"  规则文件：{have}")
        print(f"  SQL 基线：{SQL_RULES}")
        print("  请按新规则更新 bench/screening/screen.sqlite.sql、screen.pg.sql 和 compare.py 的 SQL_RULES")
        return 1
    if digest != SQL_CONDITIONS_DIGEST:
        print(f"注意 warning: 规则文件的 when 条件已改动（摘要 {digest[:16]}…，SQL 按 "
              f"{SQL_CONDITIONS_DIGEST[:16]}… 编写）；一致性检查仍会逐户比对，请核对两个 SQL 文件")
    if args.check_rules_only:
        return 0

    failed = False
    problems = []
    zx = read_zhenxing(args.zx, rules, problems)
    if problems:
        failed = True
        print(f"zhenxing 线索文件自身不一致 {len(problems)} 处（前 {MAX_SHOWN} 处）：")
        for line in problems[:MAX_SHOWN]:
            print("  " + line)
    summary = zhenxing_summary(args.zx_summary) if args.zx_summary else None
    if args.zx_summary and summary is None:
        print("注意 warning: 未能从 zhenxing 的输出中读出汇总数（措辞变了？），汇总数未比对")

    sql = []
    for spec in args.sql:
        name, path = spec.split("=", 1)
        sql.append((name, *read_sql(path)))

    for name, rows, leads, counts in sql:
        diffs = compare_leads("zhenxing", zx, name, leads)
        if summary is not None:
            for key, value in summary.items():
                if counts.get(key, 0) != value:
                    diffs.append(f"汇总 {key}: zhenxing {value} ≠ {name} {counts.get(key, 0)}")
        if diffs:
            failed = True
            print(f"不一致 MISMATCH zhenxing vs {name}: {len(diffs)} 处（前 {MAX_SHOWN} 处）")
            for line in diffs[:MAX_SHOWN]:
                print("  " + line)
        else:
            print(f"一致 agree: zhenxing vs {name}: {len(zx)} 条线索逐户相同（监测类型、风险代码及顺序、"
                  f"保障缺失、人均纯收入）；{name} 汇总 {dict(sorted(counts.items()))}")
    for (name_a, rows_a, _, _), (name_b, rows_b, _, _) in zip(sql, sql[1:]):
        diffs = [f"{n}: {name_a} {rows_a.get(n)} ≠ {name_b} {rows_b.get(n)}"
                 for n in sorted(set(rows_a) | set(rows_b)) if rows_a.get(n) != rows_b.get(n)]
        if list(rows_a) != sorted(rows_a, key=lambda s: s.encode()) or list(rows_b) != sorted(rows_b, key=lambda s: s.encode()):
            diffs.append("输出未按户编号排序")
        if diffs:
            failed = True
            print(f"不一致 MISMATCH {name_a} vs {name_b}: {len(diffs)} 处（前 {MAX_SHOWN} 处）")
            for line in diffs[:MAX_SHOWN]:
                print("  " + line)
        else:
            print(f"一致 agree: {name_a} vs {name_b}: 全部 {len(rows_a)} 行相同（含未列为线索的汇总户）")
    by_type = collections.Counter(lead.monitoring_type for lead in zx.values())
    print(f"zhenxing 线索 {len(zx)} 户：{dict(sorted(by_type.items()))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
