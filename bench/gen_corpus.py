#!/usr/bin/env python3
"""Benchmark corpus generator for `ogi build` (stdlib only, deterministic from --seed).

    python3 bench/gen_corpus.py --n 100000 --out ~/.cache/ogi-bench/corpus-100000-seed1
    python3 bench/gen_corpus.py --out DIR --mutate-percent 1 --seed 7   # rewrite 1% of DIR
    python3 bench/gen_corpus.py --out DIR --restore                     # undo all mutations

Writes N reports into DIR in subdirectories of 1000 (`00000/0000000.txt`, ...), plus a
manifest next to it, `DIR.manifest.json` (written last: its presence means DIR is
complete; it also lists the files changed by --mutate-percent until --restore). The
corpus directory itself holds only reports, so `cat`-ing every file in it is the I/O
floor of a build.

What the files are (the table renderers are those of
tests/fixtures/shapes/make_fixtures.py, imported as a module):

* real county-level regions from data/reference/divisions.csv (current ones, named as
  they were in the report's year, so 凤翔县 2020 / 凤翔区 2021), years 2019-2024. Report
  i belongs to county-year (i mod K), K = min(6 * counties, ceil(N / 4)): the same county
  has a report for each of the six years, so year-on-year rankings have data. The first
  report of a county-year is the 人民政府's, the second usually the 办公室's, the rest
  departments and townships (so there are several reports per region and year);
* the 2019 template for 2019-2020 and the 2021 template from 2021, in every shape the
  contract lists (cell per line with and without blank lines, empty cells kept as blank
  lines, rows split by spaces or tabs, markdown, HTML, pdftotext -layout, split
  headers with full-width digits, zero markers, total-only, glued rows; 2% each of a
  whole report on one line, pdfminer's column-by-column order, HTML with empty zero
  cells, OCR Markdown with one small table per row), with numbers
  that satisfy the template arithmetic (row sums, 勾稽关系, outcome sums, table 四);
* some GB18030, UTF-8 with BOM and UTF-16 files; ~1% legacy (2013-2018) prose or
  统计表 reports; ~1% bad files (empty, random bytes, NULs, 404 pages, truncated);
* 5-15 KB per file, like real reports: 一、总体情况 is padded with plausible prose.

Everything about file i is a function of (seed, N, i) only, so files can be generated in
parallel (--jobs) and any one can be regenerated (that is how --restore works).
"""
import argparse
import csv
import hashlib
import json
import math
import os
import random
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures", "shapes"))
import make_fixtures as mf  # noqa: E402

GEN_VERSION = 2  # bump when the output for a given (seed, N) changes
PER_DIR = 1000
YEARS = list(range(2019, 2025))

# ---------------------------------------------------------------- mix
# (shape of make_fixtures.render, weight in %)
SHAPES = [
    ("cpl_blank", 18), ("cpl_blank_hw", 6), ("cpl_noblank", 9), ("keep_empty", 9),
    ("rowline", 8), ("rowline_crlf", 2), ("tabs", 7), ("markdown", 5), ("html", 10),
    ("pdf", 8), ("fullwidth", 3), ("markers", 3), ("total_only", 2), ("glued", 2),
    ("oneline", 2), ("pdfminer", 2), ("html_empty", 2), ("ocr_markdown", 2),
]
SHAPE_CUM = []
_acc = 0
for _s, _w in SHAPES:
    _acc += _w
    SHAPE_CUM.append((_acc, _s))
assert _acc == 100
LEGACY_PER_MILLE = 10
BAD_PER_MILLE = 10

DEPARTMENTS = [
    "教育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源局",
    "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局",
    "卫生健康局", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局",
    "医疗保障局", "林业局", "城市管理局", "行政审批服务局", "发展和改革局", "工业和信息化局",
    "科学技术局", "信访局", "乡村振兴局", "民族宗教事务局", "档案馆",
]
TOWN_A = "东西南北新安平和兴石河山桥坪城关宝龙凤永丰长青清水马王李高柳杨"
TOWN_SUFFIX = ["镇人民政府", "镇人民政府", "乡人民政府", "街道办事处"]

# ---------------------------------------------------------------- regions


