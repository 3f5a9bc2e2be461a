"""Shared fixtures for the dataset load tests.

The dataset under test is `$OGI_DATASET` (default `data/dataset`), built by
`ogi build` from `$OGI_REPORTS` (default `data/reports`). `./just test` builds it
first and sets both. Relative paths are taken from the current directory, then
from the repository root.
"""
import json
import os
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]

PARQUET_TABLES = [
    "reports", "proactive", "requests", "outcomes",
    "litigation", "fees", "diagnostics", "county_year",
]
FACT_TABLES = ["proactive", "requests", "outcomes", "litigation", "fees"]
SUMMARY_CSVS = {
    "rank_request_volume": "new_requests",
    "rank_disclosure_rate": "disclosure_rate",
    "rank_yoy_change": "yoy_change",
}


def _resolve(env, default):
    p = Path(os.environ.get(env) or default)
    if p.is_absolute() or p.exists():
        return p.resolve()
    return (REPO / p).resolve()


def sql_str(s):
    """A SQL string literal for DuckDB."""
    return "'" + str(s).replace("'", "''") + "'"


@pytest.fixture(scope="session")
def dataset_dir():
    d = _resolve("OGI_DATASET", "data/dataset")
    if not d.is_dir():
        pytest.fail(f"no dataset at {d}: run `./just build-dataset` (or set OGI_DATASET)")
    return d


@pytest.fixture(scope="session")
def reports_dir():
    d = _resolve("OGI_REPORTS", "data/reports")
    if not d.is_dir():
        pytest.fail(f"no input reports at {d} (set OGI_REPORTS)")
    return d


@pytest.fixture(scope="session")
def input_files(reports_dir):
    """Relative `/`-separated paths of every file under the input directory but hidden
    ones (a name starting with `.`): each gets a reports row, readable or not."""
    return sorted(
        p.relative_to(reports_dir).as_posix()
        for p in reports_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(reports_dir).parts)
    )


@pytest.fixture(scope="session")
def manifest(dataset_dir):
    p = dataset_dir / "manifest.json"
    assert p.is_file(), "manifest.json missing"
    with open(p, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def con(dataset_dir):
    """A DuckDB connection with one view per Parquet table and per summary CSV."""
    c = duckdb.connect()
    for t in PARQUET_TABLES:
        p = dataset_dir / f"{t}.parquet"
        if p.is_file():
            c.execute(f"create view {t} as select * from read_parquet({sql_str(p)})")
    for name, metric in SUMMARY_CSVS.items():
        p = dataset_dir / "summary" / f"{name}.csv"
        if p.is_file():
            # Pin the types: auto-detection would make region_code a number, and a CSV
            # with a header only would come back all VARCHAR.
            types = {"year": "INTEGER", "rank": "BIGINT", "region_code": "VARCHAR",
                     "region_name": "VARCHAR", "province": "VARCHAR", "scope": "VARCHAR",
                     "level": "VARCHAR", metric: "DOUBLE"}
            with open(p, encoding="utf-8-sig") as f:
                header = [h.strip().strip('"') for h in f.readline().rstrip("\r\n").split(",")]
            types = {k: v for k, v in types.items() if k in header}
            types_sql = "{" + ", ".join(f"{sql_str(k)}: {sql_str(v)}" for k, v in types.items()) + "}"
            c.execute(
                f"create view {name} as select * from "
                f"read_csv_auto({sql_str(p)}, header = true, types = {types_sql})"
            )
    yield c
    c.close()


@pytest.fixture(scope="session")
def ogi_bin():
    """The `ogi` binary `./just test` built (OGI_BIN), for tests that run a build."""
    b = os.environ.get("OGI_BIN")
    if not b or not Path(b).is_file():
        pytest.fail("OGI_BIN is not set to the ogi binary (./just test sets it)")
    return b
