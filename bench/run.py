#!/usr/bin/env python3
"""The `just bench` harness: how fast `ogi build` and `ogi rank` are on a generated corpus.

    python3 bench/run.py --n 100000 [--runs 3] [--bin PATH]

Generates (or reuses) a corpus of N reports with bench/gen_corpus.py under
$OGI_BENCH_DIR (default ~/.cache/ogi-bench)/corpus-N-seedS, then measures, each as the
median of --runs runs:

* `ogi build CORPUS --out TMP --quiet --no-cache` at --jobs 1 and --jobs <all cores>:
  wall time, MB/s (corpus bytes / wall), reports/s, peak RSS (`/usr/bin/time -f %M`);
* the I/O floor: `find CORPUS -type f -print0 | xargs -0 cat > /dev/null` after a
  warm-up read (so both it and the builds read from the page cache), and build / cat;
* with the cache on: a first build (populates), a no-change rebuild, and a rebuild
  after 1% of the files changed (gen_corpus --mutate-percent, restored afterwards);
* `ogi rank --dataset OUT` vs DuckDB running the same ranking SQL (county_year and the
  three rankings, written with COPY ... TO) over the same Parquet, and the ratio.

Measurements the binary cannot do yet (no --no-cache / cache) are reported as
"not measured: ..." lines. Results go to bench/results.md, in a section for this N that
replaces the previous one (so N = 100k and 1M sit side by side).
Needs the duckdb Python package and the corpus generator ogi_fixtures (tests/fixtures):
when either is not importable, the script re-runs itself with .venv/bin/python.
"""
import argparse
import csv
import datetime
import json
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

try:
    import duckdb  # noqa: F401
    from ogi_fixtures import corpus as gen_corpus  # the generator behind bench/gen_corpus.py
except ImportError:
    venv_py = os.path.join(ROOT, ".venv", "bin", "python")
    if os.path.exists(venv_py) and os.path.realpath(sys.prefix) != os.path.realpath(os.path.join(ROOT, ".venv")):
        os.execv(venv_py, [venv_py] + sys.argv)
    sys.exit("bench: the duckdb and ogi_fixtures Python packages are needed (run `./just venv`)")

RESULTS = os.path.join(HERE, "results.md")
MEASURE = {"cat": "the cat floor", "build": "the full builds", "cache": "the cached rebuilds",
           "rank": "the rankings comparison"}
TIME = "/usr/bin/time"
BYTES_PER_FILE_EST = 12_000  # for the disk-space check


def sha256_file(path):
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout


# ---------------------------------------------------------------- corpus

def ensure_corpus(n, seed, jobs):
    base = os.path.expanduser(os.environ.get("OGI_BENCH_DIR", "~/.cache/ogi-bench"))
    os.makedirs(base, exist_ok=True)
    corpus = os.path.join(base, "corpus-%d-seed%d" % (n, seed))
    m = gen_corpus.read_manifest(corpus)
    if m and m.get("n") == n and m.get("seed") == seed and m.get("generator_version") == gen_corpus.GEN_VERSION \
            and os.path.isdir(corpus):
        if m.get("mutated"):
            log("restoring %d files mutated by an interrupted run" % len(m["mutated"]))
            gen_corpus.restore_corpus(corpus, jobs)
            m = gen_corpus.read_manifest(corpus)
        log("reusing corpus %s (%d files, %.1f MB)" % (corpus, n, m["bytes"] / 1e6))
        return corpus, m, False
    free = shutil.disk_usage(base).free
    need = n * BYTES_PER_FILE_EST
    if need * 1.5 > free:
        sys.exit("bench: a corpus of %d files needs about %.1f GB; only %.1f GB free under %s"
                 % (n, need / 1e9, free / 1e9, base))
    log("generating corpus %s (%d files) ..." % (corpus, n))
    m = gen_corpus.generate(corpus, n, seed, jobs)
    log("generated %.1f MB in %.1f s" % (m["bytes"] / 1e6, m["seconds"]))
    return corpus, m, True


