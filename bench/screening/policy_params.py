#!/usr/bin/env python3
"""Prints the policy constants of one year as shell assignments for the SQL baselines.

    bench/screening/policy_params.py data/policy/qinghai.toml 2025
    YEAR=2025
    LINE=780000
    ...

Computed the way src/screening/screening.cc MakeBindContext does (and src/domain/policy.cc):
amounts in the file are yuan (an integer, or a decimal with at most two places) and become integer
fen; policy.medical_oop_{monitored,others} = previous_year_rural_income (fen) * percent / 100 with
integer (truncating) division; policy.schooling_cost = non_compulsory_schooling_cost_yuan in fen.
"""
import sys
import tomllib


def fen(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        sys.exit(f"策略文件中 {what} 不是金额：{value!r}")
    if isinstance(value, int):
        return value * 100
    cents = value * 100
    if abs(cents - round(cents)) > 1e-6:
        sys.exit(f"策略文件中 {what} 最多两位小数：{value!r}")
    return int(round(cents))


def main():
    if len(sys.argv) != 3:
        sys.exit("用法：policy_params.py POLICY.toml YEAR")
    path, year = sys.argv[1], int(sys.argv[2])
    with open(path, "rb") as f:
        policy = tomllib.load(f)
    matches = [y for y in policy["years"] if y["year"] == year]
    if len(matches) != 1:
        sys.exit(f"策略文件 {path} 中没有 {year} 年")
    entry = matches[0]
    signals = policy["signals"]
    line = fen(entry["monitoring_line_yuan"], "monitoring_line_yuan")
    ref = entry["reference_date"]  # tomllib gives a datetime.date
    rural = fen(entry["previous_year_rural_income"]["yuan"], "previous_year_rural_income")
    oop_monitored = rural * signals["medical_out_of_pocket_percent_monitored"] // 100
    oop_others = rural * signals["medical_out_of_pocket_percent_others"] // 100
    schooling = fen(signals["non_compulsory_schooling_cost_yuan"], "non_compulsory_schooling_cost_yuan")
    print(f"YEAR={year}")
    print(f"LINE={line}")
    print(f"REF_DATE={ref.isoformat()}")
    print(f"REF_YEAR={ref.year}")
    print(f"REF_MMDD={ref.month * 100 + ref.day}")
    print(f"OOP_MONITORED={oop_monitored}")
    print(f"OOP_OTHERS={oop_others}")
    print(f"SCHOOLING_COST={schooling}")


if __name__ == "__main__":
    main()
