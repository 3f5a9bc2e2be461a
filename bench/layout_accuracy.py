#!/usr/bin/env python3
"""Per-layout cell accuracy of `ogi build` on generated reports with known truth.

    .venv/bin/python bench/layout_accuracy.py --per-layout 20 --seed 1 \\
        --bin ~/.cache/ogi-target/debug/ogi [--layouts oneline,pdfminer] [--keep DIR] [--verbose]

For each layout (a shape of ogi_fixtures.shapes, those of tests/fixtures/shapes) it
generates K reports (real county names from data/reference/divisions.csv via
ogi_fixtures.corpus, the generator of bench/gen_corpus.py, both the 2019 and the 2021
template, numbers that satisfy the template arithmetic, with nonzero values spread over
several applicant columns and outcome rows so that a value in the wrong column or row is
caught), writes them and their truth (the format of
shared/samples/expected.json) into a directory, runs `BIN build DIR --out OUT --quiet
--no-cache`, and compares every cell of table 三 (requests.parquet: new_received,
carried_over, carried_forward per applicant; outcomes.parquet: count per outcome and
applicant) and of table 四 (litigation.parquet: 15 cells) with the output:

* determined: cells the truth gives (a cell the text does not determine, e.g. an
  ambiguous glued split or a blank 总计, is not in the truth);
* right: output equals truth; null: output missing or null where truth has a value;
* wrong: output differs from truth, or output has a value where truth says the text
  does not determine it (counted as `guessed` too);
* accuracy = right / determined; crashes = reports with status `failed`, missing from
  reports.parquet, or in a build that did not finish.

Legacy layouts (2008-2018 reports, scored per legacy fact cell: requests total
new_received, outcomes total, litigation admin_review/lawsuit total, fees legacy_fee,
proactive all_information published): `legacy_prose` (prose like gen_corpus's, truth =
the stated values), `legacy_distractors` (the same reports plus one to three sentences
with numbers about other things -- approval halls, hotlines, proposals, ... -- in the
概述, 主动公开, 依申请公开 or problems section; same truth), `legacy_stat` (gen_corpus's
统计表, a control). Their table adds the share of reports with at least one wrong value;
--verbose lists the wrong values with the sentence (and distractor) they came from.

Prints a markdown table; exit status is always 0 (this is a measurement).
Needs duckdb and ogi_fixtures (requirements-dev.txt: `./just venv`, then run with
.venv/bin/python).
"""
import argparse
import collections
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from ogi_fixtures import corpus
from ogi_fixtures.template import APPS, LIT_PROC, LIT_RES, REQ_COLS, outcome_codes, t3_template
from ogi_fixtures.truth import truth_of

NEW_LAYOUTS = ["oneline", "pdfminer", "html_empty", "ocr_markdown"]
OLD_LAYOUTS = ["cpl_blank", "cpl_noblank", "keep_empty", "rowline", "tabs", "markdown", "html", "pdf",
               "fullwidth", "markers", "glued"]


# ---------------------------------------------------------------- generation

def make_report(lay, i, layout, era, rng):
    """corpus.spec(i) (region, agency, dates, prose choices) with the layout forced and
    richer numbers; returns (F, bytes, truth), or None when report i is not of `era`
    (or is a legacy, bad or truncated file)."""
    F = corpus.spec(lay, i)
    year = F["year"]
    if F["kind"] != "report" or F.get("truncate") or ("2019" if year <= 2020 else "2021") != era:
        return None
    F["shape"] = layout
    F["ext"] = "html" if layout in ("html", "html_empty") else "txt"
    F["encoding"] = "utf-8"
    total_new = max(12, min(3000, int(math.exp(rng.gauss(3.6, 0.9)))))
    F["new"], F["carried"], F["out"] = corpus.rich_table3(rng, era, total_new)
    F["lit"] = corpus.gen_lit(rng, rng.uniform(60, 400))
    F["pro"] = corpus.gen_pro(rng, era, 1.0)
    F.pop("glued", None)
    F.pop("nospace", None)
    F["total_only"] = layout == "total_only"
    if layout == "glued":
        rows = [c for c, _ in t3_template(era) if c]
        glued = rows if rng.random() < 0.3 else [c for c in rows if rng.random() < 0.35]
        F["glued"] = set(glued)
        F["nospace"] = {c for c in glued if rng.random() < 0.2}
    corpus.check_arith(F)
    data = corpus.render_report(F)
    t = truth_of(dict(F, kind=F["agency_kind"]))
    t.update(region_code=F["region_code"], layout=layout)
    for k in ("province", "prefecture"):  # gen_corpus does not keep them
        t.pop(k, None)
    return F, data, t


