"""Load the built dataset with DuckDB and polars and check it against the contract
(shared spec `dataset.md`): files, column types, codes, row counts, report ids,
derived county-year metrics and the rankings.
"""
import hashlib
import math

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import FACT_TABLES, PARQUET_TABLES, SUMMARY_CSVS, sql_str

# ---------------------------------------------------------------- contract
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
INT = "<integer>"  # any integer type: the contract names no width

TYPES = {
    "reports": {
        "report_id": "VARCHAR", "source_path": "VARCHAR", "title": "VARCHAR", "agency": "VARCHAR",
        "agency_kind": "VARCHAR", "region_name": "VARCHAR", "region_code": "VARCHAR",
        "province": "VARCHAR", "prefecture": "VARCHAR", "year": "SMALLINT", "published_on": "DATE",
        "era": "VARCHAR", "status": "VARCHAR", "n_warnings": "INTEGER", "identity_ok": "BOOLEAN",
    },
    "proactive": {"category": "VARCHAR", "metric": "VARCHAR", "value": "DOUBLE", "unit": "VARCHAR"},
    "requests": {"applicant": "VARCHAR", "new_received": "BIGINT", "carried_over": "BIGINT",
                 "carried_forward": "BIGINT"},
    "outcomes": {"outcome": "VARCHAR", "outcome_group": "VARCHAR", "applicant": "VARCHAR", "count": "BIGINT"},
    "litigation": {"proceeding": "VARCHAR", "result": "VARCHAR", "count": "BIGINT"},
    "fees": {"fee_kind": "VARCHAR", "notices_issued": "BIGINT", "amount_billed_yuan": "DOUBLE",
             "amount_collected_yuan": "DOUBLE", "amount_waived_yuan": "DOUBLE", "evidence": "VARCHAR"},
    "diagnostics": {"report_id": "VARCHAR"},
    "county_year": {
        "region_code": "VARCHAR", "region_name": "VARCHAR", "level": "VARCHAR", "province": "VARCHAR",
        "year": INT, "report_id": "VARCHAR", "new_requests": INT, "handled": INT, "granted": INT,
        "partially_granted": INT, "disclosure_rate": "DOUBLE", "prev_new_requests": INT,
        "yoy_change": INT, "yoy_change_pct": "DOUBLE", "admin_reviews": INT, "lawsuits": INT,
    },
}
FACT_COMMON = {"report_id": "VARCHAR", "region_code": "VARCHAR", "region_name": "VARCHAR",
               "year": "SMALLINT", "source_line": INT}

APPLICANTS = {"natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
              "legal_service_org", "other_org", "total"}
OUTCOME_GROUP = {
    "granted": "granted",
    "partially_granted": "partial",
    "denied": "denied",
    **{o: "denied" for o in [
        "denied_state_secret", "denied_prohibited_by_law", "denied_endangers_safety",
        "denied_third_party_rights", "denied_internal_affairs", "denied_process_info",
        "denied_enforcement_files", "denied_admin_query"]},
    **{o: "unable" for o in ["unable_not_held", "unable_needs_creation", "unable_unclear"]},
    **{o: "not_processed" for o in [
        "not_processed_petition", "not_processed_repeated", "not_processed_publication",
        "not_processed_mass_repeated", "not_processed_confirmation"]},
    "other": "other", "other_no_correction": "other", "other_unpaid_fee": "other", "other_other": "other",
    "total_handled": "total",
}
VOCAB = {
    ("reports", "agency_kind"): {"government", "government_office", "department", "township", "other"},
    ("reports", "era"): {"legacy", "2019", "2021"},
    ("reports", "status"): {"ok", "partial", "failed"},
    ("proactive", "category"): {
        "regulation", "normative_document", "administrative_license", "other_management_service",
        "administrative_penalty", "administrative_coercion", "administrative_fee",
        "centralized_procurement", "all_information"},
    ("proactive", "metric"): {
        "new_made", "new_published", "total_published", "issued", "repealed", "in_force",
        "items_last_year", "items_change", "decisions", "fee_amount", "procurement_items",
        "procurement_amount", "published"},
    ("proactive", "unit"): {"count", "yuan"},
    ("requests", "applicant"): APPLICANTS,
    ("outcomes", "applicant"): APPLICANTS,
    ("outcomes", "outcome"): set(OUTCOME_GROUP),
    ("outcomes", "outcome_group"): set(OUTCOME_GROUP.values()),
    ("litigation", "proceeding"): {"admin_review", "lawsuit_direct", "lawsuit_after_review", "lawsuit"},
    ("litigation", "result"): {"upheld", "corrected", "other", "pending", "total"},
    ("fees", "fee_kind"): {"processing_fee", "legacy_fee"},
    ("county_year", "level"): {"county", "prefecture", "province"},
}
NOT_NULL = {
    "reports": ["report_id", "source_path", "agency_kind", "status", "n_warnings"],
    "requests": ["applicant"],
    "outcomes": ["outcome", "outcome_group", "applicant"],
    "litigation": ["proceeding", "result"],
    "proactive": ["category", "metric", "unit"],
    "fees": ["fee_kind"],
    "county_year": ["region_code", "year", "level", "report_id"],
}
CSV_COLUMNS = ["year", "rank", "region_code", "region_name", "province", "scope", "level"]

