#!/usr/bin/env python3
"""The PDF benchmark (`just bench-pdf`): `ogi build` over PDFs next to `pdftotext` over the
same files, in one run.

    python3 bench/pdf.py [--copies 10] [--runs 3] [--bin PATH] [--jobs 2]

The corpus is the 48 LibreOffice-rendered reports of tests/fixtures/rendered/pdf and the
published 淮安 PDF, each copied --copies times with a distinct trailing comment (so no copy
is a duplicate of another and every one is parsed), under $OGI_BENCH_DIR (default
~/.cache/ogi-bench)/pdf-COPIES. Measured, each the median of --runs runs, all on --jobs
parallel processes or threads:

* `ogi build CORPUS --out TMP --quiet --no-cache --jobs J`: the whole build (read every
  PDF, extract, validate, write the Parquet tables, rank);
* `pdftotext -layout FILE -` and plain `pdftotext FILE -` over every file, J at a time
  (xargs -P J): only turning each PDF into text.

Reported: wall and CPU seconds (user + sys of the process tree), ms of CPU per page and
per report, and the ratio ogi / pdftotext. Results replace the "PDF input" section of
bench/results.md.
"""
import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCES = [os.path.join(ROOT, "tests/fixtures/rendered/pdf"), os.path.join(ROOT, "tests/fixtures/real/huaian_2024")]
SECTION = "## PDF input (issue 21): ogi build next to pdftotext"


def corpus(copies):
    base = os.environ.get("OGI_BENCH_DIR", os.path.expanduser("~/.cache/ogi-bench"))
    out = os.path.join(base, f"pdf-{copies}")
    pdfs = sorted(os.path.join(d, f) for d in SOURCES for f in os.listdir(d) if f.endswith(".pdf"))
    want = len(pdfs) * copies
    if os.path.isdir(out) and len(os.listdir(out)) == want:
        return out, pdfs
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for k in range(copies):
        for p in pdfs:
            data = open(p, "rb").read()
            name = f"{k:03d}_{os.path.basename(p)}"
            with open(os.path.join(out, name), "wb") as f:
                f.write(data + f"\n% bench copy {k}\n".encode())
    return out, pdfs


def pages_of(paths):
    total = 0
    for p in paths:
        info = subprocess.run(["pdfinfo", p], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", info, re.M)
        total += int(m.group(1)) if m else 0
    return total


def timed(cmd, **kw):
    """(wall s, CPU s of the children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_of(runs, f):
    results = [f() for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.expanduser(
        "~/.cache/ogi-target")), "debug", "ogi"))
    ap.add_argument("--no-write", action="store_true", help="print, do not update results.md")
    a = ap.parse_args()
    if not shutil.which("pdftotext"):
        sys.exit("bench-pdf: pdftotext (Debian's poppler-utils) is needed to compare with")
    src, originals = corpus(a.copies)
    files = sorted(os.path.join(src, f) for f in os.listdir(src))
    pages = pages_of(originals) * a.copies
    n = len(files)
    tmp = tempfile.mkdtemp(prefix="ogi-bench-pdf-")
    listing = os.path.join(tmp, "files")
    with open(listing, "wb") as f:
        f.write(b"\0".join(p.encode() for p in files))

    def ogi():
        out = os.path.join(tmp, "out")
        shutil.rmtree(out, ignore_errors=True)
        return timed([a.bin, "build", src, "--out", out, "--quiet", "--no-cache", "--jobs", str(a.jobs)])

    def pdftotext(*flags):
        def run():
            cmd = f"xargs -0 -P {a.jobs} -I{{}} pdftotext {' '.join(flags)} -enc UTF-8 {{}} - < {listing} > /dev/null"
            return timed(["bash", "-c", cmd])
        return run

    rows = []
    # Interleaved, so that the machine's noise falls on all of them alike.
    measures = {"ogi build": [], "pdftotext -layout": [], "pdftotext": []}
    for _ in range(a.runs):
        measures["ogi build"].append(ogi())
        measures["pdftotext -layout"].append(pdftotext("-layout")())
        measures["pdftotext"].append(pdftotext()())
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in measures.items()}
    base_wall, base_cpu = med["pdftotext -layout"]
    for name, (wall, cpu) in med.items():
        rows.append(
            f"| {name} | {wall:.2f} | {cpu:.2f} | {cpu * 1000 / pages:.1f} | {cpu * 1000 / n:.1f} | "
            f"{wall / base_wall:.2f}× | {cpu / base_cpu:.2f}× |"
        )
    shutil.rmtree(tmp, ignore_errors=True)
    text = "\n".join([
        SECTION,
        "",
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, `{os.path.basename(a.bin)}` "
        f"({'release' if '/release/' in a.bin else 'dev profile'}), --jobs {a.jobs}, median of {a.runs} "
        f"interleaved runs (`python3 bench/pdf.py --copies {a.copies}`): {n} PDFs, {pages} pages "
        f"(the 48 rendered reports and the 淮安 PDF, {a.copies} copies each). ogi's row is the whole build "
        "(read, extract, validate, write Parquet, rank); pdftotext's only turns each file into text.",
        "",
        "| command | wall s | CPU s | CPU ms / page | CPU ms / report | wall vs -layout | CPU vs -layout |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ])
    print(text)
    if a.no_write:
        return
    from results_section import replace_section  # bench/results_section.py (the script's folder)

    replace_section(SECTION, text)


if __name__ == "__main__":
    main()