def corpus_bytes(corpus):
    total = files = 0
    for d, _, fs in os.walk(corpus):
        for f in fs:
            total += os.path.getsize(os.path.join(d, f))
            files += 1
    return total, files


# ---------------------------------------------------------------- timing

def timed(cmd, env=None):
    """(wall seconds, peak RSS in KB or None, CPU seconds user+sys or None) of one run of
    cmd under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = [TIME, "-f", "%M %U %S", "-o", rss.name] + cmd if os.path.exists(TIME) else cmd
        t0 = time.perf_counter()
        p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr[-2000:]))
        try:
            kb, user, sys_ = rss.read().strip().splitlines()[-1].split()
            kb, cpu = int(kb), float(user) + float(sys_)
        except (ValueError, IndexError):
            kb = cpu = None
    return wall, kb, cpu


def cat_floor():
    return ["bash", "-c", 'find "$0" -type f -print0 | xargs -0 cat > /dev/null']


class Series:
    def __init__(self):
        self.walls, self.rss, self.cpus = [], [], []

    def add(self, wall, kb=None, cpu=None):
        self.walls.append(wall)
        if kb is not None:
            self.rss.append(kb)
        if cpu is not None:
            self.cpus.append(cpu)

    @property
    def wall(self):
        return statistics.median(self.walls)

    @property
    def cpu(self):
        return statistics.median(self.cpus) if self.cpus else None

    @property
    def peak_mb(self):
        return max(self.rss) / 1024 if self.rss else None

    def runs(self):
        return ", ".join("%.2f" % w for w in self.walls)


# ---------------------------------------------------------------- DuckDB rankings

def duck_rank_sql(ds, out, min_handled, min_prev, priority, exclude_codes=()):
    q = lambda p: "'" + p.replace("'", "''") + "'"  # noqa: E731
    excl = ", ".join(q(c) for c in exclude_codes) or "NULL"
    pr = ", ".join("(%s, %d)" % (q(k), i) for i, k in enumerate(priority))
    tbl = lambda name: "read_parquet(%s)" % q(os.path.join(ds, name + ".parquet"))  # noqa: E731
    stmts = ["""
CREATE TEMP TABLE chosen AS
SELECT region_code, year, report_id, region_name, coalesce(level, 'county') AS level, province, prefecture
FROM (
  SELECT r.*, row_number() OVER (PARTITION BY r.region_code, r.year ORDER BY p.priority, r.report_id) AS rn
  FROM {reports} r JOIN (VALUES {pr}) p(agency_kind, priority) USING (agency_kind)
  WHERE r.region_code IS NOT NULL AND r.year IS NOT NULL AND r.duplicate_of IS NULL
) WHERE rn = 1""".format(reports=tbl("reports"), pr=pr), """
CREATE TEMP TABLE cy0 AS
WITH req AS (
  SELECT report_id, new_received AS new_requests FROM {requests} WHERE applicant = 'total'
), oc AS (
  SELECT report_id,
         sum(count) FILTER (WHERE outcome = 'total_handled') AS handled,
         sum(count) FILTER (WHERE outcome = 'granted') AS granted,
         sum(count) FILTER (WHERE outcome = 'partially_granted') AS partially_granted,
         count(*) FILTER (WHERE outcome = 'total_handled') AS n_handled,
         count(*) FILTER (WHERE outcome = 'granted') AS n_granted,
         count(*) FILTER (WHERE outcome = 'partially_granted') AS n_partial
  FROM {outcomes}
  WHERE applicant = 'total' AND outcome IN ('total_handled', 'granted', 'partially_granted')
  GROUP BY report_id
), lit AS (
  SELECT report_id,
         sum(count) FILTER (WHERE proceeding = 'admin_review') AS admin_reviews,
         sum(count) FILTER (WHERE proceeding IN ('lawsuit', 'lawsuit_direct', 'lawsuit_after_review')) AS lawsuits,
         count(*) FILTER (WHERE proceeding = 'admin_review') AS n_admin,
         count(*) FILTER (WHERE proceeding IN ('lawsuit', 'lawsuit_direct', 'lawsuit_after_review')) AS n_suit
  FROM {litigation}
  WHERE result = 'total'
  GROUP BY report_id
)
SELECT c.*, req.new_requests,
       -- polars sums an all-null group to 0; a report without any such row stays null
       CASE WHEN n_handled > 0 THEN coalesce(handled, 0) END AS handled,
       CASE WHEN n_granted > 0 THEN coalesce(granted, 0) END AS granted,
       CASE WHEN n_partial > 0 THEN coalesce(partially_granted, 0) END AS partially_granted,
       CASE WHEN n_admin > 0 THEN coalesce(admin_reviews, 0) END AS admin_reviews,
       CASE WHEN n_suit > 0 THEN coalesce(lawsuits, 0) END AS lawsuits
