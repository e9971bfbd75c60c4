#!/usr/bin/env python3
"""Checks that the engines raised the same medical out-of-pocket signals (bench/matching/run.sh).

    agree.py zhenxing=zx_alerts.csv duckdb=duckdb.csv postgresql=pg.csv

Each file is a CSV with a header naming at least kind, id_number and value_fen (zhenxing's
--alerts-out file also has other kinds, e.g. hospital_stay, which the SQL does not compute: only
medical_out_of_pocket is compared). Prints the count per engine; exits 1 when any set differs from
the first, showing a few differences.
"""
import csv
import sys

KIND = "medical_out_of_pocket"


def load(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return {(r["kind"], r["id_number"], int(r["value_fen"])) for r in csv.DictReader(f) if r["kind"] == KIND}


def main():
    if len(sys.argv) < 3:
        sys.exit("用法：agree.py NAME=FILE NAME=FILE ...")
    sets = []
    for arg in sys.argv[1:]:
        name, _, path = arg.partition("=")
        sets.append((name, load(path)))
    base_name, base = sets[0]
    ok = True
    for name, signals in sets:
        print(f"{name}: {len(signals)} signals ({KIND}), total {sum(v for _, _, v in signals)} fen")
    for name, signals in sets[1:]:
        if signals != base:
            ok = False
            only_base = sorted(base - signals)[:5]
            only_other = sorted(signals - base)[:5]
            print(f"DIFFERENT: {base_name} vs {name}: {len(base - signals)} only in {base_name} {only_base}; "
                  f"{len(signals - base)} only in {name} {only_other}")
    if not base:
        ok = False
        print("no signals at all: the comparison would prove nothing")
    print("检查通过 same signals" if ok else "检查失败 signals differ")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