SAMPLE = "000_ecc1fc1fff3214b5.txt"  # 麟游县人民政府办公室 2019 年报 (a sample in data/reports)


def rows(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()


def one(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def describe(con, table):
    return {r[0]: r[1] for r in rows(con, f"describe select * from {table}")}


# ---------------------------------------------------------------- files and types
@pytest.mark.parametrize("table", PARQUET_TABLES)
def test_parquet_table_exists_and_loads_in_polars(dataset_dir, table):
    p = dataset_dir / f"{table}.parquet"
    assert p.is_file(), f"{table}.parquet missing"
    df = pl.read_parquet(p)
    assert set(TYPES[table]) <= set(df.columns), f"{table}: polars sees {df.columns}"


def test_summary_and_manifest_exist(dataset_dir, manifest):
    for name in SUMMARY_CSVS:
        assert (dataset_dir / "summary" / f"{name}.csv").is_file(), f"summary/{name}.csv missing"
    assert isinstance(manifest.get("row_counts"), dict), "manifest.json has no row_counts object"


@pytest.mark.parametrize("table", PARQUET_TABLES)
def test_column_types_match_contract(con, table):
    have = describe(con, table)
    want = dict(TYPES[table])
    if table in FACT_TABLES:
        want.update(FACT_COMMON)
    wrong = []
    for col, ty in want.items():
        if col not in have:
            wrong.append(f"{col} missing")
        elif ty == INT:
            if have[col] not in INTEGER_TYPES:
                wrong.append(f"{col} is {have[col]}, want an integer")
        elif have[col] != ty:
            wrong.append(f"{col} is {have[col]}, want {ty}")
    assert not wrong, f"{table}: " + "; ".join(wrong)


@pytest.mark.parametrize("table", PARQUET_TABLES)
def test_polars_types_agree_with_duckdb(dataset_dir, table):
    schema = pl.scan_parquet(dataset_dir / f"{table}.parquet").collect_schema()
    expect = {"VARCHAR": pl.String, "SMALLINT": pl.Int16, "INTEGER": pl.Int32, "BIGINT": pl.Int64,
              "DOUBLE": pl.Float64, "BOOLEAN": pl.Boolean, "DATE": pl.Date}
    want = dict(TYPES[table])
    if table in FACT_TABLES:
        want.update(FACT_COMMON)
    for col, ty in want.items():
        if ty in expect:
            got = schema[col]
            ok = got == expect[ty] or (ty == "VARCHAR" and got == pl.Categorical)
            assert ok, f"{table}.{col}: polars reads {got}, want {expect[ty]}"


@pytest.mark.parametrize("table", PARQUET_TABLES)
def test_parquet_carries_contract_version(dataset_dir, table):
    md = pq.read_metadata(dataset_dir / f"{table}.parquet").metadata or {}
    v = md.get(b"ogi.contract_version")
    assert v, f"{table}.parquet lacks key-value metadata ogi.contract_version (has {sorted(md)})"
    assert v.decode("utf-8").strip(), "empty ogi.contract_version"


def test_contract_version_is_the_same_everywhere(dataset_dir):
    versions = {
        t: (pq.read_metadata(dataset_dir / f"{t}.parquet").metadata or {}).get(b"ogi.contract_version")
        for t in PARQUET_TABLES
    }
    assert len(set(versions.values())) == 1, versions


# ---------------------------------------------------------------- row counts
@pytest.mark.parametrize("table", PARQUET_TABLES)
def test_row_counts_agree_duckdb_polars_manifest(con, dataset_dir, manifest, table):
    n_duck = one(con, f"select count(*) from {table}")
    n_polars = pl.read_parquet(dataset_dir / f"{table}.parquet").height
    n_lazy = pl.scan_parquet(dataset_dir / f"{table}.parquet").select(pl.len()).collect().item()
    assert n_duck == n_polars == n_lazy
    counts = manifest["row_counts"]
    assert table in counts, f"manifest row_counts lacks {table}: {sorted(counts)}"
    assert counts[table] == n_duck, f"manifest says {counts[table]} {table} rows, file has {n_duck}"


@pytest.mark.parametrize("name", sorted(SUMMARY_CSVS))
def test_csv_loads_in_polars_and_duckdb(con, dataset_dir, manifest, name):
    p = dataset_dir / "summary" / f"{name}.csv"
    raw = p.read_bytes()
    raw.decode("utf-8")  # the contract says UTF-8
    df = pl.read_csv(p)
    rel = duckdb.sql(f"select * from read_csv_auto({sql_str(p)}, header = true)")
    metric = SUMMARY_CSVS[name]
    for c in CSV_COLUMNS + [metric]:
        assert c in df.columns, f"{name}.csv lacks {c} (polars)"
        assert c in rel.columns, f"{name}.csv lacks {c} (duckdb)"
    n = one(con, f"select count(*) from {name}")
    assert df.height == n == len(rel.fetchall())
    assert raw.count(b"\n") - (0 if raw.endswith(b"\n") else -1) == n + 1, "one line per row plus a header"
    counts = manifest.get("row_counts", {})
    for key in (name, f"summary/{name}.csv", f"summary/{name}"):
        if key in counts:
            assert counts[key] == n, f"manifest row_counts[{key}] = {counts[key]}, csv has {n}"


# ---------------------------------------------------------------- reports
def test_one_report_row_per_input_file(con, input_files):
    got = [r[0] for r in rows(con, "select source_path from reports order by source_path")]
    assert len(got) == len(set(got)), "duplicate source_path in reports"
    assert len(input_files) > 0
    assert sorted(got) == input_files


def test_report_id_is_sha256_prefix_of_file(con, reports_dir):
    bad = []
    for rid, path in rows(con, "select report_id, source_path from reports"):
        digest = hashlib.sha256((reports_dir / path).read_bytes()).hexdigest()[:16]
        if rid != digest:
            bad.append(f"{path}: {rid} != {digest}")
    assert not bad, bad[:5]


def test_manifest_input_count(manifest, input_files):
    for key in ("input_count", "inputs", "n_inputs", "input_files"):
        if isinstance(manifest.get(key), int):
            assert manifest[key] == len(input_files)
    assert manifest["row_counts"]["reports"] == len(input_files)


def test_n_warnings_counts_diagnostics(con):
    bad = rows(con, """
        select r.source_path, r.n_warnings, coalesce(d.n, 0)
        from reports r left join (select report_id, count(*) n from diagnostics group by 1) d
          using (report_id)
        where r.n_warnings <> coalesce(d.n, 0)""")
    assert not bad, bad[:5]
    orphans = one(con, "select count(*) from diagnostics where report_id is not null "
                       "and report_id not in (select report_id from reports)")
    assert orphans == 0


def test_report_codes_and_years(con):
    assert one(con, "select count(*) from reports where region_code is not null "
                    "and not regexp_full_match(region_code, '[1-9][0-9]{5}')") == 0
    assert one(con, "select count(*) from reports where year is not null and year not between 2000 and 2100") == 0
    assert one(con, "select count(*) from reports where published_on is not null and year is not null "
                    "and year(published_on) < year") == 0, "published before the year it covers ended"


# ---------------------------------------------------------------- codes
@pytest.mark.parametrize("table,column", sorted(VOCAB))
def test_codes_within_vocabulary(con, table, column):
    seen = {r[0] for r in rows(con, f"select distinct {column} from {table} where {column} is not null")}
    extra = seen - VOCAB[(table, column)]
    assert not extra, f"{table}.{column} has codes outside the contract: {sorted(extra)}"


@pytest.mark.parametrize("table", sorted(NOT_NULL))
def test_required_columns_not_null(con, table):
    for col in NOT_NULL[table]:
        assert one(con, f"select count(*) from {table} where {col} is null") == 0, f"{table}.{col} has nulls"


def test_outcome_group_matches_outcome(con):
    pairs = rows(con, "select distinct outcome, outcome_group from outcomes")
    bad = [(o, g) for o, g in pairs if OUTCOME_GROUP.get(o) != g]
    assert not bad, f"outcome -> outcome_group disagrees with the contract: {bad}"


def test_polars_sees_the_same_codes(dataset_dir, con):
    df = pl.read_parquet(dataset_dir / "outcomes.parquet")
    got = df.group_by("outcome_group").agg(pl.len().alias("n")).sort("outcome_group").rows()
    want = rows(con, "select outcome_group, count(*) from outcomes group by 1 order by 1")
    assert [(str(g), n) for g, n in got] == [(str(g), n) for g, n in want]


@pytest.mark.parametrize("table", FACT_TABLES)
def test_fact_rows_repeat_their_report(con, table):
    """Denormalised columns equal the report's own, every row points at a report."""
    bad = one(con, f"""
        select count(*) from {table} f left join reports r using (report_id)
        where r.report_id is null
           or f.region_code is distinct from r.region_code
           or f.region_name is distinct from r.region_name
           or f.year is distinct from r.year""")
    assert bad == 0, f"{bad} {table} rows disagree with reports"
    assert one(con, f"select count(*) from {table} where source_line < 1") == 0


def test_counts_are_not_negative(con):
    for table, cols in [("requests", ["new_received", "carried_over", "carried_forward"]),
                        ("outcomes", ["count"]), ("litigation", ["count"]),
                        ("fees", ["notices_issued", "amount_billed_yuan", "amount_collected_yuan",
                                  "amount_waived_yuan"])]:
        for c in cols:
            assert one(con, f"select count(*) from {table} where {c} < 0") == 0, f"{table}.{c} < 0"


def test_one_row_per_report_and_key(con):
    for table, key in [("requests", "applicant"), ("outcomes", "outcome, applicant"),
                       ("litigation", "proceeding, result"), ("proactive", "category, metric")]:
        dup = rows(con, f"select report_id, {key}, count(*) from {table} group by all having count(*) > 1")
        assert not dup, f"{table}: duplicate rows {dup[:3]}"


# ---------------------------------------------------------------- a known report
def _sample_report_id(con):
    r = rows(con, "select report_id, region_name, region_code, year from reports "
                  "where source_path = ? or source_path like ?", [SAMPLE, "%/" + SAMPLE])
    assert len(r) == 1, f"{SAMPLE} should be in data/reports exactly once, found {len(r)}"
    return r[0]


def test_known_report_duckdb(con):
    rid, region_name, region_code, year = _sample_report_id(con)
    assert (region_name, region_code, year) == ("麟游县", "610329", 2019)
    assert rows(con, "select new_received from requests where report_id = ? and applicant = 'total'",
                [rid]) == [(5,)]
    assert rows(con, "select count from outcomes where report_id = ? and outcome = 'granted' "
                     "and applicant = 'total'", [rid]) == [(2,)]


def test_known_report_polars(dataset_dir):
    reports = pl.read_parquet(dataset_dir / "reports.parquet")
    rep = reports.filter(pl.col("source_path").str.ends_with(SAMPLE))
    assert rep.height == 1
    rid = rep["report_id"][0]
    assert rep["region_name"][0] == "麟游县" and rep["year"][0] == 2019
    req = (pl.scan_parquet(dataset_dir / "requests.parquet")
           .filter((pl.col("report_id") == rid) & (pl.col("applicant") == "total"))
           .select("new_received").collect())
    assert req["new_received"].to_list() == [5]
    out = (pl.scan_parquet(dataset_dir / "outcomes.parquet")
           .filter((pl.col("report_id") == rid) & (pl.col("outcome") == "granted")
                   & (pl.col("applicant") == "total"))
           .select("count").collect())
    assert out["count"].to_list() == [2]


# ---------------------------------------------------------------- county_year
def test_county_year_one_row_per_region_year(con):
    dup = rows(con, "select region_code, year, count(*) from county_year group by 1, 2 having count(*) > 1")
    assert not dup, dup[:5]
    assert one(con, "select count(*) from county_year c left join reports r using (report_id) "
                    "where r.report_id is null or r.region_code <> c.region_code or r.year <> c.year") == 0


def test_county_year_new_requests_from_requests_table(con):
    bad = rows(con, """
        select c.region_code, c.year, c.new_requests, q.new_received
        from county_year c
        left join requests q on q.report_id = c.report_id and q.applicant = 'total'
        where c.new_requests is distinct from q.new_received""")
    assert not bad, bad[:5]


def test_disclosure_rate(con):
    got = rows(con, "select region_code, year, granted, partially_granted, handled, disclosure_rate "
                    "from county_year")
    bad = []
    for code, year, g, p, h, rate in got:
        if h is None or h == 0 or g is None or p is None:
            # null when handled is 0 or unknown; with an unknown part the rate cannot be known
            # either (a lenient writer may count the missing part as 0)
            lenient = None if (h is None or h == 0) else ((g or 0) + (p or 0)) / h
            if rate is not None and not (lenient is not None and math.isclose(rate, lenient, rel_tol=1e-9)):
                bad.append((code, year, g, p, h, rate))
        elif rate is None or not math.isclose(rate, (g + p) / h, rel_tol=1e-9, abs_tol=1e-12):
            bad.append((code, year, g, p, h, rate))
    assert not bad, f"disclosure_rate != (granted + partially_granted) / handled: {bad[:5]}"


def test_disclosure_rate_polars_matches_duckdb(dataset_dir, con):
    df = (pl.read_parquet(dataset_dir / "county_year.parquet")
          .select("region_code", "year", "disclosure_rate").sort("region_code", "year"))
    want = rows(con, "select region_code, year, disclosure_rate from county_year order by 1, 2")
    assert [tuple(r) for r in df.rows()] == [tuple(r) for r in want]


def test_previous_year_and_yoy(con):
    bad = rows(con, """
        select c.region_code, c.year, c.new_requests, c.prev_new_requests, p.new_requests, c.yoy_change
        from county_year c
        left join county_year p on p.region_code = c.region_code and p.year = c.year - 1
        where c.prev_new_requests is distinct from p.new_requests
           or c.yoy_change is distinct from c.new_requests - c.prev_new_requests""")
    assert not bad, bad[:5]
    pct = rows(con, """select region_code, year, yoy_change, prev_new_requests, yoy_change_pct
        from county_year where yoy_change_pct is not null
          and (prev_new_requests is null or prev_new_requests = 0
               or (abs(yoy_change_pct - yoy_change / prev_new_requests) > 1e-9
                   and abs(yoy_change_pct - 100.0 * yoy_change / prev_new_requests) > 1e-7))""")
    assert not pct, pct[:5]


# ---------------------------------------------------------------- rankings
SCOPED = """
    select year, level, 'national' as scope, region_code, {m} as metric from county_year
    where {m} is not null and excluded_because is null
    union all
    select year, level, province as scope, region_code, {m} from county_year
    where {m} is not null and province is not null and excluded_because is null
"""


def test_request_volume_ranking_recomputed(con):
    """Every ranked row, and only those, with the min-rank of new_requests per (year, level, scope)."""
    expected = f"""
        select year, level, scope, region_code, metric,
               rank() over (partition by year, level, scope order by metric desc) as rank
        from ({SCOPED.format(m='new_requests')})"""
    n_expected = one(con, f"select count(*) from ({expected})")
    n_csv = one(con, "select count(*) from rank_request_volume")
    assert n_csv == n_expected, f"rank_request_volume.csv has {n_csv} rows, county_year gives {n_expected}"
    diff = rows(con, f"""
        select e.*, c.rank as csv_rank, c.new_requests as csv_value
        from ({expected}) e
        full join rank_request_volume c
          on c.year = e.year and c.level = e.level and c.scope = e.scope and c.region_code = e.region_code
        where c.rank is distinct from e.rank or c.new_requests is distinct from e.metric
           or e.region_code is null""")
    assert not diff, diff[:5]


def test_request_volume_rank_one_is_the_maximum(con):
    tops = rows(con, """
        select year, level, scope, max(new_requests) from rank_request_volume where rank = 1
        group by 1, 2, 3 order by 1, 2, 3""")
    want = rows(con, f"""
        select year, level, scope, max(metric) from ({SCOPED.format(m='new_requests')})
        group by 1, 2, 3 order by 1, 2, 3""")
    assert tops == want
    if one(con, "select count(*) from county_year where new_requests is not null") > 0:
        assert tops, "county_year has request counts but nothing was ranked"


@pytest.mark.parametrize("name", sorted(SUMMARY_CSVS))
def test_ranking_is_min_rank_within_csv(con, name):
    """Within each (year, level, scope) rank is 1 for the highest value and ties share the lowest rank."""
    m = SUMMARY_CSVS[name]
    bad = rows(con, f"""
        select * from (
            select year, level, scope, region_code, {m}, rank,
                   rank() over (partition by year, level, scope order by {m} desc) as want
            from {name})
        where rank is distinct from want""")
    assert not bad, bad[:5]
    assert one(con, f"select count(*) from {name} where {m} is null") == 0, f"{name}: unranked nulls"
    dup = rows(con, f"select year, level, scope, region_code from {name} group by all having count(*) > 1")
    assert not dup, dup[:5]


@pytest.mark.parametrize("name", sorted(SUMMARY_CSVS))
def test_ranking_values_come_from_county_year(con, name):
    m = SUMMARY_CSVS[name]
    bad = rows(con, f"""
        select r.year, r.region_code, r.scope, r.{m}, c.{m}, r.region_name, c.region_name, r.province, c.province
        from {name} r left join county_year c on c.region_code = r.region_code and c.year = r.year
        where c.region_code is null
           or c.{m} is null or abs(r.{m} - c.{m}) > 1e-6 * greatest(1, abs(c.{m}))
           or r.region_name is distinct from c.region_name
           or r.province is distinct from c.province
           or r.level is distinct from c.level
           or (r.scope <> 'national' and r.scope is distinct from c.province)""")
    assert not bad, bad[:5]


@pytest.mark.parametrize("name", sorted(SUMMARY_CSVS))
def test_ranking_csv_polars_matches_duckdb(dataset_dir, con, name):
    m = SUMMARY_CSVS[name]
    df = pl.read_csv(dataset_dir / "summary" / f"{name}.csv",
                     schema_overrides={"region_code": pl.String, "scope": pl.String})
    got = df.select("year", "scope", "region_code", "rank", m).sort("year", "scope", "region_code").rows()
    want = rows(con, f"select year, scope, region_code, rank, {m} from {name} order by 1, 2, 3")
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g[:4] == tuple(w[:4])
        assert g[4] == w[4] or (g[4] is not None and w[4] is not None and math.isclose(g[4], w[4]))


def test_reports_whose_numbers_contradict_each_other_are_not_ranked(con):
    """county_year keeps such a region-year with the reason; no ranking lists it."""
    excluded = rows(con, "select region_code, year, excluded_because from county_year where excluded_because is not null")
    for name in ("rank_request_volume", "rank_disclosure_rate", "rank_yoy_change"):
        hit = rows(con, f"""
            select r.region_code, r.year from {name} r
            join county_year c on c.region_code = r.region_code and c.year = r.year
            where c.excluded_because is not null""")
        assert hit == [], f"{name} ranks excluded rows: {hit}"
    # a region-year represented by a report whose 勾稽关系 fails as printed says so
    broken = one(con, """select count(*) from county_year c join reports r using (report_id)
                         where r.identity_ok = false""")
    if broken > 0:
        assert any("identity_broken" in (e or "") for _, _, e in excluded), excluded
