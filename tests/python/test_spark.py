"""The Spark job (pipelines/spark_build.py) in local mode gives what `ogi build` gives:
every table, row for row (order aside), and through `ogi rank` over its output the same
county_year and byte-identical ranking CSVs, over a generated corpus with the samples (text,
HTML, PDF, Word), bad files, a copy of a file and the same report in another form in it.
Its output is partitioned by year and read here as DuckDB reads it (hive_partitioning)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLES = ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, ogi_bin):
    tmp = tmp_path_factory.mktemp("spark")
    src = tmp / "in"
    subprocess.run([sys.executable, str(ROOT / "bench/gen_corpus.py"), "--n", "120", "--seed", "3",
                    "--out", str(src / "gen")], check=True, capture_output=True)
    samples = src / "samples"
    shutil.copytree(ROOT / "data/reports", samples)
    first = sorted(samples.glob("*.txt"))[0]
    shutil.copy(first, src / "zz_copy.txt")                                      # the same bytes
    (src / "zz_other_form.txt").write_bytes(first.read_bytes() + b"\n\n")       # the same report
    for bad in ["scan.pdf", "report.doc", "truncated.docx"]:
        shutil.copy(ROOT / "tests/fixtures/documents" / bad, src / bad)
    (src / "empty.txt").write_bytes(b"")
    one = tmp / "one"
    subprocess.run([ogi_bin, "build", str(src), "--out", str(one), "--quiet", "--no-cache"], check=True)
    spark = tmp / "spark"
    env = {**os.environ, "OGI_SPARK_MASTER": "local[2]"}
    job = subprocess.run([sys.executable, str(ROOT / "pipelines/spark_build.py"), str(src), "--out", str(spark),
                          "--rank", "--ogi", ogi_bin], env=env, capture_output=True, text=True)
    assert job.returncode == 0, job.stderr[-3000:]
    return one, spark


def rows(rel):
    return sorted(tuple("" if v is None else str(v) for v in r) for r in rel.fetchall())


@pytest.mark.parametrize("name", TABLES)
def test_the_spark_job_gives_the_builds_rows(built, name):
    one, spark = built
    want = duckdb.sql(f"select * from read_parquet('{one}/{name}.parquet')")
    cols = ", ".join(want.columns)
    got = duckdb.sql(f"select {cols} from read_parquet('{spark}/{name}/**/*.parquet', hive_partitioning = true)")
    w, g = rows(want), rows(got)
    assert len(w) > 0
    assert g == w, (sorted(set(w) - set(g))[:3], sorted(set(g) - set(w))[:3])


@pytest.mark.parametrize("name", ["rank_request_volume", "rank_disclosure_rate", "rank_yoy_change"])
def test_ogi_rank_over_the_spark_output_gives_the_builds_rankings(built, name):
    one, spark = built
    want = (one / "summary" / f"{name}.csv").read_bytes()
    assert want.count(b"\n") > 1
    assert (spark / "summary" / f"{name}.csv").read_bytes() == want


def test_county_year_over_the_spark_output_equals_the_builds(built):
    one, spark = built
    w = rows(duckdb.sql(f"select * from read_parquet('{one}/county_year.parquet')"))
    assert len(w) > 0
    assert rows(duckdb.sql(f"select * from read_parquet('{spark}/county_year.parquet')")) == w


def test_copies_and_checks_across_reports_are_in_the_comparison(built):
    one, _ = built
    codes = {c for (c,) in duckdb.sql(f"select distinct code from read_parquet('{one}/diagnostics.parquet')").fetchall()}
    for code in ["duplicate_file", "same_report_other_form", "carried_over_mismatch", "no_text_layer",
                 "unsupported_format", "docx_damaged", "empty_file"]:
        assert code in codes, code