FROM chosen c
LEFT JOIN req USING (report_id)
LEFT JOIN oc USING (report_id)
LEFT JOIN lit USING (report_id)""".format(requests=tbl("requests"), outcomes=tbl("outcomes"),
                                          litigation=tbl("litigation")), """
CREATE TEMP TABLE cy AS
SELECT c.region_code, c.region_name, c.level, c.province, c.prefecture, c.year, c.report_id,
       c.new_requests, c.handled, c.granted, c.partially_granted,
       CASE WHEN c.handled > 0 THEN (c.granted + c.partially_granted)::DOUBLE / c.handled END AS disclosure_rate,
       p.new_requests AS prev_new_requests,
       c.new_requests - p.new_requests AS yoy_change,
       CASE WHEN p.new_requests > 0 THEN (c.new_requests - p.new_requests)::DOUBLE / p.new_requests END
         AS yoy_change_pct,
       c.admin_reviews, c.lawsuits,
       (SELECT string_agg(DISTINCT d.code, ',' ORDER BY d.code) FROM {diagnostics} d
        WHERE d.report_id = c.report_id AND d.code IN ({excl})) AS excluded_because
FROM cy0 c LEFT JOIN cy0 p ON p.region_code = c.region_code AND p.year + 1 = c.year""".format(
                 diagnostics=tbl("diagnostics"), excl=excl),
             "COPY (SELECT * FROM cy ORDER BY region_code, year) TO %s (FORMAT parquet, COMPRESSION zstd)"
             % q(os.path.join(out, "county_year.parquet"))]
    for name, metric, eligible in (("rank_request_volume", "new_requests", "true"),
                                   ("rank_disclosure_rate", "disclosure_rate", "handled >= %d" % min_handled),
                                   ("rank_yoy_change", "yoy_change", "prev_new_requests >= %d" % min_prev)):
        stmts.append("""