def load_counties(path=os.path.join(ROOT, "data", "reference", "divisions.csv")):
    """Current county-level regions: list of dicts with the name valid in each year."""
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    current = [r for r in rows if r["level"] == "county" and not r["valid_to"]]
    by_current = {}
    for r in rows:
        if r["level"] == "county" and r["valid_to"] and r["current_code"] and r["current_code"] != r["code"]:
            by_current.setdefault(r["current_code"], []).append(r)
    name_count = {}
    for r in current:
        name_count[r["name"]] = name_count.get(r["name"], 0) + 1
    out = []
    for r in sorted(current, key=lambda r: r["code"]):
        names = {}
        for y in range(YEARS[0] - 6, YEARS[-1] + 1):  # legacy reports are 2013-2018
            names[y] = r["name"]
            for old in by_current.get(r["code"], []):
                if int(old["valid_from"]) <= y <= int(old["valid_to"]):
                    names[y] = old["name"]
        out.append({"code": r["code"], "names": names, "province": r["province"],
                    "prefecture": r["prefecture"] or r["province"],
                    "ambiguous": name_count[r["name"]] > 1})
    return out


def short_of(name):
    for suf in ("县", "区", "市", "旗"):
        if name.endswith(suf):
            return suf
    return "县"


# ---------------------------------------------------------------- prose padding
PAD = {
    "zd": [  # 主动公开
        "全年通过政府门户网站发布政务动态信息{a}条，通知公告{b}条，人事信息{c}条。",
        "围绕重大决策部署，发布政策解读材料{a}篇，其中图文解读{b}篇、视频解读{c}个。",
        "及时公开财政预决算、“三公”经费等信息，涉及部门{a}个，公开率达到100%。",
        "召开新闻发布会{a}场，回应社会关切{b}次，政务新媒体累计推送信息{c}条。",
        "对行政规范性文件开展集中清理，保留{a}件，修改{b}件，宣布失效{c}件。",
        "加大重点领域信息公开力度，在乡村振兴、生态环境、教育医疗等领域公开信息{a}条。",
        "规范“双随机、一公开”监管信息公示，全年公示抽查结果{a}条。",
    ],
    "ysq": [  # 依申请公开
        "严格执行依申请公开工作规程，规范受理、审查、答复等各个环节，确保依法按时答复。",
        "进一步畅通网上申请、信函申请和当面申请渠道，在政务服务大厅设立依申请公开受理窗口{a}个。",
        "对疑难复杂申请组织会商{a}次，邀请法律顾问审查答复文书{b}份。",
        "加强答复文书规范化建设，统一答复格式，明确告知救济途径。",
    ],
    "gl": [  # 政府信息管理
        "严格落实信息发布“三审三校”制度，全年审核拟公开信息{a}条。",
        "动态调整政府信息公开目录，新增公开事项{a}项，调整{b}项。",
        "开展政府网站和政务新媒体常态化监测，整改问题{a}个。",
        "做好政府公报编辑工作，全年编印政府公报{a}期，发放{b}册。",
        "加强公开前保密审查，未发生泄密事件和因公开不当引发的负面舆情。",
    ],
    "pt": [  # 平台建设
        "优化政府门户网站政府信息公开专栏，完善栏目{a}个，全年网站访问量{b}万人次。",
        "在政务服务中心、图书馆、档案馆设立政府信息公开查阅点{a}个，接待查阅群众{b}人次。",
        "依托政务新媒体矩阵发布信息，账号{a}个，粉丝总数{b}万人。",
        "推进基层政务公开标准化规范化建设，完成{a}个领域的标准目录编制。",
    ],
    "jd": [  # 监督保障
        "将政务公开工作纳入年度目标责任考核，分值占比{a}%。",
        "组织开展政务公开业务培训{a}期，培训人员{b}人次。",
        "聘请社会监督员{a}名，收集意见建议{b}条，均已办理反馈。",
        "开展政务公开工作检查{a}次，通报问题{b}个，督促整改到位。",
        "健全政府信息公开工作责任追究制度，本年度未发生责任追究情况。",
    ],
}
PAD_HEADS = [("zd", "（一）主动公开"), ("ysq", "（二）依申请公开"), ("gl", "（三）政府信息管理"),
             ("pt", "（四）政府信息公开平台建设"), ("jd", "（五）监督保障")]
PAD_LEAD = [
    "坚持以公开为常态、不公开为例外，",
    "认真落实上级政务公开工作要点，",
    "紧紧围绕经济社会发展大局，",
    "以群众需求为导向，",
]


_PAD_POOL = {}


