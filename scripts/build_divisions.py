#!/usr/bin/env python3
"""Build data/reference/divisions.csv, the region table embedded by src/region.

Reports name their region in words, and the words change over time (凤翔县 became
凤翔区 in 2021, 莱芜市 was merged into 济南 in 2019).  This script flattens every
(code, name) pair that appears in any revision of the reference lists into one table,
records when it was seen, and maps it to the code in the newest list, so the resolver
can turn an old name into a current code without knowing the history itself.

Usage:
    python3 scripts/build_divisions.py [REFERENCE_DIR] [--out PATH]

REFERENCE_DIR defaults to ../shared/reference relative to the repository root; the
output defaults to data/reference/divisions.csv.  Standard library only; the output is
sorted so that re-running it gives byte-identical results.

Inputs (see REFERENCE_DIR/README.md):
    gb2260/*.tsv      Source, Revision, Code, Name  (revisions 2008-2019)
    nbs-2023/*.csv    the newest list (areas, cities, provinces)

Output columns:
    code,name,short_name,level,province,prefecture,valid_from,valid_to,current_code
"""

import argparse
import csv
import glob
import os
import sys

NEWEST_YEAR = 2023
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Rows that stand for "the districts/counties of X", not for a place.
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Placeholders whose counties are governed by the province-level municipality itself,
# so the municipality is their prefecture.
MUNICIPAL_PLACEHOLDERS = {"市辖区", "县"}
MUNICIPALITIES = {"11", "12", "31", "50"}

# Longest first, so that 自治县 is stripped before 县.
SUFFIXES = [
    "特别行政区", "自治县", "自治旗", "自治州", "自治区", "林区", "特区", "新区",
    "矿区", "地区", "县", "区", "市", "旗", "盟", "省",
]
# The generic suffix people use for an autonomous unit (金平县 for 金平…自治县).
GENERIC_SUFFIX = {"自治县": "县", "自治旗": "旗", "自治州": "州"}

ETHNIC_GROUPS = [
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
    "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜",
    "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗",
    "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春",
    "赫哲", "门巴", "珞巴", "基诺",
]
# Ethnic names as they occur in autonomous-unit names.  The bare form (哈萨克 in
# 伊犁哈萨克自治州) is only used for multi-character names: a bare 白 or 水 would eat
# into ordinary place names.
ETHNIC_AFFIXES = sorted(
    [g + "族" for g in ETHNIC_GROUPS] + ["各族"] + [g for g in ETHNIC_GROUPS if len(g) > 1],
    key=len,
    reverse=True,
)

# Abolished or renamed units that no naming rule can link to their successor:
# (old code, old name) -> newest code.  Only merges and renames that are well
# documented; split-ups (one old unit spread over several new ones) are left out, and
# anything not listed keeps an empty current_code.
MANUAL_SUCCESSORS = {
    ("110103", "崇文区"): "110101",  # into 东城区, 2010
    ("110104", "宣武区"): "110102",  # into 西城区, 2010
    ("120107", "塘沽区"): "120116",  # into 滨海新区, 2009
    ("120108", "汉沽区"): "120116",
    ("120109", "大港区"): "120116",
    ("140202", "城区"): "140213",  # 大同: 城区 + 矿区 -> 平城区, 2018
    ("140203", "矿区"): "140213",
    ("140211", "南郊区"): "140214",  # -> 云冈区
    ("140227", "大同县"): "140215",  # -> 云州区
    ("140421", "长治县"): "140404",  # -> 上党区, 2018
    ("310103", "卢湾区"): "310101",  # into 黄浦区, 2011
    ("310108", "闸北区"): "310106",  # into 静安区, 2015
    ("320103", "白下区"): "320104",  # into 秦淮区, 2013
    ("320107", "下关区"): "320106",  # into 鼓楼区, 2013
    ("320202", "崇安区"): "320213",  # 崇安 + 南长 + 北塘 -> 梁溪区, 2015
    ("320203", "南长区"): "320213",
    ("320204", "北塘区"): "320213",
    ("320405", "戚墅堰区"): "320412",  # into 武进区, 2015
    ("320502", "沧浪区"): "320508",  # 沧浪 + 平江 + 金阊 -> 姑苏区, 2012
    ("320503", "平江区"): "320508",
    ("320504", "金阊区"): "320508",
    ("320611", "港闸区"): "320613",  # into the new 崇川区, 2020
    ("320705", "新浦区"): "320706",  # into 海州区, 2014
    ("320802", "清河区"): "320812",  # 清河 + 清浦 -> 清江浦区, 2016
    ("320811", "清浦区"): "320812",
    ("321011", "维扬区"): "321003",  # into 邗江区, 2011
    ("330103", "下城区"): "330105",  # into 拱墅区, 2021
    ("330104", "江干区"): "330102",  # into 上城区, 2021
    ("330621", "绍兴县"): "330603",  # -> 柯桥区, 2013
    ("340221", "芜湖县"): "340210",  # -> 湾沚区, 2020
    ("340721", "铜陵县"): "340706",  # -> 义安区, 2016
    ("341402", "居巢区"): "340181",  # -> 巢湖市 (county level), 2011
    ("360421", "九江县"): "360404",  # -> 柴桑区, 2017
    ("360427", "星子县"): "360483",  # -> 庐山市, 2016
    ("361121", "上饶县"): "361104",  # -> 广信区, 2019
    ("371202", "莱城区"): "370116",  # 莱芜 merged into 济南 as 莱芜区, 2019
    ("430221", "株洲县"): "430212",  # -> 渌口区, 2018
    ("440116", "萝岗区"): "440112",  # into 黄埔区, 2014
    ("511521", "宜宾县"): "511504",  # -> 叙州区, 2018
    ("520321", "遵义县"): "520304",  # -> 播州区, 2016
    ("522201", "铜仁市"): "520602",  # -> 碧江区, 2011
    ("522401", "毕节市"): "520502",  # -> 七星关区, 2011
    ("542121", "昌都县"): "540302",  # -> 卡若区, 2014
    ("542301", "日喀则市"): "540202",  # -> 桑珠孜区, 2014
    ("542421", "那曲县"): "540602",  # -> 色尼区, 2017
    ("542621", "林芝县"): "540402",  # -> 巴宜区, 2015
    ("610125", "户县"): "610118",  # -> 鄠邑区, 2016
    ("652101", "吐鲁番市"): "650402",  # -> 高昌区, 2015
    ("652201", "哈密市"): "650502",  # -> 伊州区, 2016
}