COPY (
  WITH base AS (SELECT * FROM cy WHERE {m} IS NOT NULL AND excluded_because IS NULL AND {e})
  SELECT year, rank() OVER (PARTITION BY year, level ORDER BY {m} DESC) AS rank,
         region_code, region_name, province, level, 'national' AS scope, {m}
  FROM base
  UNION ALL
  SELECT year, rank() OVER (PARTITION BY year, level, province ORDER BY {m} DESC) AS rank,
         region_code, region_name, province, level, province AS scope, {m}
  FROM base WHERE province IS NOT NULL
  ORDER BY year, level, scope, rank, region_code
) TO {f} (HEADER, DELIMITER ',')""".format(m=metric, e=eligible, f=q(os.path.join(out, name + ".csv"))))
    return stmts


def run_duck(stmts):
    import duckdb
    t0, c0 = time.perf_counter(), time.process_time()
    con = duckdb.connect()
    for s in stmts:
        con.execute(s)
    con.close()
    return time.perf_counter() - t0, None, time.process_time() - c0


def compare_rankings(ogi_dir, duck_dir):
    """Row-for-row comparison of the three CSVs (floats to 9 digits)."""
    diffs = []
    for name in ("rank_request_volume", "rank_disclosure_rate", "rank_yoy_change"):
        def load(p):
            with open(p, encoding="utf-8-sig") as f:
                rows = list(csv.DictReader(f))
            out = []
            for r in rows:
                k = []
                for col in ("year", "rank", "region_code", "scope"):
                    k.append(r.get(col, ""))
                v = r.get(name.replace("rank_", "").replace("request_volume", "new_requests"), "")
                try:
                    v = "%.9g" % float(v)
                except ValueError:
                    pass
                out.append(tuple(k) + (v,))
            return sorted(out)
        a = load(os.path.join(ogi_dir, "summary", name + ".csv"))
        b = load(os.path.join(duck_dir, name + ".csv"))
        if a != b:
            diffs.append("%s: ogi %d rows, DuckDB %d rows, %d differ"
                         % (name, len(a), len(b), len(set(a) ^ set(b))))
    return diffs


def pipeline_thresholds():
    import tomllib
    with open(os.path.join(ROOT, "pipelines", "default.toml"), "rb") as f:
        cfg = tomllib.load(f)
    r = cfg.get("rank", {})
    return (r.get("min_handled_for_rate", 5), r.get("min_prev_requests_for_yoy", 1),
            r.get("agency_priority", ["government", "government_office"]), r.get("exclude_codes", []))


# ---------------------------------------------------------------- machine

def machine():
    def first(cmd, default="?"):
        try:
            return sh(cmd).strip().splitlines()[0]
        except (OSError, subprocess.CalledProcessError, IndexError):
            return default
    model = "?"
    try:
        for line in sh(["lscpu"]).splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    mem = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    git = first(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    dirty = first(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], "")
    return {
        "nproc": first(["nproc"]), "cpu": model, "memory": mem,
        "kernel": platform.release(), "rustc": first(["rustc", "--version"]),
        "python": platform.python_version(), "date": datetime.date.today().isoformat(),
        "git": git + (" (with uncommitted changes)" if dirty else ""),
        "load": "%.2f %.2f %.2f" % os.getloadavg(),
    }


# ---------------------------------------------------------------- report

def fmt_s(x):
    return "%.2f s" % x if x < 100 else "%.0f s" % x


def section(n, seed, meta, res, mach, notes, args):
    mb = meta["bytes"] / 1e6
    L = ["<!-- bench N=%d -->" % n, "## N = %s reports" % "{:,}".format(n).replace(",", " "), ""]
    L.append("Corpus: %d files, %.1f MB (%.1f KB per file on average), `gen_corpus.py --seed %d`, %s; "
             "median of %d run%s; binary `%s` (%s)."
             % (meta["files"], mb, meta["bytes"] / meta["files"] / 1000, seed,
                "generated in %.0f s with %s worker processes" % (meta["gen_seconds"], os.cpu_count())
                if meta.get("gen_seconds") else "",
                args.runs, "" if args.runs == 1 else "s", args.bin_label, res.get("version", "?")))
    L.append("")
    L.append("| measurement | median wall | runs (wall) | CPU user+sys | MB/s | reports/s | peak RSS | target |")
    L.append("|---|---:|---|---:|---:|---:|---:|---|")

    def row(name, s, target="", per=True):
        if s is None:
            return
        rate = (fmt_rate(mb / s.wall), fmt_rate(meta["files"] / s.wall)) if per else ("", "")
        rss = "%.0f MB" % s.peak_mb if s.peak_mb is not None else ""
        cpu = fmt_s(s.cpu) if s.cpu is not None else ""
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s |"
                 % (name, fmt_s(s.wall), s.runs(), cpu, rate[0], rate[1], rss, target))

    for j, s in res["build"]:
        row("`ogi build --no-cache --jobs %d`" % j if res["no_cache_flag"] else "`ogi build --jobs %d` (no cache in this binary)" % j,
            s, "" if j == 1 else "≤ 2× cat")
    row("I/O floor: `cat` of every file", res.get("cat"))
    row("first build with the cache (populates it)", res.get("cache_first"), per=False)
    row("no-change rebuild", res.get("nochange"), "< 2 s (100k)", per=False)
    if res.get("changed") is not None:
        row("rebuild after %d files (1%%) changed" % res["changed_files"], res["changed"], per=False)
    row("`ogi rank` (county_year + 3 rankings)", res.get("rank"), per=False)
    row("DuckDB, same ranking SQL over the same Parquet", res.get("duck"), per=False)
    L.append("")
    ratios = []
    if res.get("cat") and res["build"]:
        j, s = res["build"][-1]
        ratios.append("build (--jobs %d) / cat floor: **%.1f×** (target ≤ 2×)" % (j, s.wall / res["cat"].wall))
    if res["build"] and res["build"][0][1].cpu:
        j, s = res["build"][0]
        ratios.append("CPU per report at --jobs %d: %.2f ms (%.1f MB/s per core of CPU time)"
                      % (j, 1000 * s.cpu / meta["files"], mb / s.cpu))
    if len(res["build"]) == 2:
        ratios.append("speed-up --jobs %d vs --jobs 1: %.2f×" % (res["build"][1][0], res["build"][0][1].wall / res["build"][1][1].wall))
    if res.get("rank") and res.get("duck"):
        ratios.append("`ogi rank` / DuckDB: **%.2f×** (target ≤ 1.5×)" % (res["rank"].wall / res["duck"].wall))
    if res.get("nochange") and res.get("build"):
        ratios.append("no-change rebuild / full build: %.3f" % (res["nochange"].wall / res["build"][-1][1].wall))
    if ratios:
        L.append("Ratios: " + "; ".join(ratios) + ".")
        L.append("")
    if res.get("stages"):
        L.append("Stage timings from the build's manifest (`timings_ms`, last --jobs %d run): %s."
                 % (res["build"][-1][0], ", ".join("%s %s ms" % (k, v) for k, v in res["stages"].items())))
        L.append("")
    if res.get("statuses"):
        L.append("Report statuses: %s." % ", ".join("%s %d" % kv for kv in sorted(res["statuses"].items())))
        L.append("")
    for nmsg in notes:
        L.append("- " + nmsg)
    if notes:
        L.append("")
    L.append("Machine: %s × %s, %s RAM, Linux %s, %s, Python %s; %s; commit %s; load average "
             "before the run %s, after %s (other work on the machine shows up as load above 0)."
             % (mach["nproc"], mach["cpu"], mach["memory"], mach["kernel"], mach["rustc"], mach["python"],
                mach["date"], mach["git"], args.load_before, mach["load"]))
    L.append("")
    L.append("Reproduce: `%s`" % args.repro)
    L.append("<!-- /bench N=%d -->" % n)
    return "\n".join(L) + "\n"


def fmt_rate(x):
    return "%.0f" % x if x >= 10 else "%.1f" % x


HEADER = """# Benchmarks

