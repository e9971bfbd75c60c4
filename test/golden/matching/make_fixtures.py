#!/usr/bin/env python3
"""Writes the golden linkage fixtures in this folder (synthetic people only; README.md).

registry.csv         40 persons in 12 households of six real Qinghai villages, in the household
                     import template (docs/formats/households.md), importable with
                     `zhenxing import --db X households registry.csv`.
medical.csv          a medical-insurance feed (UTF-8) with one row per linkage case.
expected.csv         row,id_number,match_class,reason_contains,case — the expected link of every
                     data row of medical.csv.
expected_issues.csv  row,column,rejected,reason_contains — every row/cell problem the reader must
                     report, exhaustively.

Every repaired row is checked here: its ID fails the checksum and exactly one registry person is
reachable by one digit substitution or one adjacent transposition with a name that agrees.
Run: python3 make_fixtures.py  (from this folder; deterministic).
"""
import csv
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(first17):
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def valid(id18):
    return len(id18) == 18 and id18[:17].isdigit() and check_char(id18[:17]) == id18[17]


def make_id(address, birth, seq):
    first17 = f"{address}{birth}{seq:03d}"
    return first17 + check_char(first17)


def to_fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def to15(id18):
    return id18[:6] + id18[8:17]


# ---------------------------------------------------------------------------------------------
# Registry. Villages (real codes from data/divisions):
#   630121100201 元树尔村委会, 630121100200 大煤洞村委会 — 大通回族土族自治县 (630121)
#   630224100201 金家庄村民委员会 — 化隆回族自治县 (630224)
#   632301100201 吾屯下庄村委会 — 同仁市 (632301; IDs issued before 2020 carry the old 同仁县
#                code 632321)
#   632701001201 萨果贡村委会 — 玉树市 (632701)
#   632324100201 荷日恒牧委会 — 河南蒙古族自治县 (632324)
HOUSEHOLD_COLUMNS = ["户编号", "所在村代码", "户类型", "脱贫年度", "兜底保障户", "易地搬迁户", "住房安全等级",
                     "不愁吃穿", "饮水水量达标", "饮水水质达标", "取水便利", "供水保证率达标", "联系电话"]
PERSON_COLUMNS = ["姓名", "证件号码", "性别", "出生日期", "与户主关系", "民族", "文化程度", "在校生状况", "健康状况",
                  "残疾等级", "劳动技能", "务工月数", "参加基本医疗保险", "享受低保", "特困供养", "是否死亡"]
INCOME = ["工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出", "合规自付支出"]
REGISTRY_HEADER = HOUSEHOLD_COLUMNS + PERSON_COLUMNS + [f"2023年{f}（元）" for f in INCOME]