def _pad_pool(key):
    """The sentences of one subsection with their numbers filled in (fixed pool: choosing
    from it is much cheaper than formatting every sentence of every file)."""
    if key not in _PAD_POOL:
        r = random.Random("pad:" + key)
        _PAD_POOL[key] = [t.format(a=r.randint(1, 60), b=r.randint(2, 400), c=r.randint(1, 90))
                          for t in PAD[key] for _ in range(40)]
    return _PAD_POOL[key]


def padding(rng, chars, sep):
    """About `chars` characters of 总体情况 prose in five subsections, joined by sep."""
    paras = []
    per = max(60, chars // len(PAD_HEADS))
    for key, head in PAD_HEADS:
        pool = _pad_pool(key)
        k = max(1, per // 33)  # sentences average ~33 characters
        paras.append(head + "。" + PAD_LEAD[int(rng.random() * len(PAD_LEAD))] + "".join(rng.choices(pool, k=k)))
    return sep.join(paras)



# ---------------------------------------------------------------- numbers


def split(rng, total, weights):
    """`total` split over len(weights) cells, roughly proportional, ints summing to total."""
    if total <= 0:
        return [0] * len(weights)
    ws = [w * rng.uniform(0.4, 1.6) if w > 0 else 0.0 for w in weights]
    s = sum(ws) or 1.0
    out = [int(total * w / s) for w in ws]
    rest = total - sum(out)
    nz = [j for j, w in enumerate(ws) if w > 0] or [0]
    while rest > 0:
        j = nz[0] if rng.random() < 0.6 else rng.choice(nz)
        out[j] += 1
        rest -= 1
    return out


APP_W = [0.74, 0.14, 0.01, 0.01, 0.03, 0.07]
OUT_MAIN = {"granted": 0.5, "partially_granted": 0.1, "unable_not_held": 0.15}
OUT_MINOR = {
    "denied_state_secret": 0.01, "denied_prohibited_by_law": 0.01, "denied_endangers_safety": 0.01,
    "denied_third_party_rights": 0.02, "denied_internal_affairs": 0.02, "denied_process_info": 0.03,
    "denied_enforcement_files": 0.01, "denied_admin_query": 0.02, "unable_needs_creation": 0.03,
    "unable_unclear": 0.02, "not_processed_petition": 0.03, "not_processed_repeated": 0.02,
    "not_processed_publication": 0.005, "not_processed_mass_repeated": 0.005,
    "not_processed_confirmation": 0.01, "other": 0.04, "other_no_correction": 0.02,
    "other_unpaid_fee": 0.005, "other_other": 0.02,
}


def volume(county_code, year, slot, seed):
    """New requests of a report: a per-county level, a per-year factor, smaller for
    departments and townships."""
    r = random.Random("%d:%s" % (seed, county_code))
    base = math.exp(r.gauss(3.3, 1.0))
    ry = random.Random("%d:%s:%d" % (seed, county_code, year))
    base *= math.exp(ry.gauss(0.0, 0.35)) * (1.0 + 0.06 * (year - 2019))
    if slot == 1:
        base *= 0.6
    elif slot >= 2:
        base *= 0.08 * math.exp(ry.gauss(0.0, 0.8))
    return max(0, min(20000, int(base)))


def gen_table3(rng, era, total_new):
    new = split(rng, total_new, APP_W)
    carried = split(rng, int(total_new * rng.uniform(0.0, 0.12)), APP_W)
    codes = mf.outcome_codes(era)
    w = []
    for c in codes:
        if c in OUT_MAIN:
            w.append(OUT_MAIN[c])
        elif c in OUT_MINOR and rng.random() < 0.3:
            w.append(OUT_MINOR[c])
        else:
            w.append(0.0)
    out = {c: [0] * 6 for c in codes}
    for j in range(6):
        avail = new[j] + carried[j]
        cf = int(avail * rng.uniform(0.0, 0.1))
        for c, v in zip(codes, split(rng, avail - cf, w)):
            out[c][j] = v
    return new, carried, {c: v for c, v in out.items() if any(v)}


def small(rng, lam):
    """A small Poisson-like count."""
    n, p, L = 0, 1.0, math.exp(-min(lam, 30.0))
    while True:
        p *= rng.random()
        if p < L:
            return n
        n += 1


def gen_lit(rng, total_new):
    lam = max(0.05, total_new / 40.0)
    out = {}
    for p, f in (("admin_review", 1.0), ("lawsuit_direct", 0.4), ("lawsuit_after_review", 0.2)):
        out[p] = [small(rng, lam * f * 0.4), small(rng, lam * f * 0.1), small(rng, lam * f * 0.1),
                  small(rng, lam * f * 0.15)]
    return out


def wan(x):
    s = ("%.2f" % x).rstrip("0").rstrip(".")
    return mf.Wan(s or "0")


def gen_pro(rng, era, scale):
    def n(k):
        return int(k * scale * rng.uniform(0.3, 2.0))
    if era == "2019":
        def item():
            last = n(300)
            return [last, rng.randint(-min(last, 20), 25), n(900)]
        nd = n(8)
        return {"regulation": [0, 0, 0], "normative_document": [nd, nd, nd + n(30)],
                "administrative_license": item(), "other_management_service": item(),
                "administrative_penalty": item(), "administrative_coercion": item(),
                "administrative_fee": [n(10), rng.randint(-2, 2) if rng.random() < 0.5 else 0],
                "centralized_procurement": [n(40), wan(rng.uniform(0, 2000) * scale)]}
    return {"regulation": [0, 0, 0], "normative_document": [n(8), n(2), n(40)],
            "administrative_license": [n(1500)], "administrative_penalty": [n(120)],
            "administrative_coercion": [n(6)],
            "administrative_fee": [wan(rng.uniform(0, 900) * scale) if rng.random() < 0.9 else wan(0)]}


def gen_fee_text(rng):
    r = rng.random()
    if r < 0.45:
        return "本年度未收取信息处理费。"
    if r < 0.8:
        return "本年度本机关未发出收费通知，未收取信息处理费。"
    k = rng.randint(1, 4)
    billed = 100 * rng.randint(1, 5) * k
    return "本年度共发出收费通知%d件，金额%d元，实际收取%d元。" % (k, billed, billed - 100 * rng.randint(0, 1) * k)


# ---------------------------------------------------------------- one file

class Layout:
    """The deterministic assignment of report index -> (county, year, slot)."""

    def __init__(self, n, seed, counties):
        self.n, self.seed = n, seed
        order = list(range(len(counties)))
        random.Random(seed).shuffle(order)
        self.counties = [counties[k] for k in order]
        self.k = min(len(counties) * len(YEARS), -(-n // 4))
        self.k = -(-self.k // len(YEARS)) * len(YEARS)

    def where(self, i):
        cy = i % self.k
        return self.counties[cy // len(YEARS) % len(self.counties)], YEARS[cy % len(YEARS)], i // self.k


def path_of(i, ext):
    return "%05d/%07d.%s" % (i // PER_DIR, i, ext)


def pick_shape(rng):
    r = rng.randrange(100)
    for cum, s in SHAPE_CUM:
        if r < cum:
            return s
    return SHAPE_CUM[-1][1]


def spec(lay, i):
    """Everything about file i: {'kind': 'report'|'legacy'|'bad', ...}."""
    rng = random.Random(lay.seed * 1000003 + i)
    county, year, slot = lay.where(i)
    r = rng.randrange(1000)
    kind = "bad" if r < BAD_PER_MILLE else "legacy" if r < BAD_PER_MILLE + LEGACY_PER_MILLE else "report"
    if kind == "legacy":
        year -= 6
    name = county["names"].get(year, county["names"][2019])
    prefix = county["prefecture"] if county["ambiguous"] or rng.random() < 0.3 else ""
    if prefix == name:
        prefix = ""
    suf = short_of(name)
    if slot == 0:
        agency, akind, short = prefix + name + "人民政府", "government", suf + "政府"
    elif slot == 1 and rng.random() < 0.7:
        agency, akind, short = prefix + name + "人民政府办公室", "government_office", suf + "政府办公室"
    else:
        k = (slot + int(county["code"])) % (len(DEPARTMENTS) + 8)
        if k < len(DEPARTMENTS):
            agency, akind, short = prefix + name + DEPARTMENTS[k], "department", suf + DEPARTMENTS[k]
        else:
            h = int(county["code"]) * 31 + slot
            town = TOWN_A[h % len(TOWN_A)] + TOWN_A[(h // 7) % len(TOWN_A)]
            ts = TOWN_SUFFIX[h % len(TOWN_SUFFIX)]
            agency = prefix + name + town + ts
            akind = "township"
            short = town + ts.replace("人民政府", "政府")
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    pub = "%d-%02d-%02d" % (year + 1, month, day)
    F = {"i": i, "kind": kind, "cache_table3": True, "region": name, "region_code": county["code"], "agency": agency,
         "agency_kind": akind, "short": short, "year": year, "published_on": pub, "slot": slot,
         "rng": rng}
    if kind == "bad":
        F["bad"] = rng.choice(["empty", "binary", "binary", "nuls", "error_page", "truncated"])
        if F["bad"] == "truncated":
            F["kind"] = "report"
            F["truncate"] = True
        else:
            F["ext"] = "html" if F["bad"] in ("nuls", "error_page") else "txt"
            return F
    if kind == "legacy":
        F["ext"] = "txt"
        F["total_new"] = volume(county["code"], min(max(year + 6, 2019), 2024), slot, lay.seed) // 2
        return F
    era = "2019" if year <= 2020 else "2021"
    F["era"] = era
    shape = pick_shape(rng)
    F["shape"] = shape
    html = shape in ("html", "html_empty")
    F["ext"] = ("htm" if rng.random() < 0.2 else "html") if html else "txt"
    enc = "utf-8"
    if shape == "rowline_crlf":
        enc = "utf-16" if rng.random() < 0.5 else "utf-8"
    elif not html:
        e = rng.random()
        enc = "gb18030" if e < 0.07 else "utf-8-sig" if e < 0.10 else "utf-8"
    F["encoding"] = enc
    total_new = volume(county["code"], year, slot, lay.seed)
    F["new"], F["carried"], F["out"] = gen_table3(rng, era, total_new)
    F["lit"] = gen_lit(rng, total_new)
    F["pro"] = gen_pro(rng, era, 1.0 if slot < 2 else 0.15)
    if era == "2021":
        F["fee_text"] = gen_fee_text(rng)
    F["np"] = (rng.randint(0, 40), rng.randint(0, 30))
    F["tel"] = "%d" % rng.randint(2000000, 8999999)
    F["n1"], F["n2"], F["n3"], F["n4"] = (rng.randint(200, 6000), rng.randint(100, 3000),
                                          rng.randint(3, 80), rng.randint(1, 12))
    p = rng.random()
    if p < 0.5:
        F["pub_line"] = "发布日期：%s" % pub
    elif p < 0.8:
        F["pub_line"] = "发布时间: %s %02d:%02d 浏览次数:" % (pub, rng.randint(8, 18), rng.randint(0, 59))
    else:
        F["pub_line"] = "发布日期：%d年%d月%d日" % (year + 1, month, day)
    F["sign_date"] = "%d年%d月%d日" % (year + 1, month, day)
    if shape == "total_only":
        F["total_only"] = True
    if shape == "glued":
        rows = [c for c, _ in mf.t3_template(era) if c]
        # (iterate over the template's list, never over a set: str hashes vary by process)
        glued = rows if rng.random() < 0.3 else [c for c in rows if rng.random() < 0.35]
        F["glued"] = set(glued)
        F["nospace"] = {c for c in glued if rng.random() < 0.2}
    # size: 5-15 KB (skewed low, like real reports)
    F["target_bytes"] = int(5000 + 10000 * rng.random() ** 1.7)
    return F


def mutate(F, rng):
    """Change some numbers so that every identity still holds: k more requests from
    natural persons, all granted; one more (or one fewer) administrative review."""
    k = rng.randint(1, 9)
    F["new"] = list(F["new"])
    F["new"][0] += k
    out = dict(F["out"])
    g = list(out.get("granted", [0] * 6))
    g[0] += k
    out["granted"] = g
    F["out"] = out
    lit = dict(F["lit"])
    ar = list(lit["admin_review"])
    ar[0] = ar[0] + 1 if ar[0] == 0 or rng.random() < 0.5 else ar[0] - 1
    lit["admin_review"] = ar
    F["lit"] = lit
    F["n1"] += 1


# estimated rendered size (bytes, utf-8) per (shape, era) without padding
_BASE = {}


def base_size(shape, era):
    key = (shape, era)
    if key not in _BASE:
        lay = Layout(1, 0, [{"code": "610329", "names": {y: "麟游县" for y in range(2010, 2025)},
                             "province": "陕西省", "prefecture": "宝鸡市", "ambiguous": False}])
        F = spec(lay, 0)
        F.update(kind="report", shape=shape, era=era, year=2020 if era == "2019" else 2022, encoding="utf-8")
        F.pop("truncate", None)
        F["new"], F["carried"], F["out"] = gen_table3(random.Random(1), era, 40)
        F["lit"] = gen_lit(random.Random(1), 40)
        F["pro"] = gen_pro(random.Random(1), era, 1.0)
        F.setdefault("fee_text", "本年度未收取信息处理费。")
        F.setdefault("tel", "4521036")
        F.setdefault("pub_line", "发布日期：2021-01-20")
        F.setdefault("sign_date", "2021年1月20日")
        for x in ("n1", "n2", "n3", "n4"):
            F.setdefault(x, 100)
        if shape == "glued":
            F["glued"], F["nospace"] = {"granted"}, set()
        F["total_only"] = shape == "total_only"
        F["target_bytes"] = 0
        _BASE[key] = len(render_report(F))
    return _BASE[key]


SEP = {"html": '</p>\n<p style="text-indent:2em;">', "pdf": "", "cpl_noblank": "\n", "markers": "\n",
       "html_empty": '</p>\n<p style="text-indent:2em;">', "pdfminer": "", "oneline": ""}


def render_report(F):
    """The bytes of a 2019/2021-template report."""
    shape, era = F["shape"], F["era"]
    F["title"] = "%s%d年政府信息公开工作年度报告" % (F["agency"], F["year"])
    if F["target_bytes"]:
        need = F["target_bytes"] - base_size(shape, era)
        if need > 300:
            F["general_extra"] = padding(F["rng"], need // 3, SEP.get(shape, "\n\n"))
            F["general_sep"] = SEP.get(shape, "\n\n")
    mf.start_marker_cycle(F["rng"].randrange(12))
    text = mf.render(F)
    enc = F.get("encoding", "utf-8")
    if enc == "utf-16":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        data = text.encode(enc)
    if F.get("truncate"):
        data = data[:int(len(data) * F["rng"].uniform(0.3, 0.8))]
    return data


LEGACY_STAT = """政府信息公开情况统计表
序号 指标名称 计量单位 本年度 历年累计
1 一、主动公开情况
2 (一)主动公开政府信息数 条 {pub} {pub_all}
3 二、依申请公开情况
4 (一)收到申请数 件 {recv} {recv_all}
5 (二)申请办结数 件 {done} {done_all}
6 1.属于已主动公开范围数 件 {already} {already_all}
7 2.同意公开答复数 件 {granted} {granted_all}
8 3.同意部分公开答复数 件 {partial} {partial_all}
9 4.不同意公开答复数 件 {denied} {denied_all}
10 三、行政复议数量 件 {review} {review_all}
11 四、行政诉讼数量 件 {suit} {suit_all}"""


def render_legacy(F):
    rng = F["rng"]
    y, ag = F["year"], F["agency"]
    recv = F["total_new"]
    granted, partial, denied, already = split(rng, recv, [0.6, 0.1, 0.1, 0.2])
    pub = rng.randint(200, 5000)
    review, suit = small(rng, recv / 60 + 0.1), small(rng, recv / 90 + 0.1)
    head = ["%s%d年政府信息公开工作年度报告" % (ag, y), "",
            "发布日期：%d-%02d-%02d" % (y + 1, rng.randint(1, 3), rng.randint(1, 28)), "",
            "根据《中华人民共和国政府信息公开条例》（国务院令第492号）要求，现公布%s%d年政府信息公开工作年度报告。"
            "本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。" % (ag, y, y, y), "",
            "一、概述", "",
            "%d年，%s认真贯彻落实《条例》，不断完善政府信息公开工作机制。" % (y, F["short"]), "",
            padding(rng, int(4000 * rng.random() ** 1.5) // 3 + 200, "\n\n"), ""]
    if rng.random() < 0.6:
        body = ["二、主动公开政府信息情况", "",
                "%d年，主动公开政府信息%d条，其中通过政府网站公开%d条。" % (y, pub, pub * 4 // 5), "",
                "三、依申请公开政府信息和不予公开政府信息情况", "",
                "%d年，共收到政府信息公开申请%d件，已全部办结。其中同意公开%d件，属于已主动公开范围%d件，"
                "部分公开%d件，不予公开%d件。" % (y, recv, granted, already, partial, denied), "",
                "四、政府信息公开的收费及减免情况", "",
                "%d年，未收取任何费用。" % y if rng.random() < 0.7 else
                "%d年，依申请提供政府信息收取检索费%d元，减免费用%d元。" % (y, 10 * rng.randint(1, 30), 10 * rng.randint(0, 5)), "",
                "五、因政府信息公开申请行政复议、提起行政诉讼的情况", "",
                "%d年，因政府信息公开申请行政复议%d件，提起行政诉讼%d件。" % (y, review, suit), ""]
    else:
        m = 3 + rng.randint(0, 6)
        body = ["二、政府信息公开情况统计表", "",
                LEGACY_STAT.format(pub=pub, pub_all=pub * m, recv=recv, recv_all=recv * m, done=recv,
                                   done_all=recv * m, already=already, already_all=already * m,
                                   granted=granted, granted_all=granted * m, partial=partial,
                                   partial_all=partial * m, denied=denied, denied_all=denied * m,
                                   review=review, review_all=review * m, suit=suit, suit_all=suit * m), ""]
    tail = ["六、政府信息公开工作存在的主要问题及改进措施", "",
            "政府信息公开工作仍存在一些不足，下一步将进一步加强制度建设，提高公开的及时性和规范性。", "",
            ag]
    text = "\n".join(head + body + tail) + "\n"
    return text.encode("gb18030" if rng.random() < 0.15 else "utf-8")


ERROR_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>404 页面不存在</title></head>
<body><div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a></div>
<h1>404</h1><p>抱歉，您访问的页面不存在或已被删除。</p>
<p><a href="/zwgk/xxgknb/">返回政府信息公开年报栏目</a></p>
<p>{region}人民政府 主办 联系电话：0{tel}</p></body></html>
"""


def render_bad(F):
    rng = F["rng"]
    b = F["bad"]
    if b == "empty":
        return b""
    if b == "binary":
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(1024, 8192)))
    if b == "nuls":
        return b"\0" * 2048
    return ERROR_PAGE.format(region=F["region"], tel=rng.randint(1000000000, 9999999999)).encode("utf-8")


def render_file(F):
    if F["kind"] == "bad":
        return render_bad(F)
    if F["kind"] == "legacy":
        return render_legacy(F)
    return render_report(F)


def check_arith(F):
    T = mf.table3(F)
    bad = mf.identities(T, F["era"])
    assert not bad, (F["i"], bad)
    for p in mf.LIT_PROC:
        assert len(F["lit"][p]) == 4 and min(F["lit"][p]) >= 0


# ---------------------------------------------------------------- driver

_LAY = None


def _init(n, seed):
    global _LAY
    if _LAY is None or (_LAY.n, _LAY.seed) != (n, seed):
        _LAY = Layout(n, seed, load_counties())


def gen_dir(args):
    """Worker: write the files of one subdirectory; returns (bytes, counts)."""
    out, n, seed, d, check = args
    _init(n, seed)
    os.makedirs(os.path.join(out, "%05d" % d), exist_ok=True)
    total = 0
    counts = {}
    for i in range(d * PER_DIR, min(n, (d + 1) * PER_DIR)):
        F = spec(_LAY, i)
        if check and F["kind"] == "report":
            check_arith(F)
        data = render_file(F)
        key = F.get("bad") or (F["kind"] if F["kind"] == "legacy" else F["shape"])
        key = "truncated" if F.get("truncate") else key
        counts[key] = counts.get(key, 0) + 1
        if F.get("encoding", "utf-8") != "utf-8" and F["kind"] == "report":
            counts["enc:" + F["encoding"]] = counts.get("enc:" + F["encoding"], 0) + 1
        with open(os.path.join(out, path_of(i, F["ext"])), "wb") as f:
            f.write(data)
        total += len(data)
    return total, counts


def manifest_path(out):
    return os.path.normpath(out) + ".manifest.json"


def read_manifest(out):
    try:
        with open(manifest_path(out), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_manifest(out, m):
    tmp = manifest_path(out) + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(m, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, manifest_path(out))


def pool_map(fn, items, jobs):
    if jobs <= 1 or len(items) <= 1:
        return [fn(x) for x in items]
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    with ctx.Pool(jobs) as p:
        return p.map(fn, items, chunksize=1)


def generate(out, n, seed, jobs, check=False):
    if os.path.exists(manifest_path(out)):
        os.remove(manifest_path(out))
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    t0 = time.time()
    ndirs = -(-n // PER_DIR)
    _init(n, seed)  # loaded before the fork, shared by the workers
    res = pool_map(gen_dir, [(out, n, seed, d, check) for d in range(ndirs)], jobs)
    total = sum(r[0] for r in res)
    counts = {}
    for _, c in res:
        for k, v in c.items():
            counts[k] = counts.get(k, 0) + v
    m = {"generator_version": GEN_VERSION, "n": n, "seed": seed, "bytes": total,
         "counts": dict(sorted(counts.items())), "mutated": [], "seconds": round(time.time() - t0, 1)}
    write_manifest(out, m)
    return m


def _rewrite(args):
    out, n, seed, items = args
    _init(n, seed)
    for i, mseed in items:
        F = spec(_LAY, i)
        if mseed is not None:
            mutate(F, random.Random("mutate:%d:%d" % (mseed, i)))
            check_arith(F)
        with open(os.path.join(out, path_of(i, F["ext"])), "wb") as f:
            f.write(render_file(F))


def mutate_corpus(out, percent, mseed, jobs):
    m = read_manifest(out)
    if not m:
        sys.exit("gen_corpus: %s is not a complete corpus (no %s)" % (out, manifest_path(out)))
    n, seed = m["n"], m["seed"]
    _init(n, seed)
    want = max(1, round(n * percent / 100.0))
    rng = random.Random("pick:%d" % mseed)
    picked, seen = [], set()
    already = {int(p) for p in m["mutated"]}
    while len(picked) < want and len(seen) < n:
        i = rng.randrange(n)
        if i in seen or i in already:
            seen.add(i)
            continue
        seen.add(i)
        F = spec(_LAY, i)
        if F["kind"] == "report" and not F.get("truncate"):
            picked.append(i)
    picked.sort()
    chunks = [picked[k::max(1, jobs)] for k in range(max(1, jobs))]
    pool_map(_rewrite, [(out, n, seed, [(i, mseed) for i in c]) for c in chunks if c], jobs)
    m["mutated"] = sorted(set(m["mutated"]) | {"%d" % i for i in picked}, key=int)
    write_manifest(out, m)
    return picked


def restore_corpus(out, jobs):
    m = read_manifest(out)
    if not m:
        sys.exit("gen_corpus: %s is not a complete corpus (no %s)" % (out, manifest_path(out)))
    items = [int(x) for x in m["mutated"]]
    _init(m["n"], m["seed"])
    chunks = [items[k::max(1, jobs)] for k in range(max(1, jobs))]
    pool_map(_rewrite, [(out, m["n"], m["seed"], [(i, None) for i in c]) for c in chunks if c], jobs)
    m["mutated"] = []
    write_manifest(out, m)
    return items


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="number of files to generate")
    ap.add_argument("--out", required=True, help="corpus directory (replaced)")
    ap.add_argument("--seed", type=int, default=1, help="generation seed, or with --mutate-percent the mutation seed")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--check", action="store_true", help="assert the template arithmetic of every report")
    ap.add_argument("--mutate-percent", type=float, help="rewrite this %% of the files of an existing corpus")
    ap.add_argument("--restore", action="store_true", help="undo every --mutate-percent since generation")
    ap.add_argument("--list", help="with --mutate-percent/--restore: write the changed paths here")
    a = ap.parse_args(argv)
    if a.mutate_percent is not None or a.restore:
        m = read_manifest(a.out) or {}
        if a.restore:
            idx = restore_corpus(a.out, a.jobs)
            what = "restored"
        else:
            idx = mutate_corpus(a.out, a.mutate_percent, a.seed, a.jobs)
            what = "mutated"
        if a.list:
            lay = Layout(m["n"], m["seed"], load_counties())
            with open(a.list, "w", encoding="utf-8") as f:
                for i in idx:
                    f.write(path_of(i, spec(lay, i)["ext"]) + "\n")
        print("gen_corpus: %s %d files in %s" % (what, len(idx), a.out))
        return
    if not a.n or a.n < 1:
        ap.error("--n is required (>= 1)")
    m = generate(a.out, a.n, a.seed, a.jobs, a.check)
    print("gen_corpus: %d files, %.1f MB in %s (%.1f s)" % (m["n"], m["bytes"] / 1e6, a.out, m["seconds"]))


if __name__ == "__main__":
    main()
