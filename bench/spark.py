#!/usr/bin/env python3
"""The cost of reading on Spark (`just bench-spark`): `ogi build` next to the Python
binding and the Spark job in local mode, over the same generated corpus, in one run.

    .venv/bin/python bench/spark.py [--n 10000] [--runs 1] [--bin PATH] [--jobs 2]

Measured, each the median of --runs runs:

* `ogi build CORPUS --no-cache --jobs J` (the whole build: read, write, rank);
* `ogi.parse_many(files, threads=J)` in this interpreter (the binding alone: the reader
  and the Arrow hand-over, files already in memory);
* `pipelines/spark_build.py CORPUS --out TMP` with `local[J]` (start-up, binaryFile, the
  binding in mapInArrow, the steps across reports, writing the partitioned tables).

Reported: wall seconds, ms per report, and each next to `ogi build`; the section
"Spark (issue 22)" of bench/results.md is replaced.
"""
import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SECTION = "## Spark (issue 22): ogi build, the binding and the Spark job side by side"


def corpus(n):
    base = os.environ.get("OGI_BENCH_DIR", os.path.expanduser("~/.cache/ogi-bench"))
    out = os.path.join(base, f"corpus-{n}-seed1")
    if not os.path.exists(out + ".manifest.json"):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_corpus.py"), "--n", str(n), "--out", out], check=True)
    return out


def timed(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.expanduser(
        "~/.cache/ogi-target")), "debug", "ogi"))
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    import ogi

    src = corpus(a.n)
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs)
    tmp = tempfile.mkdtemp(prefix="ogi-bench-spark-")
    env = {**os.environ, "OGI_SPARK_MASTER": f"local[{a.jobs}]"}

    def build():
        subprocess.run([a.bin, "build", src, "--out", os.path.join(tmp, "one"), "--quiet", "--no-cache",
                        "--jobs", str(a.jobs)], check=True, stdout=subprocess.DEVNULL)

    files = [(open(p, "rb").read(), os.path.relpath(p, src)) for p in paths]

    def binding():
        ogi.parse_many(files, threads=a.jobs)

    def spark():
        out = os.path.join(tmp, "spark")
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(ROOT, "pipelines/spark_build.py"), src, "--out", out],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    times = {"ogi build": [], "ogi.parse_many (binding)": [], "spark_build.py local": []}
    for _ in range(a.runs):
        times["ogi build"].append(timed(build))
        times["ogi.parse_many (binding)"].append(timed(binding))
        times["spark_build.py local"].append(timed(spark))
    shutil.rmtree(tmp, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["ogi build"]
    n = len(paths)
    rows = [f"| {k} | {v:.1f} | {v * 1000 / n:.2f} | {v / base:.2f}× |" for k, v in med.items()]
    text = "\n".join([
        SECTION, "",
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, --jobs {a.jobs} (Spark local[{a.jobs}]), "
        f"median of {a.runs} run(s) (`bench/spark.py --n {a.n}`): {n} generated reports "
        f"(bench/gen_corpus.py, seed 1), `{a.bin}`, the binding as `pip install .` builds it (release).",
        "", "| what | wall s | ms / report | vs ogi build |", "|---|---:|---:|---:|", *rows, "",
    ])
    print(text)
    if a.no_write:
        return
    from results_section import replace_section  # bench/results_section.py (the script's folder)

    replace_section(SECTION, text)


if __name__ == "__main__":
    main()