Written by `bench/run.py` (`./just bench [N]`); each section below is replaced when the
benchmark is run again for the same N. Corpora are synthetic (`bench/gen_corpus.py`): every
layout the contract lists, 2019 and 2021 templates, ~1% legacy reports, ~1% bad files,
real county names, 2019-2024. Times are wall-clock medians with the corpus in the page
cache; peak RSS is `/usr/bin/time -f %M`. The DuckDB time is measured inside the harness
(connect, run the SQL, COPY the results; the Python import is not counted); `ogi rank` is
the whole process.

"""


def write_results(n, text):
    old = open(RESULTS, encoding="utf-8").read() if os.path.exists(RESULTS) else HEADER
    start, end = "<!-- bench N=%d -->" % n, "<!-- /bench N=%d -->\n" % n
    if start in old and end in old:
        a, b = old.index(start), old.index(end) + len(end)
        new = old[:a] + text + old[b:]
    else:
        # keep the sections in order of N
        secs = []
        import re
        for m in re.finditer(r"<!-- bench N=(\d+) -->", old):
            secs.append((int(m.group(1)), m.start()))
        pos = len(old)
        for k, p in secs:
            if k > n:
                pos = p
                break
        sep = "" if old.endswith("\n\n") or pos < len(old) else "\n"
        new = old[:pos] + sep + text + ("\n" if pos < len(old) else "") + old[pos:]
    with open(RESULTS, "w", encoding="utf-8") as f:
        f.write(new)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description="benchmark ogi build / ogi rank on a generated corpus")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/ogi-target")),
                                                  "release", "ogi"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", default="1,all",
                    help="comma-separated --jobs values for the full builds ('all' = nproc); default 1,all")
    ap.add_argument("--only", default="build,cat,cache,rank",
                    help="what to measure, comma-separated from build,cat,cache,rank")
    ap.add_argument("--keep", action="store_true", help="keep the temporary output directories")
    ap.add_argument("--no-write", action="store_true", help="print the section instead of updating results.md")
    args = ap.parse_args()
    args.load_before = "%.2f %.2f %.2f" % os.getloadavg()
    args.bin = os.path.abspath(args.bin)
    args.bin_label = args.bin.replace(os.path.expanduser("~"), "~")
    extra = []
    if args.runs != 3:
        extra.append("--runs %d" % args.runs)
    if args.jobs != "1,all":
        extra.append("--jobs %s" % args.jobs)
    if args.only != "build,cat,cache,rank":
        extra.append("--only %s" % args.only)
    args.repro = "./just bench %d" % args.n + (" " + " ".join(extra) if extra else "")
    only = set(args.only.split(","))
    nproc = os.cpu_count() or 1
    jobs = [nproc if j == "all" else int(j) for j in args.jobs.split(",")]
    if not os.access(args.bin, os.X_OK):
        sys.exit("bench: no ogi binary at %s (build it with `cargo build --release --locked`)" % args.bin)

    # run a private copy, so that a rebuild of the binary during the run cannot mix versions
    base = os.path.expanduser(os.environ.get("OGI_BENCH_DIR", "~/.cache/ogi-bench"))
    os.makedirs(base, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="ogi-bench-", dir=base)
    st = os.stat(args.bin)
    args.bin_label += " built %s, sha256 %s" % (
        datetime.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M:%S"), sha256_file(args.bin)[:12])
    pinned = os.path.join(tmp, "ogi")
    shutil.copy2(args.bin, pinned)
    args.bin = pinned
    mach = machine()  # the commit as of the start

    help_build = sh([args.bin, "build", "--help"])
    no_cache_flag = "--no-cache" in help_build
    cache_dir_flag = "--cache-dir" in help_build
    version = sh([args.bin, "--version"]).strip()
    notes = []
    res = {"build": [], "no_cache_flag": no_cache_flag, "version": version}

    try:
        corpus, m, fresh = ensure_corpus(args.n, args.seed, nproc)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    total, files = corpus_bytes(corpus)
    meta = {"bytes": total, "files": files, "gen_seconds": m.get("seconds"), "fresh": fresh}
    env = dict(os.environ)
    cache_args = []
    if cache_dir_flag:
        cache_args = ["--cache-dir", os.path.join(tmp, "cache")]
    try:
        # warm-up read: the page cache holds the corpus for every measurement below
        log("warm-up read of %.1f MB" % (total / 1e6))
        timed(cat_floor() + [corpus])
        last_out = None

        if "cat" in only:
            try:
                s = Series()
                for r in range(args.runs):
                    w, _, cpu = timed(cat_floor() + [corpus])
                    s.add(w, None, cpu)  # (the RSS would be bash's)
                res["cat"] = s
                log("cat floor: %s" % s.runs())
            except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
                notes.append("not measured: %s (%s)" % (MEASURE["cat"], str(e).strip()[:400]))
                log(notes[-1])

        if "build" in only:
            try:
                flags = ["--no-cache"] if no_cache_flag else []
                if not no_cache_flag:
                    notes.append("not measured: a build with the cache switched off — `ogi build --help` has no "
                                 "`--no-cache`, so the full builds above ran the binary as it is (no cache).")
                series = {j: Series() for j in jobs}
                for r in range(args.runs):
                    for j in jobs:
                        out = os.path.join(tmp, "out-j%d-r%d" % (j, r))
                        s = series[j]
                        s.add(*timed([args.bin, "build", corpus, "--out", out, "--quiet", "--jobs", str(j)] + flags
                                     + cache_args, env))
                        log("build --jobs %d run %d: %.2f s, %s KB" % (j, r + 1, s.walls[-1], s.rss[-1] if s.rss else "?"))
                        if last_out and not args.keep:
                            shutil.rmtree(last_out, ignore_errors=True)
                        last_out = out
                res["build"] = [(j, series[j]) for j in jobs]
                try:
                    with open(os.path.join(last_out, "manifest.json"), encoding="utf-8") as f:
                        man = json.load(f)
                    res["stages"] = man.get("timings_ms")
                    res["statuses"] = man.get("status")
                except (OSError, ValueError):
                    pass
            except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
                notes.append("not measured: %s (%s)" % (MEASURE["build"], str(e).strip()[:400]))
                log(notes[-1])

        if "cache" in only:
            try:
                if not no_cache_flag:
                    notes.append("not measured: no-change rebuild and rebuild after 1% changed — this binary has no "
                                 "incremental cache (no `--no-cache` in `ogi build --help`).")
                else:
                    out = os.path.join(tmp, "cached-out")
                    first, nochange, changed = Series(), Series(), Series()
                    build = [args.bin, "build", corpus, "--out", out, "--quiet"] + cache_args
                    if not cache_args:
                        notes.append("the cache is the binary's default location (no `--cache-dir`); the first "
                                     "cached build below may have found entries from earlier runs.")
                    first.add(*timed(build, env))
                    log("first cached build: %.2f s" % first.walls[-1])
                    nfiles = 0
                    for r in range(args.runs):
                        if r:
                            timed(build, env)  # re-sync after the restore (the restored files are new again)
                        nochange.add(*timed(build, env))
                        log("no-change rebuild run %d: %.2f s" % (r + 1, nochange.walls[-1]))
                        picked = gen_corpus.mutate_corpus(corpus, 1.0, 1000 + r, nproc)
                        nfiles = len(picked)
                        try:
                            changed.add(*timed(build, env))
                            log("rebuild after %d changed run %d: %.2f s" % (nfiles, r + 1, changed.walls[-1]))
                        finally:
                            gen_corpus.restore_corpus(corpus, nproc)
                    res.update(cache_first=first, nochange=nochange, changed=changed, changed_files=nfiles)
                    if last_out is None:
                        last_out = out
            except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
                notes.append("not measured: %s (%s)" % (MEASURE["cache"], str(e).strip()[:400]))
                log(notes[-1])

        if "rank" in only:
            try:
                ds = last_out
                if ds is None or not os.path.exists(os.path.join(ds, "reports.parquet")):
                    ds = os.path.join(tmp, "rank-ds")
                    log("building a dataset for the rankings")
                    timed([args.bin, "build", corpus, "--out", ds, "--quiet"] + cache_args, env)
                ogi_rank, duck = Series(), Series()
                mh, mp, prio, excl = pipeline_thresholds()
                duck_out = os.path.join(tmp, "duck")
                os.makedirs(duck_out, exist_ok=True)
                stmts = duck_rank_sql(ds, duck_out, mh, mp, prio, excl)
                run_duck(stmts)  # warm-up (also loads the extension code paths)
                for r in range(args.runs):
                    ogi_rank.add(*timed([args.bin, "rank", "--dataset", ds], env))
                    duck.add(*run_duck(stmts))
                res["rank"], res["duck"] = ogi_rank, duck
                log("ogi rank %s; duckdb %s" % (ogi_rank.runs(), duck.runs()))
                diffs = compare_rankings(ds, duck_out)
                if diffs:
                    notes.append("the DuckDB rankings differ from ogi's: " + "; ".join(diffs))
                else:
                    notes.append("DuckDB's three ranking CSVs have the same rows as ogi's (year, rank, region, scope, value).")
            except (RuntimeError, OSError, subprocess.CalledProcessError, duckdb.Error) as e:
                notes.append("not measured: %s (%s)" % (MEASURE["rank"], str(e).strip()[:400]))
                log(notes[-1])

    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log("kept %s" % tmp)

    mach["load"] = "%.2f %.2f %.2f" % os.getloadavg()
    text = section(args.n, args.seed, meta, res, mach, notes, args)
    if args.no_write:
        print(text)
    else:
        write_results(args.n, text)
        print(text)
        log("wrote %s" % RESULTS)


if __name__ == "__main__":
    main()