def generate(layout, k, seed, lay, outdir):
    """K reports of one layout in outdir/<layout>/; truth in outdir/<layout>.truth.json."""
    d = os.path.join(outdir, layout)
    os.makedirs(d, exist_ok=True)
    rng = random.Random("layout_accuracy:%d:%s" % (seed, layout))
    truth = {}
    i = rng.randrange(lay.n)
    made = 0
    while made < k:
        era = "2019" if made % 2 == 0 else "2021"
        i = (i + 1) % lay.n
        r = make_report(lay, i, layout, era, random.Random("%d:%s:%d" % (seed, layout, i)))
        if r is None:
            continue
        F, data, t = r
        name = "%03d_%s.%s" % (made, layout, F["ext"])
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        truth[name] = t
        made += 1
    with open(os.path.join(outdir, layout + ".truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return truth


# ---------------------------------------------------------------- build and compare

def find_bin(path, wait=300):
    t0 = time.time()
    while not os.access(path, os.X_OK):
        if time.time() - t0 > wait:
            sys.exit("layout_accuracy: no binary at %s (build it first)" % path)
        print("layout_accuracy: waiting for %s ..." % path, file=sys.stderr)
        time.sleep(30)
    return path


def read_table(out, name):
    import duckdb
    p = os.path.join(out, name + ".parquet")
    if not os.path.exists(p):
        return []
    rel = duckdb.sql("select * from read_parquet('%s')" % p.replace("'", "''"))
    cols = [c[0] for c in rel.description]
    return [dict(zip(cols, row)) for row in rel.fetchall()]


def grid(era):
    """Every (table, row, column) cell of tables 三 and 四 for one era."""
    cells = [("requests", k, a) for a in APPS for k in REQ_COLS]
    cells += [("outcomes", c, a) for c in outcome_codes(era) + ["total_handled"] for a in APPS]
    cells += [("litigation", p, r) for p in LIT_PROC for r in LIT_RES]
    return cells


def truth_cells(t, tables=("outcomes", "litigation"), fees=False):
    """{(table, row, column): value} of a truth entry: table 三's requests, the "row|column"
    cells of `tables`, and with `fees` the fees (the legacy truth's)."""
    d = {}
    for a, kv in t.get("requests", {}).items():
        for k, v in kv.items():
            d[("requests", k, a)] = v
    for table in tables:
        for key, v in t.get(table, {}).items():
            if "|" in key:
                r, c = key.split("|")
                d[(table, r, c)] = v
    for kind, kv in (t.get("fees", {}) if fees else {}).items():
        for k, v in kv.items():
            d[("fees", kind, k)] = v
    return d


def run_build(indir, out, binary, jobs):
    """`ogi build` on indir: (seconds, its reports rows, a note if it failed)."""
    cmd = [binary, "build", indir, "--out", out, "--quiet", "--no-cache", "--jobs", str(jobs)]
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.time() - t0
    reps = read_table(out, "reports") if p.returncode == 0 else []
    note = "" if p.returncode == 0 else "build exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")[-300:])
    return secs, reps, note


def measure(layout, truth, indir, out, binary, jobs):
    secs, reps, note = run_build(indir, out, binary, jobs)
    S = collections.Counter()
    wrong, nulls = [], []
    by_path = {r["source_path"]: r for r in reps}
    id2path = {r["report_id"]: r["source_path"] for r in reps}
    got = {}
    for x in read_table(out, "requests") if reps else []:
        for k in REQ_COLS:
            got.setdefault((id2path.get(x["report_id"]), "requests", k, x["applicant"]), x.get(k))
    for x in read_table(out, "outcomes") if reps else []:
        got.setdefault((id2path.get(x["report_id"]), "outcomes", x["outcome"], x["applicant"]), x.get("count"))
    for x in read_table(out, "litigation") if reps else []:
        got.setdefault((id2path.get(x["report_id"]), "litigation", x["proceeding"], x["result"]), x.get("count"))
    for path, t in sorted(truth.items()):
        S["reports"] += 1
        r = by_path.get(path)
        if r is None or r.get("status") == "failed":
            S["crashes"] += 1
        want = truth_cells(t)
        for cell in grid(t["era"]):
            w = want.get(cell)
            g = got.get((path,) + cell)
            if w is None:
                if g is not None:
                    S["wrong"] += 1
                    S["guessed"] += 1
                    wrong.append((path,) + cell + (None, g))
                continue
            S["determined"] += 1
            if g is None:
                S["null"] += 1
                nulls.append((path,) + cell + (w, None))
            elif g == w:
                S["right"] += 1
            else:
                S["wrong"] += 1
                wrong.append((path,) + cell + (w, g))
    return S, wrong, nulls, note, secs


