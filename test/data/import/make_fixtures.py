#!/usr/bin/env python3
"""Writes the household import fixtures in this folder (synthetic people only).

good.csv            3 households, 10 persons, income years 2022 and 2023, members of
                    one household on non-adjacent rows, a 15-digit ID, full-width
                    digits, a lowercase x, a name with a "." dot variant, 1,234.50 amounts.
good_bom.csv        the same with a UTF-8 BOM.
good_gbk.csv        the same converted with `iconv -t GBK`.
bad_*.csv           good.csv with exactly one class of error (see BAD below).
garbage.csv         bytes that are neither UTF-8 nor GB18030.
good.txt            good.csv under an unsupported extension.
Run: python3 make_fixtures.py  (from this folder).
"""
import csv
import io
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17):
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def make_id(address, birth, seq):
    first17 = f"{address}{birth}{seq:03d}"
    return first17 + check_char(first17)


def id_with_x(address, birth, male):
    for seq in range(1, 999):
        if (seq % 2 == 1) != male:
            continue
        candidate = make_id(address, birth, seq)
        if candidate.endswith("X"):
            return candidate
    raise RuntimeError("no X")


FIXED = ["户编号", "所在村代码", "户类型", "脱贫年度", "兜底保障户", "易地搬迁户", "住房安全等级", "不愁吃穿",
         "饮水水量达标", "饮水水质达标", "取水便利", "供水保证率达标", "联系电话", "姓名", "证件号码", "性别",
         "出生日期", "与户主关系", "民族", "文化程度", "在校生状况", "健康状况", "残疾等级", "劳动技能", "务工月数",
         "参加基本医疗保险", "享受低保", "特困供养", "是否死亡"]
INCOME = ["工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出", "合规自付支出"]
YEARS = [2022, 2023]
HEADER = FIXED + [f"{y}年{f}（元）" for y in YEARS for f in INCOME]

A = "630121"
H1 = dict(户编号="630121100201001", 所在村代码="630121100201", 户类型="脱贫户", 脱贫年度="2019", 兜底保障户="否",
          易地搬迁户="否", 住房安全等级="A级", 不愁吃穿="是", 饮水水量达标="是", 饮水水质达标="是", 取水便利="是",
          供水保证率达标="是", 联系电话="13800000001")
H1_INCOME = {2022: ["12,000", "8000.50", "0", "3200", "2500", "1200"],
             2023: ["13000", "8500", "100", "3300", "2600", "0"]}
H2 = dict(户编号="630121100201002", 所在村代码="630121100201", 户类型="一般农户", 脱贫年度="", 兜底保障户="否",
          易地搬迁户="是", 住房安全等级="B", 不愁吃穿="是", 饮水水量达标="是", 饮水水质达标="否", 取水便利="是",
          供水保证率达标="是", 联系电话="")
H2_INCOME = {2022: ["", "", "", "", "", ""], 2023: ["20000", "5000", "", "1800", "1000", "300.25"]}
H3 = dict(户编号="630121100202001", 所在村代码="630121100202", 户类型="脱贫户", 脱贫年度="2020", 兜底保障户="是",
          易地搬迁户="否", 住房安全等级="C级", 不愁吃穿="是", 饮水水量达标="是", 饮水水质达标="是", 取水便利="否",
          供水保证率达标="是", 联系电话="0971-1234567")
H3_INCOME = {2022: ["0", "3000", "0", "9000", "800", "5000"], 2023: ["1000", "3500", "0", "9500", "900", "4200"]}


def person(name, id_number, sex, birth, relation, ethnicity="汉族", education="初中", schooling="非在校生",
           health="健康", disability="无", labour="普通劳动力", months="0", insured="是", allowance="否",
           hardship="否", deceased="否"):
    return dict(姓名=name, 证件号码=id_number, 性别=sex, 出生日期=birth, 与户主关系=relation, 民族=ethnicity,
                文化程度=education, 在校生状况=schooling, 健康状况=health, 残疾等级=disability, 劳动技能=labour,
                务工月数=months, 参加基本医疗保险=insured, 享受低保=allowance, 特困供养=hardship, 是否死亡=deceased)


def row(household, income, member):
    cells = dict(household)
    cells.update(member)
    for year in YEARS:
        for field, value in zip(INCOME, income[year]):
            cells[f"{year}年{field}（元）"] = value
    return cells


def to_fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