# (number, village, ex_poor, members); member = (key, name, sex, birth, relation, ethnicity, seq)
# `key` names the person in the feed cases below; seq is the ID sequence number (odd = male).
HOUSEHOLDS = [
    ("630121100201001", "630121100201", True, [
        ("wang_jianguo", "王建国", "男", "19680412", "户主", "汉族", 11),
        ("li_xiuying", "李秀英", "女", None, "配偶", "汉族", None),  # seq chosen for a check char X
        ("wang_lei", "王磊", "男", "19950217", "之子", "汉族", 31),
        ("wang_fang", "王芳", "女", "19981130", "之女", "汉族", 42),
        ("wang_xiulan", "王秀兰", "女", "19450202", "之母", "汉族", 22),
    ]),
    ("630121100201002", "630121100201", False, [
        ("li_ming", "李明", "男", "19750601", "户主", "汉族", 13),
        ("zhang_li", "张丽", "女", "19760321", "配偶", "汉族", 24),
        ("li_hao", "李浩", "男", "20030815", "之子", "汉族", 35),
        # Twins sharing a birth date; sequence numbers one digit apart (see TWIN_SEQS).
        ("li_xin", "李欣", "女", "20080520", "之女", "汉族", None),
        ("li_yue", "李悦", "女", "20080520", "之女", "汉族", None),
    ]),
    ("630121100201003", "630121100201", True, [
        ("ma_fuxiang", "马福祥", "男", "19600105", "户主", "回族", 15),
        ("ma_xiulan", "马秀兰", "女", "19620707", "配偶", "回族", 26),
        ("ma_hailong", "马海龙", "男", "19881010", "之子", "回族", 37),
    ]),
    ("630121100201004", "630121100201", False, [
        ("chen_jianhua", "陈建华", "男", "19581225", "户主", "汉族", 17),
        ("liu_shulan", "刘淑兰", "女", "19600618", "配偶", "汉族", 28),
    ]),
    ("630121100201005", "630121100201", True, [
        # Legacy 15-digit ID holder: the registry file carries the 15-digit form (import upgrades it).
        ("wang_deming", "王德明", "男", "19520719", "户主", "汉族", 19),
        ("wang_wei_1", "王伟", "男", "19850505", "之子", "汉族", 51),
    ]),
    ("630121100200001", "630121100200", False, [
        # A namesake: same name, birth date and county as wang_wei_1, another household.
        ("wang_wei_2", "王伟", "男", "19850505", "户主", "汉族", 73),
        ("zhang_guiying", "张桂英", "女", "19871010", "配偶", "汉族", 64),
    ]),
    ("630224100201001", "630224100201", True, [
        ("han_zhanhai", "韩占海", "男", "19720214", "户主", "撒拉族", 11),
        ("ma_maieryan", "马麦尔燕", "女", "19740509", "配偶", "回族", 22),
        ("han_nuer", "韩努尔", "男", "20001201", "之子", "撒拉族", 33),
    ]),
    ("630224100201002", "630224100201", False, [
        ("ma_guoqiang", "马国强", "男", "19830315", "户主", "回族", 15),
        ("ma_yumei", "马玉梅", "女", "19850808", "配偶", "回族", 26),
        ("ma_xiaoyan", "马小燕", "女", "20100101", "之女", "回族", 42),
    ]),
    ("632301100201001", "632301100201", True, [
        ("cairang_duojie", "才让多杰", "男", "19651001", "户主", "藏族", 11),
        ("zhuoma_c", "卓玛", "女", "19670404", "配偶", "藏族", 22),
        ("cairang_zhuoma", "才让卓玛", "女", "19900715", "之女", "藏族", 32),
        ("duojie_cairang", "多杰才让", "男", "19920120", "之子", "藏族", 43),
    ]),
    ("632301100201002", "632301100201", False, [
        ("gengdeng", "更登", "男", "19700303", "户主", "藏族", 15),
        ("lamaocuo", "拉毛措", "女", "19730616", "配偶", "藏族", 26),
        ("sangjiejia", "桑杰加", "男", "19990909", "之子", "藏族", 37),
        ("dangzheng", "旦正", "男", "20010505", "之子", "藏族", 47),
    ]),
    ("632701001201001", "632701001201", True, [
        ("nima_zhaxi", "尼玛扎西", "男", "19801111", "户主", "藏族", 11),
        ("yangjin_zhuoma", "央金卓玛", "女", "19820202", "配偶", "藏族", 22),
        ("zhaxi_nima", "扎西尼玛", "男", "20100404", "之子", "藏族", 33),
        ("zhuoma_d", "卓玛", "女", "20120606", "之女", "藏族", 44),
    ]),
    ("632324100201001", "632324100201", False, [
        ("bateer_menghe", "巴特尔·孟和", "男", "19750525", "户主", "蒙古族", 11),
        ("qimuge_wuyun", "其木格·乌云", "女", "19770113", "配偶", "蒙古族", 22),
        ("alatan_bateer", "阿拉坦·巴特尔", "男", "20030330", "之子", "蒙古族", 33),
    ]),
]
LI_XIUYING_BIRTH = "19700903"


def id_address(village, birth):
    county = village[:6]
    # 同仁县 (632321) became 同仁市 (632301) in 2020; everyone here was born before.
    return "632321" if county == "632301" else county


def twin_seqs(address, birth):
    """Two even sequence numbers one digit apart whose check characters differ."""
    for a in range(2, 998, 2):
        for b in range(a + 2, 1000, 2):
            sa, sb = f"{a:03d}", f"{b:03d}"
            if sum(x != y for x, y in zip(sa, sb)) != 1:
                continue
            if make_id(address, birth, a)[17] != make_id(address, birth, b)[17]:
                return a, b
    raise RuntimeError("no twin sequences")


def x_seq(address, birth, male):
    for seq in range(1, 999):
        if (seq % 2 == 1) == male and make_id(address, birth, seq).endswith("X"):
            return seq
    raise RuntimeError("no X")