def kinds(wrong, nulls):
    """Wrong and null cells grouped by (what, table, row): {key: [cells, {columns}]}."""
    c = {}
    for what, cells in (("wrong", wrong), ("null", nulls)):
        for path, table, row, col, w, g in cells:
            k = ("guessed" if what == "wrong" and w is None else what, table, row)
            e = c.setdefault(k, [0, set()])
            e[0] += 1
            e[1].add(col)
    return c


# ---------------------------------------------------------------- legacy (2008-2018) layouts
#
# legacy_prose: prose-only reports like corpus.render_legacy's prose branch (a few
# more phrasings the template knows); the truth is the values the text states.
# legacy_distractors: the same reports (same seeds, same numbers) with one to three
# sentences about other things that carry numbers (approval halls, hotlines, proposals,
# ...), inserted in the 概述, 主动公开, 依申请公开 or problems section; they state no
# fact, so the truth is that of the report without them.
# legacy_stat: gen_corpus's 统计表 branch (LEGACY_STAT), a control.

LEGACY_LAYOUTS = ["legacy_prose", "legacy_distractors", "legacy_stat"]
# the facts a legacy report can give: (table, row, column) as in the truth's keys
LEGACY_TABLES = ("requests", "outcomes", "litigation", "fees", "proactive")

# Distractors: (id, sections it may go in, text). Sections: O 概述, P 主动公开,
# Q 依申请公开, X problems. Placeholders: a 1-99, a2 1-99, b 100-999, c 1000-20000,
# c2 <= c, d 20000-200000, w 8-40, w2 10-60, f 0.5-99.9 (万), pct 90-99.
DISTRACTORS = [
    ("hall", "OQ", "建立窗口服务大厅，{w}个部门集中进驻，开设窗口{w2}个，共受理申请{d}件，办结{d}件。"),
    ("bianmin", "OQX", "便民服务中心全年受理各类申请{c}件，按时办结率100%。"),
    ("hotline", "OQX", "12345政务服务热线共受理群众诉求{c}件，办结{c}件，群众满意率{pct}%。"),
    ("online", "OQ", "全年网上审批办件{c}件，全部按时办结。"),
    ("proposals", "OX", "办理人大代表建议{a}件、政协提案{a2}件，均已答复。"),
    ("visits", "OQ", "接待来访咨询{b}人次，受理咨询申请{a}件。"),
    ("training", "OPX", "组织政务公开业务培训{a}期，培训人员{b}人次。"),
    ("documents", "OP", "全年制发规范性文件{a}件，印发各类公文{b}份。"),
    ("pageviews", "PX", "政府门户网站全年访问量{c}万人次，发布政务动态信息{b}条。"),
    ("feefree", "OQ", "为困难群众办理业务减免费用{b}元，免费提供复印服务{a}次。"),
    ("license", "OQ", "全年受理行政许可申请{c}件，作出准予行政许可决定{c2}件。"),
    ("archive", "P", "向县档案馆、图书馆报送主动公开信息{b}条，方便群众查阅。"),
    # close to the real request sentences, about something else, no guard word in them
    ("close_recv", "OQ", "全年不动产登记共受理各类申请{c}件，全部办结{c2}件。"),
    ("close_letters", "QX", "全年答复群众来信{a}件，全部办结{a}件。"),
    ("close_social", "Q", "共收到社会保险待遇申请{b}件，已全部办结。"),
    ("close_review", "OX", "全县行政复议机关共收到行政复议申请{a}件，审结{a2}件。"),
    ("close_lawsuit", "OX", "行政机关负责人出庭应诉行政诉讼案件{a}件。"),
    ("close_fee", "OQ", "不动产登记窗口全年收取费用{f}万元，全部上缴财政。"),
    ("subject_named", "OQ", "举办政府信息公开申请办理专题培训{a}期，参训{b}人次。"),
    ("problems", "X", "全年督办整改网站问题{a}个，通报{a2}次。"),
]
SECTION_OF = {"O": "overview", "P": "proactive", "Q": "requests", "X": "problems"}


