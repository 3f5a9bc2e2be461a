//! The dataset → `county_year` and the three ranking CSVs, with polars' lazy engine
//! reading the Parquet files just written (so the rankings see exactly what users
//! load). One report represents a region in a year, chosen by agency kind; ranks are
//! `min` ranks (ties share the lowest rank), computed nationally and per province,
//! separately for each level (county, prefecture, province).

use crate::config::RankConfig;
use anyhow::Result;
use polars::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

fn ctx<T>(r: PolarsResult<T>, what: &str) -> Result<T> {
    r.map_err(|e| anyhow::anyhow!("{what}: {e}"))
}

/// A table of the dataset: `name.parquet` as `ogi build` writes it, or the directory
/// `name/year=YYYY/part-*.parquet` the Spark job (pipelines/spark_build.py) writes.
fn scan(dir: &Path, name: &str) -> Result<LazyFrame> {
    let path = dir.join(format!("{name}.parquet"));
    if !path.is_file() && dir.join(name).is_dir() {
        let glob = dir.join(name).join("**").join("*.parquet");
        let mut hive = HiveOptions::new_enabled();
        // year is the partition (null for year=__HIVE_DEFAULT_PARTITION__), parsed as
        // int64 (polars parses partition values as CSV, which has no int16) and cast
        // back to the contract's int16.
        hive.schema = Some(Arc::new(Schema::from_iter([Field::new("year".into(), DataType::Int64)])));
        let args = ScanArgsParquet { hive_options: hive, ..ScanArgsParquet::default() };
        let lf = ctx(
            LazyFrame::scan_parquet(PlRefPath::new(glob.to_string_lossy().into_owned()), args),
            &format!("scanning {name}/"),
        )?;
        return Ok(lf.with_column(col("year").cast(DataType::Int16)));
    }
    let s = path.to_string_lossy().into_owned();
    ctx(
        LazyFrame::scan_parquet(PlRefPath::new(s), ScanArgsParquet::default()),
        &format!("scanning {name}.parquet"),
    )
}

/// A one-column frame of `report_id` → `alias` for rows matching `filter`.
fn metric(lf: LazyFrame, filter: Expr, alias: &str) -> LazyFrame {
    lf.filter(filter).group_by([col("report_id")]).agg([col("count").sum().alias(alias)])
}

