"""The copy-paste snippets in docs/dataset.md and README.md run as written: every
```python block in a fresh interpreter and every ```sql block through DuckDB, from a
directory where `data/dataset` is the dataset under test (`$OGI_DATASET`) and
`ogi-spark/` holds its tables in the Spark job's layout (`<table>/year=YYYY/*.parquet`).
"""
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "docs" / "dataset.md", REPO / "README.md"]
BLOCK = re.compile(r"^```(python|sql)[ \t]*\n(.*?)^```", re.S | re.M)


def snippets():
    out = []
    for doc in DOCS:
        if not doc.is_file():
            continue
        text = doc.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append(pytest.param(m.group(1), m.group(2), id=f"{doc.name}:{line}:{m.group(1)}"))
    return out


SNIPPETS = snippets()


@pytest.fixture
def workdir(tmp_path, dataset_dir):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "dataset").symlink_to(dataset_dir, target_is_directory=True)
    (tmp_path / "ogi-spark").mkdir()
    for t in ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics"]:
        src = str(dataset_dir / f"{t}.parquet").replace("'", "''")
        dst = str(tmp_path / "ogi-spark" / t).replace("'", "''")
        duckdb.sql(f"copy (select * from read_parquet('{src}')) to '{dst}' (format parquet, partition_by (year))")
    return tmp_path


def test_docs_have_snippets():
    langs = {p.values[0] for p in SNIPPETS}
    assert {"python", "sql"} <= langs, "docs/dataset.md should show Python and SQL snippets"


@pytest.mark.parametrize("lang,code", SNIPPETS)
def test_snippet_runs(workdir, monkeypatch, lang, code):
    if lang == "python":
        r = subprocess.run([sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True,
                           timeout=180)
        assert r.returncode == 0, f"snippet failed:\n{code}\n--- stderr\n{r.stderr[-3000:]}"
    else:
        monkeypatch.chdir(workdir)
        con = duckdb.connect()
        try:
            con.sql(code).fetchall()
        finally:
            con.close()