PERSONS = {}  # key -> dict(name, id, sex, birth, household, village)
REGISTRY_ROWS = []
for number, village, ex_poor, members in HOUSEHOLDS:
    for key, name, sex, birth, relation, ethnicity, seq in members:
        if key == "li_xiuying":
            birth = LI_XIUYING_BIRTH
            seq = x_seq(id_address(village, birth), birth, male=False)
        if key in ("li_xin", "li_yue"):
            a, b = twin_seqs(id_address(village, birth), birth)
            seq = a if key == "li_xin" else b
        id18 = make_id(id_address(village, birth), birth, seq)
        assert (seq % 2 == 1) == (sex == "男"), key
        PERSONS[key] = dict(name=name, id=id18, sex=sex, birth=birth, household=number, village=village)
        iso = f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"
        age = 2024 - int(birth[:4])
        cells = {
            "户编号": number, "所在村代码": village, "户类型": "脱贫户" if ex_poor else "一般农户",
            "脱贫年度": "2019" if ex_poor else "", "兜底保障户": "否", "易地搬迁户": "否", "住房安全等级": "A级",
            "不愁吃穿": "是", "饮水水量达标": "是", "饮水水质达标": "是", "取水便利": "是", "供水保证率达标": "是",
            "联系电话": "",
            "姓名": name, "证件号码": to15(id18) if key == "wang_deming" else id18, "性别": sex, "出生日期": iso,
            "与户主关系": relation, "民族": ethnicity,
            "文化程度": "初中" if age >= 16 else "小学",
            "在校生状况": "义务教育在校" if age < 16 else "非在校生",
            "健康状况": "健康", "残疾等级": "无",
            "劳动技能": "无劳动力" if age < 16 or age > 70 else "普通劳动力",
            "务工月数": "0", "参加基本医疗保险": "是", "享受低保": "否", "特困供养": "否", "是否死亡": "否",
        }
        for field, value in zip(INCOME, ["12000", "3000", "0", "2400", "1500", "600"]):
            cells[f"2023年{field}（元）"] = value
        REGISTRY_ROWS.append(cells)
assert len(PERSONS) == 40, len(PERSONS)
ALL_IDS = {p["id"]: k for k, p in PERSONS.items()}


def single_edits(id18):
    out = set()
    for pos in range(18):
        digits = "0123456789X" if pos == 17 else "0123456789"
        for d in digits:
            if d != id18[pos]:
                out.add(id18[:pos] + d + id18[pos + 1:])
    for pos in range(17):
        if id18[pos] != id18[pos + 1]:
            out.add(id18[:pos] + id18[pos + 1] + id18[pos] + id18[pos + 2:])
    return out


def reachable_persons(id18):
    return sorted(ALL_IDS[c] for c in single_edits(id18) if valid(c) and c in ALL_IDS)


def substituted(key, pos):
    id18 = PERSONS[key]["id"]
    for d in "1234567890":
        typo = id18[:pos] + d + id18[pos + 1:]
        if d != id18[pos] and not valid(typo):
            return typo
    raise RuntimeError(key)


def transposed(key, pos):
    id18 = PERSONS[key]["id"]
    typo = id18[:pos] + id18[pos + 1] + id18[pos] + id18[pos + 2:]
    assert id18[pos] != id18[pos + 1] and not valid(typo), key
    return typo


# ---------------------------------------------------------------------------------------------
# The medical feed. Each case: (case, cells, expected person key or None, class, reason phrase).
FEED_HEADER = ["姓名", "证件号码", "结算日期", "个人自付", "医疗总费用", "性别", "出生日期", "参保地区划代码", "就诊类别"]


def iso(key):
    b = PERSONS[key]["birth"]
    return f"{b[:4]}-{b[4:6]}-{b[6:]}"


def cells(name, id_number, date="2024-03-05", amount="320.50", total="1200", sex="", birth="", area="",
          category="门诊"):
    return [name, id_number, date, amount, total, sex, birth, area, category]


P = PERSONS
twin_typo = P["li_yue"]["id"][:17] + P["li_xin"]["id"][17]  # one edit from both twins' IDs
outsider_id = make_id("630121", "19900101", 995)
outsider15 = "630121650101993"
unrepairable = "630121199901019990"
assert not valid(unrepairable) and not reachable_persons(unrepairable)
assert outsider_id not in ALL_IDS and make_id("630121", "19650101", 993) not in ALL_IDS

