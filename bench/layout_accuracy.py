#!/usr/bin/env python3
"""Per-layout cell accuracy of `ogi build` on generated reports with known truth.

    .venv/bin/python bench/layout_accuracy.py --per-layout 20 --seed 1 \\
        --bin ~/.cache/ogi-target/debug/ogi [--layouts oneline,pdfminer] [--keep DIR] [--verbose]

For each layout (a shape of tests/fixtures/shapes/make_fixtures.py) it generates K
reports (real county names from data/reference/divisions.csv via bench/gen_corpus.py,
both the 2019 and the 2021 template, numbers that satisfy the template arithmetic, with
nonzero values spread over several applicant columns and outcome rows so that a value in
the wrong column or row is caught), writes them and their truth (the format of
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

Prints a markdown table; exit status is always 0 (this is a measurement).
Needs duckdb (requirements-dev.txt: `./just venv`, then run with .venv/bin/python).
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import gen_corpus as gc  # noqa: E402  (also imports make_fixtures as gc.mf)

mf = gc.mf

NEW_LAYOUTS = ["oneline", "pdfminer", "html_empty", "ocr_markdown"]
OLD_LAYOUTS = ["cpl_blank", "cpl_noblank", "keep_empty", "rowline", "tabs", "markdown", "html", "pdf",
               "fullwidth", "markers", "glued"]
REQ_COLS = ["new_received", "carried_over", "carried_forward"]


# ---------------------------------------------------------------- generation

def rich_table3(rng, era, total_new):
    """gen_corpus.gen_table3 with flatter weights: several applicant columns and several
    outcome rows nonzero, some 结转 in most columns."""
    w_app = [rng.uniform(0.4, 1.0), rng.uniform(0.1, 0.5)] + [
        rng.uniform(0.05, 0.3) if rng.random() < 0.6 else 0.0 for _ in range(3)] + [rng.uniform(0.05, 0.4)]
    new = gc.split(rng, total_new, w_app)
    carried = gc.split(rng, max(1, int(total_new * rng.uniform(0.02, 0.2))), w_app)
    codes = mf.outcome_codes(era)
    chosen = set(rng.sample(codes, rng.randint(5, 9))) | {"granted"}
    w = [rng.uniform(0.6, 1.5) if c == "granted" else rng.uniform(0.05, 0.6) if c in chosen else 0.0
         for c in codes]
    out = {c: [0] * 6 for c in codes}
    for j in range(6):
        avail = new[j] + carried[j]
        cf = int(avail * rng.uniform(0.0, 0.2))
        for c, v in zip(codes, gc.split(rng, avail - cf, w)):
            out[c][j] = v
    return new, carried, {c: v for c, v in out.items() if any(v)}


def make_report(lay, i, layout, era, rng):
    """gen_corpus.spec(i) (region, agency, dates, prose choices) with the layout forced and
    richer numbers; returns (F, bytes, truth), or None when report i is not of `era`
    (or is a legacy, bad or truncated file)."""
    F = gc.spec(lay, i)
    year = F["year"]
    if F["kind"] != "report" or F.get("truncate") or ("2019" if year <= 2020 else "2021") != era:
        return None
    F["shape"] = layout
    F["ext"] = "html" if layout in ("html", "html_empty") else "txt"
    F["encoding"] = "utf-8"
    total_new = max(12, min(3000, int(math.exp(rng.gauss(3.6, 0.9)))))
    F["new"], F["carried"], F["out"] = rich_table3(rng, era, total_new)
    F["lit"] = gc.gen_lit(rng, rng.uniform(60, 400))
    F["pro"] = gc.gen_pro(rng, era, 1.0)
    F.pop("glued", None)
    F.pop("nospace", None)
    F["total_only"] = layout == "total_only"
    if layout == "glued":
        rows = [c for c, _ in mf.t3_template(era) if c]
        glued = rows if rng.random() < 0.3 else [c for c in rows if rng.random() < 0.35]
        F["glued"] = set(glued)
        F["nospace"] = {c for c in glued if rng.random() < 0.2}
    gc.check_arith(F)
    data = gc.render_report(F)
    t = mf.truth_of(dict(F, kind=F["agency_kind"]))
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
    cells = [("requests", k, a) for a in mf.APPS for k in REQ_COLS]
    cells += [("outcomes", c, a) for c in mf.outcome_codes(era) + ["total_handled"] for a in mf.APPS]
    cells += [("litigation", p, r) for p in mf.LIT_PROC for r in mf.LIT_RES]
    return cells


def truth_cells(t):
    d = {}
    for a, kv in t.get("requests", {}).items():
        for k, v in kv.items():
            d[("requests", k, a)] = v
    for key, v in t.get("outcomes", {}).items():
        c, a = key.split("|")
        d[("outcomes", c, a)] = v
    for key, v in t.get("litigation", {}).items():
        if "|" in key:
            p, r = key.split("|")
            d[("litigation", p, r)] = v
    return d


def measure(layout, truth, indir, out, binary, jobs):
    cmd = [binary, "build", indir, "--out", out, "--quiet", "--no-cache", "--jobs", str(jobs)]
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.time() - t0
    S = collections.Counter()
    wrong, nulls = [], []
    reps = read_table(out, "reports") if p.returncode == 0 else []
    note = "" if p.returncode == 0 else "build exit %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")[-300:])
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-layout", type=int, default=20, help="reports per layout (K)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.path.expanduser("~/.cache/ogi-target/debug/ogi"))
    ap.add_argument("--layouts", help="comma list (default: %s)" % ",".join(NEW_LAYOUTS + OLD_LAYOUTS))
    ap.add_argument("--keep", help="write reports, truth and outputs here (replaced) and keep them")
    ap.add_argument("--jobs", type=int, default=1, help="ogi build --jobs (default 1)")
    ap.add_argument("--verbose", action="store_true", help="list up to 20 wrong cells per layout")
    ap.add_argument("--kinds", type=int, default=0,
                    help="also print the N (layout, table row) with the most wrong or null cells")
    a = ap.parse_args(argv)
    layouts = a.layouts.split(",") if a.layouts else NEW_LAYOUTS + OLD_LAYOUTS
    binary = find_bin(os.path.abspath(os.path.expanduser(a.bin)))
    if a.keep:
        work = os.path.abspath(a.keep)
        if os.path.isdir(work):
            shutil.rmtree(work)
        os.makedirs(work)
    else:
        work = tempfile.mkdtemp(prefix="ogi-layout-acc-")
    lay = gc.Layout(6000, a.seed, gc.load_counties())
    rows = []
    all_kinds = {}
    try:
        for layout in layouts:
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
    if a.kinds:
        print()
        print("most common wrong/null cells by row (layout, kind, table, row: cells [columns]):")
        top = sorted(all_kinds.items(), key=lambda kv: -kv[1][0])[:a.kinds]
        for key, (n, cols) in top:
            print("  %s: %d [%s]" % (" ".join(str(x) for x in key), n,
                                     "all" if len(cols) >= 5 else ",".join(sorted(cols))))
    if a.keep:
        print("\nkept in %s" % work)
    return 0


if __name__ == "__main__":
    try:
        main()
    except Exception:  # a measurement: report the error, exit 0 all the same
        import traceback
        traceback.print_exc()
    sys.exit(0)
