"""The Python binding (`import ogi`, built by `pip install .`, `./just binding`) gives the
rows `ogi build` writes: every per-report table of the dataset built from data/reports,
row for row, with the same columns and Arrow types."""
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ogi  # installed into .venv by `./just binding` (part of `./just test`)

TABLES = ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics"]


def rows(table):
    """A table's rows as sortable tuples (order aside)."""
    return sorted(tuple("" if v is None else str(v) for v in r.values()) for r in table.to_pylist())


@pytest.fixture(scope="module")
def parsed(reports_dir, input_files):
    files = [((reports_dir / p).read_bytes(), p) for p in input_files]
    return ogi.parse_many(files, threads=2)


def test_the_binding_lists_the_contracts_tables():
    assert list(ogi.TABLES) == TABLES
    assert ogi.contract_version()


@pytest.mark.parametrize("name", TABLES)
def test_each_table_equals_the_builds(dataset_dir, parsed, name):
    built = pq.read_table(dataset_dir / f"{name}.parquet")
    mine = pa.Table.from_batches([parsed[name]])
    assert mine.schema.names == built.schema.names
    for field in mine.schema:
        assert field.type == built.schema.field(field.name).type, field.name
    assert rows(mine) == rows(built)


def test_one_file_alone_gives_its_rows(reports_dir, input_files, parsed):
    pdf = next(p for p in input_files if p.endswith(".pdf"))
    one = ogi.parse((reports_dir / pdf).read_bytes(), pdf)
    assert one["reports"].num_rows == 1
    (row,) = one["reports"].to_pylist()
    assert row["format"] == "pdf" and row["pages"] and row["status"] == "ok"
    outcomes = one["outcomes"].to_pylist()
    assert outcomes and all(o["source_page"] is not None for o in outcomes)
    mine = {(o["outcome"], o["applicant"], o["count"]) for o in outcomes}
    many = {(o["outcome"], o["applicant"], o["count"])
            for o in parsed["outcomes"].to_pylist() if o["report_id"] == row["report_id"]}
    assert mine == many


def test_bad_bytes_give_a_failed_row_not_an_exception():
    out = ogi.parse(b"%PDF-1.7 truncated", "x.pdf")
    (row,) = out["reports"].to_pylist()
    assert row["status"] == "failed" and row["format"] == "pdf"
    assert [d["code"] for d in out["diagnostics"].to_pylist()] == ["pdf_damaged"]


def test_a_file_over_its_time_limit_is_a_failed_row_and_the_next_is_read(reports_dir, input_files):
    name = next(p for p in input_files if p.endswith(".txt"))
    data = (reports_dir / name).read_bytes()
    # A report 300 times over takes the reader a good fraction of a second: far beyond
    # a limit of nanoseconds, whatever the machine's load (one copy alone could finish
    # before the watchdog first looks).
    out = ogi.parse(data * 300, name, seconds_per_mib=1e-9)
    (row,) = out["reports"].to_pylist()
    assert row["status"] == "failed"
    assert [d["code"] for d in out["diagnostics"].to_pylist()] == ["timeout"]
    again = ogi.parse(data, name)
    assert again["reports"].to_pylist()[0]["status"] != "failed"