CASES = [
    ("exact", cells("王建国", P["wang_jianguo"]["id"], amount="9,800.00", total="26000", category="住院"),
     "wang_jianguo", "exact", ""),
    ("lowercase x", cells("李秀英", P["li_xiuying"]["id"].lower()), "li_xiuying", "exact", ""),
    ("full-width digits", cells("马福祥", to_fullwidth(P["ma_fuxiang"]["id"])), "ma_fuxiang", "exact", ""),
    ("15-digit holder (registry file had 15 digits too)", cells("王德明", to15(P["wang_deming"]["id"])),
     "wang_deming", "upgraded", "15 位身份证号码升级为 18 位后一致"),
    ("15-digit form of an 18-digit registry ID", cells("王秀兰", to15(P["wang_xiulan"]["id"])),
     "wang_xiulan", "upgraded", "15 位身份证号码升级为 18 位后一致"),
    ("single-digit substitution, confirmed by name and birth date",
     cells("马国强", substituted("ma_guoqiang", 15), birth=iso("ma_guoqiang")), "ma_guoqiang", "repaired",
     "单个数字错误"),
    ("adjacent transposition, confirmed by name and birth date",
     cells("才让卓玛", transposed("cairang_zhuoma", 12), birth=iso("cairang_zhuoma")), "cairang_zhuoma",
     "repaired", "相邻两位颠倒"),
    ("twin: the typo is one edit from both twins' IDs; the name decides",
     cells("李悦", twin_typo, birth=iso("li_yue")), "li_yue", "repaired", "校验位"),
    ("repair confirmed by a traditional-character name (馬秀蘭)",
     cells("馬秀蘭", substituted("ma_xiulan", 14), birth=iso("ma_xiulan")), "ma_xiulan", "repaired",
     "单个数字错误"),
    ("repair confirmed by a homophone name (张莉 for 张丽)",
     cells("张莉", substituted("zhang_li", 16), birth=iso("zhang_li")), "zhang_li", "repaired", "单个数字错误"),
    ("repair confirmed by a dot-variant name (U+2027)",
     cells("其木格\u2027乌云", transposed("qimuge_wuyun", 14)), "qimuge_wuyun", "repaired", "相邻两位颠倒"),
    ("checksum-valid ID of a different person (马玉梅) on 韩占海's row: not linked to her",
     cells("韩占海", P["ma_yumei"]["id"], birth=iso("han_zhanhai"), sex="男"), None, "unmatched", "姓名"),
    ("valid ID of nobody in the registry", cells("赵四", outsider_id), None, "unmatched", "登记库（本范围）中没有此人"),
    ("missing ID: name + birth date + county", cells("更登", "", sex="男", birth=iso("gengdeng"), area="632301"),
     "gengdeng", "probabilistic", "概率匹配"),
    ("missing ID, traditional characters (陳建華)",
     cells("陳建華", "", sex="男", birth=iso("chen_jianhua"), area="630121"), "chen_jianhua", "probabilistic",
     "概率匹配"),
    ("missing ID, look-alike/homophone (桌玛 for 卓玛)",
     cells("桌玛", "", sex="女", birth=iso("zhuoma_c"), area="632301"), "zhuoma_c", "probabilistic", "概率匹配"),
    ("missing ID, homophone (拉毛错 for 拉毛措)",
     cells("拉毛错", "", sex="女", birth=iso("lamaocuo"), area="632301"), "lamaocuo", "probabilistic",
     "概率匹配"),
    ("missing ID, dot variant U+2022 (巴特尔•孟和)",
     cells("巴特尔\u2022孟和", "", sex="男", birth=iso("bateer_menghe"), area="632324"), "bateer_menghe",
     "probabilistic", "概率匹配"),
    ("missing ID, dropped segment of a minority name (巴特尔 for 阿拉坦·巴特尔)",
     cells("巴特尔", "", sex="男", birth=iso("alatan_bateer"), area="632324"), "alatan_bateer", "probabilistic",
     "概率匹配"),
    ("missing ID, Tibetan name without surname shared by two persons; birth date decides",
     cells("卓玛", "", sex="女", birth=iso("zhuoma_d"), area="632701"), "zhuoma_d", "probabilistic", "概率匹配"),
    ("missing ID, twin: same birth date as her sister, the name decides",
     cells("李欣", "", sex="女", birth=iso("li_xin"), area="630121"), "li_xin", "probabilistic", "概率匹配"),
    ("common-name collision: two 王伟 with one birth date and county", 
     cells("王伟", "", sex="男", birth=iso("wang_wei_1"), area="630121"), None, "unmatched", "无法确定"),
    ("missing ID, nobody like this in the registry",
     cells("李四", "", sex="男", birth="2001-01-01", area="630121"), None, "unmatched", "没有身份证号码"),
    ("unrepairable ID and no name", cells("", unrepairable), None, "unmatched", "校验失败"),
    ("malformed: settlement date 2024-02-30", cells("王磊", P["wang_lei"]["id"], date="2024-02-30"), None,
     "unmatched", "行被拒绝"),
    ("malformed: negative out-of-pocket amount", cells("王芳", P["wang_fang"]["id"], amount="-35.00"), None,
     "unmatched", "行被拒绝"),
    ("malformed: empty out-of-pocket amount (required)", cells("马海龙", P["ma_hailong"]["id"], amount=""), None,
     "unmatched", "行被拒绝"),
    ("bad optional birth date is noted, the row still links",
     cells("韩努尔", P["han_nuer"]["id"], birth="2000-13-01"), "han_nuer", "exact", ""),
    ("Tibetan name without surname, exact ID", cells("才让多杰", P["cairang_duojie"]["id"]), "cairang_duojie",
     "exact", ""),
    ("ID with spaces and a hyphen",
     cells("尼玛扎西", P["nima_zhaxi"]["id"][:6] + " " + P["nima_zhaxi"]["id"][6:14] + "-" +
           P["nima_zhaxi"]["id"][14:]), "nima_zhaxi", "exact", ""),
    ("dot variant U+30FB in the name, exact ID", cells("阿拉坦\u30fb巴特尔", P["alatan_bateer"]["id"]),
     "alatan_bateer", "exact", ""),
    ("malformed: neither name nor ID", cells("", ""), None, "unmatched", "行被拒绝"),
    ("15-digit ID of nobody in the registry", cells("孙七", outsider15), None, "unmatched", "15 位身份证号码升级后"),
]