ROWS = [
    row(H1, H1_INCOME, person("李建国", make_id(A, "19700315", 11), "男", "1970-03-15", "户主", months="10")),
    row(H1, H1_INCOME, person("王秀英", make_id(A, "19720608", 22), "女", "1972/6/8", "配偶")),
    row(H2, H2_INCOME, person("卓玛", id_with_x(A, "19850101", False).lower(), "女", "19850101", "户主",
                              ethnicity="藏族", education="小学", labour="技能劳动力", months="6")),
    row(H1, H1_INCOME, person("李强", to_fullwidth(make_id(A, "19950720", 31)), "", "", "之子", education="高中",
                              months="12")),
    row(H1, H1_INCOME, person("李小红", make_id(A, "20100909", 42), "女", "2010-09-09", "之女", education="小学",
                              schooling="义务教育在校", labour="无劳动力")),
    row(H1, H1_INCOME, person("李福", make_id(A, "19400101", 51), "男", "1940-01-01", "之父", education="文盲或半文盲",
                              health="长期慢性病", labour="丧失劳动力", deceased="是")),
    row(H3, H3_INCOME, person("阿依古丽.买买提", "630121650315123", "男", "1965-03-15", "户主", ethnicity="其他",
                              health="残疾", disability="二级", labour="弱劳动力或半劳动力", allowance="是")),
    row(H3, H3_INCOME, person("马海燕", make_id(A, "19680210", 62), "女", "1968年2月10日", "配偶", ethnicity="回族",
                              health="患有大病", labour="丧失劳动力", hardship="是")),
    row(H3, H3_INCOME, person("马明", make_id(A, "20180505", 71), "男", "2018-05-05", "之孙子", ethnicity="回族",
                              education="学龄前儿童", schooling="学前教育", labour="无劳动力")),
    row(H2, H2_INCOME, person("扎西", make_id(A, "20080808", 81), "男", "2008-08-08", "之子", ethnicity="藏族",
                              education="初中", schooling="义务教育在校", labour="无劳动力")),
]


def write_csv(name, rows, header=HEADER, bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(column, "") for column in header])
    data = buffer.getvalue().encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(data)


def modified(index, **changes):
    rows = [dict(r) for r in ROWS]
    rows[index].update(changes)
    return rows


def main():
    write_csv("good.csv", ROWS)
    write_csv("good_bom.csv", ROWS, bom=True)
    write_csv("good.txt", ROWS)
    subprocess.run(["iconv", "-f", "UTF-8", "-t", "GBK", "-o", os.path.join(HERE, "good_gbk.csv"),
                    os.path.join(HERE, "good.csv")], check=True)

    good_id = ROWS[1]["证件号码"]
    bad_checksum = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    write_csv("bad_checksum.csv", modified(1, 证件号码=bad_checksum))
    write_csv("bad_id_birth_date.csv", modified(1, 出生日期="1972-06-09"))
    write_csv("bad_id_sex.csv", modified(1, 性别="男"))
    write_csv("bad_unknown_village.csv",
              [dict(r, 所在村代码="630121100999") if r["户编号"] == H3["户编号"] else r for r in ROWS])
    write_csv("bad_not_village.csv",
              [dict(r, 所在村代码="630121100000") if r["户编号"] == H3["户编号"] else r for r in ROWS])
    write_csv("bad_no_head.csv", modified(6, 与户主关系="之子"))
    write_csv("bad_two_heads.csv", modified(9, 与户主关系="户主"))
    write_csv("bad_number.csv", modified(0, 务工月数="十个月"))
    write_csv("bad_negative_money.csv",
              [dict(r, **{"2023年转移性收入（元）": "-300"}) if r["户编号"] == H3["户编号"] else r for r in ROWS])
    write_csv("bad_date.csv", modified(4, 出生日期="2010-02-30"))
    write_csv("bad_duplicate_id.csv", modified(9, 证件号码=ROWS[4]["证件号码"], 出生日期="2010-09-09", 性别="女"))
    write_csv("bad_inconsistent_household.csv", modified(3, 住房安全等级="D级"))
    write_csv("bad_enum.csv", modified(2, 民族="火星族人", 兜底保障户="也许"))
    missing = [c for c in HEADER if c != "证件号码"]
    write_csv("bad_missing_column.csv", ROWS, header=missing)
    write_csv("bad_unknown_column.csv", [dict(r, 家庭住址="某村") for r in ROWS], header=HEADER + ["家庭住址"])
    with open(os.path.join(HERE, "garbage.csv"), "wb") as out:
        out.write(bytes([0xFF, 0xFE, 0x80, 0x81, 0x00, 0xFF, 0x80, 0x2C, 0x0A]) * 200)


if __name__ == "__main__":
    main()