def distractor_values(rng):
    c = rng.randint(1000, 20000)
    return {"a": rng.randint(1, 99), "a2": rng.randint(1, 99), "b": rng.randint(100, 999), "c": c,
            "c2": rng.randint(c // 2, c), "d": rng.randint(20000, 200000), "w": rng.randint(8, 40),
            "w2": rng.randint(10, 60), "f": "%.1f" % rng.uniform(0.5, 99.9), "pct": rng.randint(90, 99)}


def legacy_spec(lay, i):
    """corpus.spec(i) (region, agency) made a legacy report six years earlier (as
    gen_corpus does for its 1% legacy files); None for a bad file."""
    F = corpus.spec(lay, i)
    if F["kind"] == "bad" or F.get("truncate"):
        return None
    county, year, slot = lay.where(i)
    if F["kind"] != "legacy":
        old = county["names"].get(year - 6, county["names"][2019])
        F["agency"] = F["agency"].replace(F["region"], old, 1)
        if F["agency_kind"] != "township":
            F["short"] = corpus.short_of(old) + F["short"][1:]
        F["region"], F["year"] = old, year - 6
    F["total_new"] = corpus.volume(county["code"], min(max(F["year"] + 6, 2019), 2024), slot, lay.seed) // 2
    return F


def legacy_sections(F, rng, stat):
    """The report as (section, [paragraph lines]) and its truth (stated values only)."""
    y, ag = F["year"], F["agency"]
    recv = F["total_new"]
    pub = rng.randint(200, 5000)
    review, suit = corpus.small(rng, recv / 60 + 0.1), corpus.small(rng, recv / 90 + 0.1)
    T = {"requests": {"total": {"new_received": recv}}, "outcomes": {}, "litigation": {}, "fees": {},
         "proactive": {"all_information|published": pub}}
    head = ["%s%d年政府信息公开工作年度报告" % (ag, y),
            "发布日期：%d-%02d-%02d" % (y + 1, rng.randint(1, 3), rng.randint(1, 28)),
            "根据《中华人民共和国政府信息公开条例》（国务院令第492号）要求，现公布%s%d年政府信息公开工作年度报告。"
            "本报告所列数据的统计期限自%d年1月1日起至%d年12月31日止。" % (ag, y, y, y)]
    overview = ["一、概述", "%d年，%s认真贯彻落实《条例》，不断完善政府信息公开工作机制。" % (y, F["short"]),
                corpus.padding(rng, int(4000 * rng.random() ** 1.5) // 3 + 200, "\n\n")]
    secs = [("head", head), ("overview", overview)]
    if stat:
        granted, partial, denied, already = corpus.split(rng, recv, [0.6, 0.1, 0.1, 0.2])
        m = 3 + rng.randint(0, 6)
        table = corpus.LEGACY_STAT.format(
            pub=pub, pub_all=pub * m, recv=recv, recv_all=recv * m, done=recv, done_all=recv * m,
            already=already, already_all=already * m, granted=granted, granted_all=granted * m,
            partial=partial, partial_all=partial * m, denied=denied, denied_all=denied * m,
            review=review, review_all=review * m, suit=suit, suit_all=suit * m)
        secs.append(("stat", ["二、政府信息公开情况统计表", table]))
        T["outcomes"] = {"granted|total": granted + already, "partially_granted|total": partial,
                         "denied|total": denied, "total_handled|total": recv}
        T["litigation"] = {"admin_review|total": review, "lawsuit|total": suit}
    else:
        v = rng.random()
        if v < 0.55:  # gen_corpus's sentence
            granted, partial, denied, already = corpus.split(rng, recv, [0.6, 0.1, 0.1, 0.2])
            req = ("%d年，共收到政府信息公开申请%d件，已全部办结。其中同意公开%d件，属于已主动公开范围%d件，"
                   "部分公开%d件，不予公开%d件。" % (y, recv, granted, already, partial, denied))
            T["outcomes"] = {"granted|total": granted + already, "partially_granted|total": partial,
                             "denied|total": denied}
        elif v < 0.8:
            granted, partial, denied, unable = corpus.split(rng, recv, [0.7, 0.1, 0.1, 0.1])
            req = ("全年共受理依申请公开%d件，办结%d件。其中同意公开%d件，部分公开%d件，不予公开%d件，"
                   "信息不存在%d件。" % (recv, recv, granted, partial, denied, unable))
            T["outcomes"] = {"granted|total": granted, "partially_granted|total": partial,
                             "denied|total": denied, "unable_not_held|total": unable, "total_handled|total": recv}
        else:
            granted, partial, denied, unable = corpus.split(rng, recv, [0.7, 0.1, 0.1, 0.1])
            req = ("%d年，%s共收到政府信息公开申请%d件，其中同意公开%d件，部分公开%d件，不予公开%d件，"
                   "不属于本机关公开范围%d件。申请均已按时答复。" % (y, F["short"], recv, granted, partial, denied, unable))
            T["outcomes"] = {"granted|total": granted, "partially_granted|total": partial,
                             "denied|total": denied, "unable_not_held|total": unable}
        if rng.random() < 0.7:
            fee = "%d年，未收取任何费用。" % y
            T["fees"] = {"legacy_fee": {"amount_collected_yuan": 0.0}}
        else:
            c, w = 10 * rng.randint(1, 30), 10 * rng.randint(0, 5)
            fee = "%d年，依申请提供政府信息收取检索费%d元，减免费用%d元。" % (y, c, w)
            T["fees"] = {"legacy_fee": {"amount_collected_yuan": float(c), "amount_waived_yuan": float(w)}}
        if review == 0 and suit == 0 and rng.random() < 0.5:
            lit = "本年度未发生因政府信息公开引起的行政复议和行政诉讼。"
        else:
            lit = "%d年，因政府信息公开申请行政复议%d件，提起行政诉讼%d件。" % (y, review, suit)
        T["litigation"] = {"admin_review|total": review, "lawsuit|total": suit}
        secs += [("proactive", ["二、主动公开政府信息情况",
                                 "%d年，主动公开政府信息%d条，其中通过政府网站公开%d条。" % (y, pub, pub * 4 // 5)]),
                 ("requests", ["三、依申请公开政府信息和不予公开政府信息情况", req]),
                 ("fees", ["四、政府信息公开的收费及减免情况", fee]),
                 ("litigation", ["五、因政府信息公开申请行政复议、提起行政诉讼的情况", lit])]
    secs.append(("problems", ["六、政府信息公开工作存在的主要问题及改进措施",
                              "政府信息公开工作仍存在一些不足，下一步将进一步加强制度建设，提高公开的及时性和规范性。",
                              ag]))
    return secs, {k: v for k, v in T.items() if v}


def insert_distractors(secs, rng):
    """One to three distractors, each in one of its sections: as a paragraph of its own
    or at the start or end of one of the section's paragraphs."""
    secs = [(s, list(ps)) for s, ps in secs]
    idx = {s: k for k, (s, _) in enumerate(secs)}
    made = []
    for _ in range(rng.randint(1, 3)):
        did, where, text = rng.choice(DISTRACTORS)
        sec = SECTION_OF[rng.choice(where)]
        text = text.format(**distractor_values(rng))
        ps = secs[idx[sec]][1]
        last = len(ps) - (1 if sec == "problems" else 0)  # keep the signature last
        k = rng.randint(1, last - 1) if last > 1 else 1
        mode = rng.choice(["paragraph", "before", "after"])
        if mode == "paragraph" or k >= last:
            ps.insert(rng.randint(1, last), text)
        elif mode == "before":
            ps[k] = text + ps[k]
        else:
            ps[k] = ps[k] + text
        made.append({"id": did, "section": sec, "mode": mode, "text": text})
    return secs, made


def make_legacy(lay, i, layout, seed):
    F = legacy_spec(lay, i)
    if F is None:
        return None
    base = "legacy_stat" if layout == "legacy_stat" else "legacy_prose"
    rng = random.Random("%d:%s:%d" % (seed, base, i))
    secs, T = legacy_sections(F, rng, layout == "legacy_stat")
    enc = "gb18030" if rng.random() < 0.15 else "utf-8"
    made = []
    if layout == "legacy_distractors":
        secs, made = insert_distractors(secs, random.Random("distractors:%d:%d" % (seed, i)))
    text = "\n\n".join(p for _, ps in secs for p in ps) + "\n"
    t = {"region_name": F["region"], "region_code": F["region_code"], "year": F["year"], "era": "legacy",
         "agency_kind": F["agency_kind"], "layout": layout, "encoding": enc}
    t.update(T)
    if made:
        t["distractors"] = made
    return text.encode(enc), t


def generate_legacy(layout, k, seed, lay, outdir):
    """K legacy reports of one layout; legacy_prose and legacy_distractors walk the same
    indices with the same seeds, so report n of both has the same numbers."""
    d = os.path.join(outdir, layout)
    os.makedirs(d, exist_ok=True)
    base = "legacy_stat" if layout == "legacy_stat" else "legacy_prose"
    rng = random.Random("layout_accuracy:%d:%s" % (seed, base))
    truth = {}
    i = rng.randrange(lay.n)
    made = 0
    while made < k:
        i = (i + 1) % lay.n
        r = make_legacy(lay, i, layout, seed)
        if r is None:
            continue
        data, t = r
        name = "%03d_%s.txt" % (made, layout)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
        truth[name] = t
        made += 1
    with open(os.path.join(outdir, layout + ".truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return truth


def legacy_got(out, reps):
    """{(path, table, row, column): (value, source_line)} of every non-null legacy fact."""
    id2path = {r["report_id"]: r["source_path"] for r in reps}
    got = {}

    def put(x, table, row, col, v):
        if v is not None:
            got.setdefault((id2path.get(x["report_id"]), table, row, col), (v, x.get("source_line")))
    for x in read_table(out, "requests"):
        for k in REQ_COLS:
            put(x, "requests", k, x["applicant"], x.get(k))
    for x in read_table(out, "outcomes"):
        put(x, "outcomes", x["outcome"], x["applicant"], x.get("count"))
    for x in read_table(out, "litigation"):
        put(x, "litigation", x["proceeding"], x["result"], x.get("count"))
    for x in read_table(out, "fees"):
        for k in ("notices_issued", "amount_billed_yuan", "amount_collected_yuan", "amount_waived_yuan"):
            put(x, "fees", x["fee_kind"], k, x.get(k))
    for x in read_table(out, "proactive"):
        put(x, "proactive", x["category"], x["metric"], x.get("value"))
    return got


def fact_name(table, row, col):
    """The template's name of a legacy cell (requests.total.new_received, ...)."""
    return "%s.%s.%s" % ((table, col, row) if table in ("requests",) else (table, row, col))


def read_source(path, encoding):
    try:
        with open(path, "rb") as f:
            return f.read().decode(encoding, "replace").splitlines()
    except OSError:
        return []


def source_sentence(lines, line, value):
    """(line, sentence) of the source that states `value`: on line `line` (1-based) if
    one of its sentences holds the number, else the first sentence of the file that does."""
    import re
    v = float(value)
    forms = [("%f" % v).rstrip("0").rstrip(".")]
    if v >= 1000:
        forms += sorted({("%f" % (v / 10000)).rstrip("0").rstrip(".") + "万", "%.1f万" % (v / 10000),
                         "%.2f万" % (v / 10000)})
    res = [re.compile(r"(?<![\d.])%s(?![\d.])" % re.escape(f)) for f in forms]

    def hit(text):
        for sent in text.replace("；", "。").split("。"):
            if any(r.search(sent) for r in res):
                return sent + "。"
        return None
    order = ([line] if line and 1 <= line <= len(lines) else []) + list(range(1, len(lines) + 1))
    for n in order:
        h = hit(lines[n - 1])
        if h:
            return n, h
    return line, "(no sentence with %s)" % forms[0]


def distractor_in(t, text):
    """Ids of the report's inserted distractors that `text` holds or is part of."""
    out = []
    for d in t.get("distractors", []):
        a, b = d["text"].rstrip("。"), text.rstrip("。")
        if a in text or (b and b in a):
            out.append("%s in %s" % (d["id"], d["section"]))
    return out


def measure_legacy(layout, truth, indir, out, binary, jobs):
    secs, reps, note = run_build(indir, out, binary, jobs)
    S = collections.Counter()
    wrong, nulls = [], []
    by_path = {r["source_path"]: r for r in reps}
    got = legacy_got(out, reps) if reps else {}
    for path, t in sorted(truth.items()):
        S["reports"] += 1
        r = by_path.get(path)
        if r is None or r.get("status") == "failed":
            S["crashes"] += 1
        if r is not None and r.get("era") != "legacy":
            S["not_legacy"] += 1
        want = truth_cells(t, ("outcomes", "litigation", "proactive"), fees=True)
        cells = set(want) | {k[1:] for k in got if k[0] == path}
        n_wrong = n_null = 0
        for cell in sorted(cells):
            w = want.get(cell)
            g, line = got.get((path,) + cell, (None, None))
            if w is None:
                if g is not None:
                    S["wrong"] += 1
                    S["guessed"] += 1
                    n_wrong += 1
                    wrong.append((path,) + cell + (None, g, line))
                continue
            S["determined"] += 1
            if g is None:
                S["null"] += 1
                n_null += 1
                nulls.append((path,) + cell + (w, None, None))
            elif abs(float(g) - float(w)) < 1e-9:
                S["right"] += 1
            else:
                S["wrong"] += 1
                n_wrong += 1
                wrong.append((path,) + cell + (w, g, line))
        S["reports_wrong"] += n_wrong > 0
        S["reports_null"] += n_null > 0
    return S, wrong, nulls, note, secs


def describe_wrong(layout, truth, indir, cells):
    """Lines: file, fact, expected, got, the sentence and the distractor it came from."""
    out = []
    for path, table, row, col, w, g, line in cells:
        t = truth[path]
        n, sent = source_sentence(read_source(os.path.join(indir, path), t.get("encoding", "utf-8")), line, g)
        cause = ", ".join(distractor_in(t, sent)) or "own text"
        out.append("    %s  %s  expected %s  got %s  [%s]  line %s: %s"
                   % (path, fact_name(table, row, col), w, g, cause, n, sent))
    return out


def null_causes(truth, indir, out, nulls):
    """Null cells counted by (fact, what the prose_conflict diagnostic's lines hold)."""
    import re
    reps = read_table(out, "reports")
    id2path = {r["report_id"]: r["source_path"] for r in reps}
    diags = collections.defaultdict(list)
    for d in read_table(out, "diagnostics"):
        diags[id2path.get(d["report_id"])].append(d)
    c = collections.Counter()
    for path, table, row, col, _, _, _ in nulls:
        t = truth[path]
        fact = fact_name(table, row, col)
        lines = read_source(os.path.join(indir, path), t.get("encoding", "utf-8"))
        why = "no diagnostic"
        for d in diags.get(path, []):
            msg = d.get("message") or ""
            if msg.startswith(fact + ":"):
                nos = [int(x) for x in re.findall(r"line (\d+)", msg)]
                ids = sorted({x for n in nos if 1 <= n <= len(lines) for x in distractor_in(t, lines[n - 1])})
                why = "%s with %s" % (d["code"], "+".join(x.split(" in ")[0] for x in ids) or "own text")
                break
        c[(fact, why)] += 1
    return c


def run_legacy(layout, a, lay, work, binary, legacy_wrong):
    truth = generate_legacy(layout, a.per_layout, a.seed, lay, work)
    indir = os.path.join(work, layout)
    S, wrong, nulls, note, secs = measure_legacy(layout, truth, indir, os.path.join(work, layout + ".out"),
                                                 binary, a.jobs)
    acc = S["right"] / S["determined"] if S["determined"] else float("nan")
    print("%-13s reports %3d  determined %5d  right %5d  wrong %4d (guessed %d)  null %4d  "
          "accuracy %6.2f%%  crashes %d  reports with a wrong value %d  (%.1f s)%s"
          % (layout, S["reports"], S["determined"], S["right"], S["wrong"], S["guessed"], S["null"],
             100 * acc, S["crashes"], S["reports_wrong"], secs, ("  " + note) if note else ""), flush=True)
    if a.verbose and nulls:
        by = null_causes(truth, indir, os.path.join(work, layout + ".out"), nulls)
        print("    null cells by fact and cause: " + "; ".join("%s (%s): %d" % (f, w, n) for (f, w), n in by.most_common()))
    legacy_wrong.extend(describe_wrong(layout, truth, indir, wrong))
    return layout, S, acc


def print_legacy_table(rows):
    print()
    print("| legacy layout | reports | cells | right | wrong | guessed | null | cell accuracy "
          "| reports with a wrong value | reports with a null | crashes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for layout, S, acc in rows:
        n = S["reports"] or 1
        print("| %s | %d | %d | %d | %d | %d | %d | %.2f%% | %d (%.1f%%) | %d (%.1f%%) | %d |"
              % (layout, S["reports"], S["determined"], S["right"], S["wrong"], S["guessed"], S["null"],
                 100 * acc, S["reports_wrong"], 100 * S["reports_wrong"] / n, S["reports_null"],
                 100 * S["reports_null"] / n, S["crashes"]))


def print_table(rows):
    print()
    print("| layout | reports | determined | right | wrong | guessed | null | accuracy | crashes |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    T = collections.Counter()
    for layout, S, acc in rows:
        T.update(S)
        print("| %s | %d | %d | %d | %d | %d | %d | %.2f%% | %d |"
              % (layout, S["reports"], S["determined"], S["right"], S["wrong"], S["guessed"], S["null"],
                 100 * acc, S["crashes"]))
    if T["determined"]:
        print("| **all** | %d | %d | %d | %d | %d | %d | %.2f%% | %d |"
              % (T["reports"], T["determined"], T["right"], T["wrong"], T["guessed"], T["null"],
                 100 * T["right"] / T["determined"], T["crashes"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-layout", type=int, default=20, help="reports per layout (K)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.path.expanduser("~/.cache/ogi-target/debug/ogi"))
    ap.add_argument("--layouts", help="comma list (default: %s)"
                    % ",".join(NEW_LAYOUTS + OLD_LAYOUTS + LEGACY_LAYOUTS))
    ap.add_argument("--keep", help="write reports, truth and outputs here (replaced) and keep them")
    ap.add_argument("--jobs", type=int, default=1, help="ogi build --jobs (default 1)")
    ap.add_argument("--verbose", action="store_true", help="list up to 20 wrong cells per layout")
    ap.add_argument("--max-wrong", type=int, default=30,
                    help="with --verbose: list up to N wrong legacy values in all (default 30)")
    ap.add_argument("--kinds", type=int, default=0,
                    help="also print the N (layout, table row) with the most wrong or null cells")
    ap.add_argument("--check", type=float, metavar="MIN",
                    help="a test, not a measurement: exit 1 on any wrong value or crash, or a layout reading less "
                         "than MIN of its cells (0.995: 99.5 %%)")
    a = ap.parse_args(argv)
    layouts = a.layouts.split(",") if a.layouts else NEW_LAYOUTS + OLD_LAYOUTS + LEGACY_LAYOUTS
    binary = find_bin(os.path.abspath(os.path.expanduser(a.bin)))
    if a.keep:
        work = os.path.abspath(a.keep)
        if os.path.isdir(work):
            shutil.rmtree(work)
        os.makedirs(work)
    else:
        work = tempfile.mkdtemp(prefix="ogi-layout-acc-")
    lay = corpus.Layout(6000, a.seed, corpus.load_counties())
    rows = []
    legacy_rows, legacy_wrong = [], []
    all_kinds = {}
    try:
        for layout in layouts:
            if layout in LEGACY_LAYOUTS:
                legacy_rows.append(run_legacy(layout, a, lay, work, binary, legacy_wrong))
                continue
            truth = generate(layout, a.per_layout, a.seed, lay, work)
            S, wrong, nulls, note, secs = measure(layout, truth, os.path.join(work, layout),
                                                  os.path.join(work, layout + ".out"), binary, a.jobs)
            acc = S["right"] / S["determined"] if S["determined"] else float("nan")
            rows.append((layout, S, acc))
            print("%-13s reports %3d  determined %5d  right %5d  wrong %4d (guessed %d)  null %4d  "
                  "accuracy %6.2f%%  crashes %d  (%.1f s)%s"
                  % (layout, S["reports"], S["determined"], S["right"], S["wrong"], S["guessed"], S["null"],
                     100 * acc, S["crashes"], secs, ("  " + note) if note else ""), flush=True)
            if a.verbose:
                for path, table, row, col, w, g in wrong[:20]:
                    print("    %s  %s  %s  %s  expected %s  got %s" % (path, table, row, col, w, g))
                if nulls:
                    by = collections.Counter((t, r) for _, t, r, _, _, _ in nulls)
                    print("    null cells by row: " + ", ".join("%s %s: %d" % (t, r, n) for (t, r), n in by.most_common(8)))
            for key, (n, cols) in kinds(wrong, nulls).items():
                all_kinds[(layout,) + key] = (n, cols)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    if rows:
        print_table(rows)
    if legacy_rows:
        print_legacy_table(legacy_rows)
        if a.verbose and legacy_wrong:
            print()
            print("wrong legacy values (file, fact, expected, got, [cause], the sentence):")
            for line in legacy_wrong[:a.max_wrong]:
                print(line)
            if len(legacy_wrong) > a.max_wrong:
                print("    ... %d more" % (len(legacy_wrong) - a.max_wrong))
    if a.kinds:
        print()
        print("most common wrong/null cells by row (layout, kind, table, row: cells [columns]):")
        top = sorted(all_kinds.items(), key=lambda kv: -kv[1][0])[:a.kinds]
        for key, (n, cols) in top:
            print("  %s: %d [%s]" % (" ".join(str(x) for x in key), n,
                                     "all" if len(cols) >= 5 else ",".join(sorted(cols))))
    if a.keep:
        print("\nkept in %s" % work)
    if a.check is not None:
        bad = ["%s: %d wrong, %d crashes, %.2f%% read" % (name, S["wrong"], S["crashes"], 100 * acc)
               for name, S, acc in rows + legacy_rows if S["wrong"] or S["crashes"] or not acc >= a.check]
        if bad:
            print("layout_accuracy --check %s failed:\n  %s" % (a.check, "\n  ".join(bad)), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    checking = "--check" in sys.argv
    try:
        status = main()
    except Exception:  # a measurement: report the error, exit 0 all the same (a test: 1)
        import traceback
        traceback.print_exc()
        status = 1
    sys.exit(status if checking else 0)