# Every problem the reader must report: (row, column, rejected, reason phrase).
ISSUES = [
    (25, "结算日期", True, "不是有效日期"),
    (26, "个人自付", True, "负"),
    (27, "个人自付", True, "为空"),
    (28, "出生日期", False, "不是有效日期"),
    (32, "姓名", True, "姓名和身份证号码都为空"),
]


def check_cases():
    for idx, (case, row, person, klass, _) in enumerate(CASES, start=1):
        id_cell = row[1]
        if klass == "repaired":
            assert not valid(id_cell), case
            candidates = reachable_persons(id_cell)
            assert person in candidates, (case, candidates)
            agreeing = [c for c in candidates if PERSONS[c]["name"] == PERSONS[person]["name"]]
            assert agreeing == [person], (case, candidates)
        if case.startswith("twin: the typo"):
            assert reachable_persons(id_cell) == ["li_xin", "li_yue"], reachable_persons(id_cell)
    assert CASES[24][0].startswith("malformed: settlement") and CASES[31][0].startswith("malformed: neither")


def write_csv(name, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(buffer.getvalue().encode("utf-8"))


def main():
    check_cases()
    write_csv("registry.csv", REGISTRY_HEADER, [[r.get(c, "") for c in REGISTRY_HEADER] for r in REGISTRY_ROWS])
    write_csv("medical.csv", FEED_HEADER, [row for _, row, _, _, _ in CASES])
    write_csv("expected.csv", ["row", "id_number", "match_class", "reason_contains", "case"],
              [[idx, PERSONS[person]["id"] if person else "", klass, reason, case]
               for idx, (case, _, person, klass, reason) in enumerate(CASES, start=1)])
    write_csv("expected_issues.csv", ["row", "column", "rejected", "reason_contains"],
              [[row, column, "1" if rejected else "0", reason] for row, column, rejected, reason in ISSUES])


if __name__ == "__main__":
    main()