pub fn county_year(dir: &Path, cfg: &RankConfig) -> Result<LazyFrame> {
    let kinds: Vec<&str> = cfg.agency_priority.iter().map(String::as_str).collect();
    let prio: Vec<i32> = (0..kinds.len()).map(|i| i32::try_from(i).unwrap_or(i32::MAX)).collect();
    let priority = df!("agency_kind" => kinds, "priority" => prio)?.lazy();
    let level = col("level").fill_null(lit("county"));
    // The first report of each region and year in (priority, report_id) order, picked
    // within each group: sorting the whole reports table first costs a copy of it.
    let first =
        |e: Expr| e.sort_by([col("priority"), col("report_id")], SortMultipleOptions::default()).first();
    let chosen = scan(dir, "reports")?
        .filter(col("region_code").is_not_null().and(col("year").is_not_null()))
        // A copy of another file (identical bytes) never represents a region.
        .filter(col("duplicate_of").is_null())
        .join(priority, [col("agency_kind")], [col("agency_kind")], JoinArgs::new(JoinType::Inner))
        .group_by([col("region_code"), col("year")])
        .agg([
            first(col("report_id")),
            first(col("region_name")),
            first(level).alias("level"),
            first(col("province")),
            first(col("prefecture")),
        ]);
    let is_total = |v: &str| col("applicant").eq(lit("total")).and(col("outcome").eq(lit(v)));
    let requests = scan(dir, "requests")?
        .filter(col("applicant").eq(lit("total")))
        .select([col("report_id"), col("new_received").alias("new_requests")]);
    let outcomes = scan(dir, "outcomes")?;
    let litigation = scan(dir, "litigation")?;
    let lawsuit = col("result").eq(lit("total")).and(
        col("proceeding")
            .eq(lit("lawsuit"))
            .or(col("proceeding").eq(lit("lawsuit_direct")))
            .or(col("proceeding").eq(lit("lawsuit_after_review"))),
    );
    let by_id = |lf: LazyFrame, cy: LazyFrame| {
        cy.join(lf, [col("report_id")], [col("report_id")], JoinArgs::new(JoinType::Left))
    };
    let mut cy = by_id(requests, chosen);
    for (outcome, alias) in
        [("total_handled", "handled"), ("granted", "granted"), ("partially_granted", "partially_granted")]
    {
        cy = by_id(metric(outcomes.clone(), is_total(outcome), alias), cy);
    }
    let admin = col("result").eq(lit("total")).and(col("proceeding").eq(lit("admin_review")));
    cy = by_id(metric(litigation.clone(), admin, "admin_reviews"), cy);
    cy = by_id(metric(litigation, lawsuit, "lawsuits"), cy);
    cy = cy.join(excluded(dir, cfg)?, [col("report_id")], [col("report_id")], JoinArgs::new(JoinType::Left));
    let rate = when(col("handled").gt(lit(0)))
        .then(
            (col("granted") + col("partially_granted")).cast(DataType::Float64)
                / col("handled").cast(DataType::Float64),
        )
        .otherwise(lit(NULL));
    let cy = cy.with_column(rate.alias("disclosure_rate"));
    let prev = cy.clone().select([
        col("region_code"),
        (col("year").cast(DataType::Int32) + lit(1)).cast(DataType::Int16).alias("year"),
        col("new_requests").alias("prev_new_requests"),
    ]);
    let cy = cy
        .join(
            prev,
            [col("region_code"), col("year")],
            [col("region_code"), col("year")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column((col("new_requests") - col("prev_new_requests")).alias("yoy_change"))
        .with_column(
            when(col("prev_new_requests").gt(lit(0)))
                .then(
                    col("yoy_change").cast(DataType::Float64)
                        / col("prev_new_requests").cast(DataType::Float64),
                )
                .otherwise(lit(NULL))
                .alias("yoy_change_pct"),
        )
        .select([
            col("region_code"),
            col("region_name"),
            col("level"),
            col("province"),
            col("prefecture"),
            col("year"),
            col("report_id"),
            col("new_requests"),
            col("handled"),
            col("granted"),
            col("partially_granted"),
            col("disclosure_rate"),
            col("prev_new_requests"),
            col("yoy_change"),
            col("yoy_change_pct"),
            col("admin_reviews"),
            col("lawsuits"),
            col("excluded_because"),
        ])
        .sort(["region_code", "year"], SortMultipleOptions::default());
    Ok(cy)
}

/// report_id → the configured diagnostic codes the report carries, joined ("identity_broken,
/// prose_table_conflict"): why it is left out of the rankings. Gathered in Rust, not in
/// polars, to need no polars feature beyond those the build already has.
fn excluded(dir: &Path, cfg: &RankConfig) -> Result<LazyFrame> {
    let diags = ctx(
        scan(dir, "diagnostics")?.select([col("report_id"), col("code")]).collect(),
        "reading diagnostics.parquet",
    )?;
    let ids = ctx(diags.column("report_id").and_then(|c| c.str().cloned()), "diagnostics.report_id")?;
    let codes = ctx(diags.column("code").and_then(|c| c.str().cloned()), "diagnostics.code")?;
    let mut why: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for (id, code) in ids.iter().zip(codes.iter()) {
        if let (Some(id), Some(code)) = (id, code) {
            if cfg.exclude_codes.iter().any(|c| c == code) {
                why.entry(id).or_default().insert(code);
            }
        }
    }
    let report_ids: Vec<&str> = why.keys().copied().collect();
    let reasons: Vec<String> =
        why.values().map(|c| c.iter().copied().collect::<Vec<_>>().join(",")).collect();
    Ok(ctx(df!("report_id" => report_ids, "excluded_because" => reasons), "excluded reports")?.lazy())
}

/// One ranking: `metric` descending, among rows passing `eligible`, nationally and
/// within each province.
fn ranking(cy: LazyFrame, metric: &str, eligible: Expr) -> Result<LazyFrame> {
    let opts = RankOptions { method: RankMethod::Min, descending: true };
    let base = cy.filter(col(metric).is_not_null().and(col("excluded_because").is_null()).and(eligible));
    let national = base
        .clone()
        .with_column(col(metric).rank(opts, None).over([col("year"), col("level")])?.alias("rank"))
        .with_column(lit("national").alias("scope"));
    let provincial = base
        .filter(col("province").is_not_null())
        .with_column(
            col(metric).rank(opts, None).over([col("year"), col("level"), col("province")])?.alias("rank"),
        )
        .with_column(col("province").alias("scope"));
    let both = concat([national, provincial], UnionArgs::default())?;
    Ok(both
        .select([
            col("year"),
            col("rank").cast(DataType::Int64),
            col("region_code"),
            col("region_name"),
            col("province"),
            col("level"),
            col("scope"),
            col(metric),
        ])
        .sort(["year", "level", "scope", "rank", "region_code"], SortMultipleOptions::default()))
}

/// Writes county_year.parquet and summary/*.csv into `dir`; returns their row counts.
pub fn rank(dir: &Path, cfg: &RankConfig, excel: bool) -> Result<BTreeMap<String, usize>> {
    let mut counts = BTreeMap::new();
    let mut cy = ctx(county_year(dir, cfg)?.collect(), "computing county_year")?;
    counts.insert("county_year".to_string(), cy.height());
    crate::write::parquet::write_frame(&mut cy, &dir.join("county_year.parquet"))?;
    let summary = dir.join("summary");
    std::fs::create_dir_all(&summary)?;
    let lazy = cy.lazy();
    let specs = [
        ("rank_request_volume", "new_requests", lit(true)),
        ("rank_disclosure_rate", "disclosure_rate", col("handled").gt_eq(lit(cfg.min_handled_for_rate))),
        ("rank_yoy_change", "yoy_change", col("prev_new_requests").gt_eq(lit(cfg.min_prev_requests_for_yoy))),
    ];
    for (name, metric, eligible) in specs {
        let mut df = ctx(ranking(lazy.clone(), metric, eligible)?.collect(), &format!("ranking {name}"))?;
        counts.insert(format!("summary/{name}.csv"), df.height());
        let mut f = std::fs::File::create(summary.join(format!("{name}.csv")))?;
        ctx(
            CsvWriter::new(&mut f).include_header(true).include_bom(excel).finish(&mut df),
            &format!("writing {name}.csv"),
        )?;
    }
    Ok(counts)
}
