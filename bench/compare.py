"""Two ogi binaries side by side on one corpus, in one run: `ogi build` of each,
alternating so that the machine's noise falls on both, with `cat` of every file as the
I/O floor between them. Reports wall, CPU (user + sys), peak RSS and the build's own
stage timings (manifest.json `timings_ms`), medians of the runs, and the ratios.

    python3 bench/compare.py --corpus DIR --before BIN --after BIN [--runs 3] [--jobs 2]
        [--label-before TEXT] [--label-after TEXT] [--section "## heading"]

With --section the table is written to bench/results.md under that heading (replacing
a section of the same heading); without it, printed. stdlib only.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time

TIME = "/usr/bin/time"
STAGES = ["discover", "extract", "write", "rank", "total"]


def timed(cmd):
    """(wall s, peak RSS MB or None, user+sys CPU s or None) of one run of cmd."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        full = [TIME, "-f", "%M %U %S", "-o", out.name] + cmd if os.path.exists(TIME) else cmd
        t0 = time.perf_counter()
        p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise SystemExit("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
        try:
            kb, user, sys_ = out.read().strip().splitlines()[-1].split()
            return wall, int(kb) / 1024, float(user) + float(sys_)
        except (ValueError, IndexError):
            return wall, None, None


def build(binary, corpus, jobs, out):
    shutil.rmtree(out, ignore_errors=True)
    wall, rss, cpu = timed([binary, "build", corpus, "--out", out, "--quiet", "--no-cache", "--jobs", str(jobs)])
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        stages = json.load(f).get("timings_ms", {})
    return {"wall": wall, "rss": rss, "cpu": cpu, **{s: stages.get(s, 0) / 1000 for s in STAGES}}


def median(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else float("nan")


def files_in(corpus):
    return sum(len(fs) for _, _, fs in os.walk(corpus))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--label-before", default="before")
    ap.add_argument("--label-after", default="after")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--section", help="write the table to bench/results.md under this heading")
    a = ap.parse_args()
    n = files_in(a.corpus)
    tmp = tempfile.mkdtemp(prefix="ogi-compare-")
    runs = {"before": [], "after": [], "cat": []}
    cat = ["bash", "-c", 'find "$0" -type f -print0 | xargs -0 cat > /dev/null', a.corpus]
    timed(cat)  # the corpus into the page cache
    load_before = os.getloadavg()
    try:
        for i in range(a.runs):
            for which, binary in (("before", a.before), ("after", a.after)):
                r = build(binary, a.corpus, a.jobs, os.path.join(tmp, which))
                runs[which].append(r)
                print("run %d %s: %.2f s wall, %.2f s CPU, %.0f MB" % (i + 1, which, r["wall"], r["cpu"] or 0, r["rss"] or 0),
                      flush=True)
            wall, rss, cpu = timed(cat)
            runs["cat"].append({"wall": wall, "cpu": cpu})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    cat_wall = median(runs["cat"], "wall")
    rows = [
        "| | %s | %s | after / before |" % (a.label_before, a.label_after),
        "|---|---:|---:|---:|",
    ]

    def row(name, key, fmt="%.2f s", scale=1.0):
        b, f = median(runs["before"], key) * scale, median(runs["after"], key) * scale
        ratio = f / b if b else float("nan")
        rows.append("| %s | %s | %s | %.2f× |" % (name, fmt % b, fmt % f, ratio))

    row("wall", "wall")
    row("CPU (user + sys)", "cpu")
    row("CPU per report", "cpu", "%.3f ms", 1000.0 / max(n, 1))
    row("peak RSS", "rss", "%.0f MB")
    for s in STAGES:
        row("stage `%s` (manifest)" % s, s)
    wb, wa = median(runs["before"], "wall"), median(runs["after"], "wall")
    lines = rows + [
        "",
        "I/O floor, `cat` of every file (same run, between the builds): %.2f s. Build / cat: **%.1f×** before, **%.1f×** after."
        % (cat_wall, wb / cat_wall, wa / cat_wall),
        "",
        "Runs (wall / CPU s): before %s; after %s; cat %s."
        % (", ".join("%.2f/%.2f" % (r["wall"], r["cpu"] or 0) for r in runs["before"]),
           ", ".join("%.2f/%.2f" % (r["wall"], r["cpu"] or 0) for r in runs["after"]),
           ", ".join("%.2f" % r["wall"] for r in runs["cat"])),
        "",
        "Machine: %s, %d cores; %s; load average before %.2f, after %.2f. Command: `python3 bench/compare.py --corpus "
        "CORPUS --before %s --after %s --runs %d --jobs %s` over %d files (`ogi build CORPUS --out TMP --quiet --no-cache`)."
        % (platform.machine(), os.cpu_count() or 0, time.strftime("%Y-%m-%d"), load_before[0], os.getloadavg()[0],
           os.path.basename(a.before), os.path.basename(a.after), a.runs, a.jobs, n),
    ]
    text = "\n".join(lines) + "\n"
    if a.section:
        from results_section import replace_section  # bench/ is this script's directory

        replace_section(a.section, a.section + "\n\n" + text)
    print(text)


if __name__ == "__main__":
    main()