def strip_suffix(name):
    """Return (stem, suffix) with the longest administrative suffix that leaves a
    stem of at least two characters (西林区 is 西林 + 区, not 西 + 林区)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)], suffix
    return name, ""


def strip_ethnic(stem):
    """Remove trailing ethnic names (金平苗族瑶族傣族 -> 金平), keeping >= 2 chars."""
    changed = True
    while changed:
        changed = False
        for affix in ETHNIC_AFFIXES:
            rest = stem[: -len(affix)]
            if stem.endswith(affix) and len(rest) >= 2:
                stem, changed = rest, True
                break
    # A unit named after the group alone (鄂温克族自治旗) is known by the bare name.
    if stem.endswith("族") and stem[:-1] in ETHNIC_GROUPS and len(stem) > 2:
        stem = stem[:-1]
    return stem


def is_dev_zone(code):
    """Development zones (5th-6th digits 71-80) carry descriptive names, not place names."""
    return level_of(code) == "county" and 71 <= int(code[4:6]) <= 80


def short_name(name, code=""):
    """The conventional short form: 宝鸡市 -> 宝鸡, 红河哈尼族彝族自治州 -> 红河.

    One-character stems (眉县, 城区) are not shortened: a lone character is not how
    anybody refers to the place and would match everywhere.  Development zones keep
    their full name for the same reason.
    """
    if code and is_dev_zone(code):
        return name
    stem, suffix = strip_suffix(name)
    if suffix.startswith("自治"):
        stem = strip_ethnic(stem)
    return stem if len(stem) >= 2 else name


def level_of(code):
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def read_revisions(ref_dir):
    """Yield (year, code, name) from the gb2260 revisions, skipping placeholders."""
    for path in sorted(glob.glob(os.path.join(ref_dir, "gb2260", "*.tsv"))):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                name = row["Name"].strip()
                if name in PLACEHOLDERS:
                    continue
                yield int(row["Revision"][:4]), row["Code"].strip(), name


def read_newest(ref_dir):
    """Return ({code: name} of real units, {4-digit city code: name incl. placeholders})."""
    base = os.path.join(ref_dir, "nbs-2023")
    units, cities = {}, {}
    with open(os.path.join(base, "provinces.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            units[row["code"] + "0000"] = row["name"].strip()
    with open(os.path.join(base, "cities.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            cities[row["code"]] = row["name"].strip()
            if row["name"].strip() not in PLACEHOLDERS:
                units[row["code"] + "00"] = row["name"].strip()
    with open(os.path.join(base, "areas.csv"), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            units[row["code"]] = row["name"].strip()
    return units, cities


def collect_spans(ref_dir, newest):
    """Map (code, name) -> [first year, last year or None if in the newest list]."""
    spans = {}
    for year, code, name in read_revisions(ref_dir):
        span = spans.setdefault((code, name), [year, year])
        span[0], span[1] = min(span[0], year), max(span[1], year)
    for code, name in newest.items():
        span = spans.setdefault((code, name), [NEWEST_YEAR, None])
        span[1] = None
    return spans


def last_known_names(spans):
    """code -> the name it had most recently, for enclosing units that no longer exist."""
    best = {}
    for (code, name), (_, last) in spans.items():
        key = NEWEST_YEAR + 1 if last is None else last
        if code not in best or key > best[code][0]:
            best[code] = (key, name)
    return {code: name for code, (_, name) in best.items()}


def enclosing_names(code, newest, cities, known):
    """(province, prefecture) names for a row, current names where they still exist."""
    prov_code = code[:2] + "0000"
    province = newest.get(prov_code) or known.get(prov_code, "")
    level = level_of(code)
    if level == "province":
        return province, ""
    if level == "prefecture":
        return province, ""
    city = cities.get(code[:4])
    if city in MUNICIPAL_PLACEHOLDERS:
        return province, province
    if city is not None and city not in PLACEHOLDERS:
        return province, city
    if city is None and code[:2] in MUNICIPALITIES:
        return province, province
    if city is None:
        return province, known.get(code[:4] + "00", "")
    return province, ""


def unique(codes):
    codes = sorted(set(codes))
    return codes[0] if len(codes) == 1 else ""


def same_prefecture(code, other):
    """Whether two codes lie in the same prefecture; a municipality counts as one
    prefecture, because its 县 moved from xx02xx to xx01xx codes when they became 区."""
    if code[:2] in MUNICIPALITIES:
        return code[:2] == other[:2]
    return code[:4] == other[:4]


def moved_within_province(code, name, key, newest, spans):
    """A unit that changed prefecture keeps its name (钢城区: 莱芜 -> 济南).

    Accepted only when the new unit first appears no earlier than the old one was last
    seen, and every unit of the province that ever had that name lies in the old or
    the new prefecture, so generic names such as 城区 or 市中区 are never linked to a
    long-standing namesake elsewhere in the province."""
    level = level_of(code)
    wanted = key(code, name)
    hit = unique(c for c in newest if c[:2] == code[:2] and level_of(c) == level
                 and key(c, newest[c]) == wanted)
    if not hit or spans[(hit, newest[hit])][0] < spans[(code, name)][1]:
        return ""
    namesakes = {c[:4] for (c, n) in spans if c[:2] == code[:2]
                 and level_of(c) == level and key(c, n) == wanted}
    return hit if namesakes <= {code[:4], hit[:4]} else ""


def renamed_one_char(code, name, newest, spans):
    """One-character counties renamed on becoming 区/市 (开县 -> 开州区, 华县 -> 华州区):
    a unit of the same prefecture that starts with the same character and first appears
    when the old name disappears."""
    if len(name) != 2 or not name.endswith("县"):
        return ""
    last = spans[(code, name)][1]
    return unique(
        c for c, n in newest.items()
        if level_of(c) == "county" and same_prefecture(code, c) and n[0] == name[0]
        and len(n) == 3 and n[-1] in "区市" and spans[(c, n)][0] >= last
    )


def successor(code, name, newest, spans):
    """The newest-list code an old (code, name) maps to, or '' when none is found.

    Tried in order: the code itself; the manual list of merges; the same name or the same short name (县→区/市
    renames) in the same prefecture; the same name or short name after a move to
    another prefecture of the province; one-character county renames; a county
    promoted to prefecture (儋州市).
    """
    if code in newest:
        return code
    if (code, name) in MANUAL_SUCCESSORS:
        return MANUAL_SUCCESSORS[(code, name)]
    level = level_of(code)
    full = lambda c, n: n
    short = lambda c, n: short_name(n, c)
    same_pref = [c for c in newest if same_prefecture(code, c) and level_of(c) == level]
    for key in (full, short):
        hit = unique(c for c in same_pref if key(c, newest[c]) == key(code, name))
        if hit:
            return hit
    for key in (full, short):
        hit = moved_within_province(code, name, key, newest, spans)
        if hit:
            return hit
    hit = renamed_one_char(code, name, newest, spans)
    if not hit and level == "county":
        hit = unique(c for c, n in newest.items()
                     if c[:2] == code[:2] and level_of(c) == "prefecture" and n == name)
    return hit


def build_rows(ref_dir):
    newest, cities = read_newest(ref_dir)
    spans = collect_spans(ref_dir, newest)
    known = last_known_names(spans)
    for (code, name), target in sorted(MANUAL_SUCCESSORS.items()):
        if target not in newest or (code, name) not in spans:
            sys.exit(f"manual successor {code} {name} -> {target} not in the reference lists")
    rows = []
    for (code, name), (first, last) in spans.items():
        if "," in name or '"' in name:
            sys.exit(f"unexpected delimiter in name {code} {name!r}")
        province, prefecture = enclosing_names(code, newest, cities, known)
        rows.append([
            code, name, short_name(name, code), level_of(code), province, prefecture,
            str(first), "" if last is None else str(last), successor(code, name, newest, spans),
        ])
    rows.sort(key=lambda r: (r[0], r[6], r[1]))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reference", nargs="?",
                        default=os.path.join(REPO_ROOT, "..", "shared", "reference"))
    parser.add_argument("--out",
                        default=os.path.join(REPO_ROOT, "data", "reference", "divisions.csv"))
    args = parser.parse_args()
    rows = build_rows(args.reference)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        fh.write("code,name,short_name,level,province,prefecture,valid_from,valid_to,current_code\n")
        for row in rows:
            fh.write(",".join(row) + "\n")
    unmapped = sum(1 for r in rows if not r[8])
    print(f"wrote {len(rows)} rows to {args.out} ({unmapped} without current_code)")


if __name__ == "__main__":
    main()
