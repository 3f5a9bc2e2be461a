#!/usr/bin/env python3
"""`ogi build` on Spark: the same reader, inside the engine a cluster already runs.

    python3 pipelines/spark_build.py INPUT --out OUT            # local mode (local[*])
    spark-submit pipelines/spark_build.py INPUT --out OUT       # on a cluster

INPUT is a directory or URI (file:, hdfs:, s3a: … whatever the cluster's Hadoop reads),
walked recursively: every file but hidden ones (Spark's file sources also skip names
starting with `_`). Each file's bytes go through the Python binding of ogi's reader
(`import ogi`: `pip install .` at the repository root, on every executor) inside
`mapInArrow`, so the rows are those `ogi build` gives, and each table is written as

    OUT/<table>/year=YYYY/part-*.parquet     (reports, proactive, requests, outcomes,
                                              litigation, fees, diagnostics; rows without
                                              a year under year=__HIVE_DEFAULT_PARTITION__)

with the contract's columns (DuckDB: `read_parquet('OUT/requests/**/*.parquet',
hive_partitioning = true)`). Across reports the job applies what `ogi build` does to
copies of one file (identical bytes, so the same report_id): the first by path is the
report, each other copy keeps its `reports` row with `duplicate_of` and a `duplicate_file`
diagnostic, and states no facts; the same report in two forms (`same_report_other_form`)
is counted once; and the checks across years (`carried_over_mismatch`, `yoy_jump`, with
the thresholds of the pipeline file's [checks]) add their diagnostics: the rules of
src/dedupe.rs and src/checks.rs, in Spark SQL.

county_year and the three rankings come from `ogi rank --dataset OUT`, which reads this
layout as it reads a built dataset: `--rank` runs it at the end when OUT is on the local
file system (the binary from --ogi, $OGI_BIN or the PATH); on a cluster, run it where OUT
is mounted.
"""
import argparse
import os
import sys

import pyarrow as pa

TABLES = ["reports", "proactive", "requests", "outcomes", "litigation", "fees", "diagnostics"]
PATH_COL = "_ogi_path"
ROW_COL = "_ogi_row"
CHECK_DEFAULTS = {"yoy_factor": 10.0, "yoy_min_base": 20}
BLOB_SCHEMA = pa.schema([pa.field("table", pa.string()), pa.field("ipc", pa.binary())])


def relative(path, root):
    """A file's path relative to the input directory, `/`-separated, as `ogi build` names it."""
    from urllib.parse import unquote, urlparse

    p = unquote(urlparse(path).path)
    prefix = root.rstrip("/") + "/"
    return p[len(prefix):] if p.startswith(prefix) else p.rsplit("/", 1)[-1]


def parse_files(batches, root):
    """mapInArrow: (path, content) → per table, one Arrow IPC stream holding the rows of
    every file of the batch, each row tagged with its file's path and its place in it."""
    import ogi

    for b in batches:
        parts = {name: [] for name in TABLES}
        for path, content in zip(b.column("path").to_pylist(), b.column("content").to_pylist()):
            rel = relative(path, root)
            tables = ogi.parse(content, rel)
            for name in TABLES:
                t = tables[name]
                t = t.append_column(PATH_COL, pa.array([rel] * t.num_rows, pa.string()))
                t = t.append_column(ROW_COL, pa.array(range(t.num_rows), pa.int32()))
                parts[name].append(t)
        names, blobs = [], []
        for name in TABLES:
            t = pa.Table.from_batches(parts[name]) if parts[name] else None
            if t is None or t.num_rows == 0:
                continue
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, t.schema) as w:
                w.write_table(t)
            names.append(name)
            blobs.append(sink.getvalue().to_pybytes())
        yield pa.RecordBatch.from_pydict({"table": names, "ipc": blobs}, schema=BLOB_SCHEMA)


def decode(batches):
    for b in batches:
        for blob in b.column("ipc").to_pylist():
            with pa.ipc.open_stream(blob) as reader:
                for rb in reader:
                    yield rb


def spark_schema(name):
    """The table's Spark schema, from the binding's own Arrow schema (plus the path tag)."""
    import ogi
    from pyspark.sql.pandas.types import from_arrow_schema

    t = ogi.parse(b"", "empty.txt")[name]
    schema = t.schema.append(pa.field(PATH_COL, pa.string(), nullable=False))
    schema = schema.append(pa.field(ROW_COL, pa.int32(), nullable=False))
    return from_arrow_schema(schema)


def session(app="ogi build"):
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName(app)
    if not SparkConf().contains("spark.master"):
        b = b.master(os.environ.get("OGI_SPARK_MASTER", "local[*]"))
        # local mode: the workers are this interpreter (its venv has the binding), and the
        # one JVM is driver and executor alike (Spark's 1 GB default ran out at 10 000 reports)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        b = b.config("spark.driver.memory", os.environ.get("OGI_SPARK_DRIVER_MEMORY", "4g"))
    # Arrow batches of whole files: keep them small, a report's PDF is a few MB at most.
    b = b.config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
    # the steps across reports shuffle small tables: adaptive execution sizes the partitions
    b = b.config("spark.sql.adaptive.enabled", "true")
    return b.getOrCreate()


def empty_files(spark, src):
    """Files of length 0, which Spark's file sources leave out: `ogi build` gives each a
    failed row (`empty_file`), and so does this job. Listed on the driver."""
    jvm = spark._jvm
    path = jvm.org.apache.hadoop.fs.Path(src)
    fs = path.getFileSystem(spark._jsc.hadoopConfiguration())
    found = []
    it = fs.listFiles(path, True)
    while it.hasNext():
        st = it.next()
        p = st.getPath()
        if st.getLen() == 0 and not p.getName().startswith((".", "_")):
            found.append((p.toString(), bytearray()))
    return spark.createDataFrame(found, "path string, content binary")


def build(spark, src, out, checks=None):
    checks = {**CHECK_DEFAULTS, **(checks or {})}
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(src)
        .select("path", "content")
    )
    files = files.unionByName(empty_files(spark, src))
    base = spark._jvm.org.apache.hadoop.fs.Path(src).toUri().getPath()
    parsed = files.mapInArrow(lambda it: parse_files(it, base), "table string, ipc binary")
    parsed = parsed.persist()
    decoded = {}

    def table(name):
        # decoded once: several steps read reports, requests and outcomes
        if name not in decoded:
            part = parsed.where(F.col("table") == name).select("ipc")
            decoded[name] = part.mapInArrow(decode, spark_schema(name)).persist()
        return decoded[name]

    reports = table("reports")
    requests, outcomes = table("requests"), table("outcomes")
    readable = F.col("status") != "failed"

    # 1. Copies of one file (identical bytes: the same report_id). The first by path is
    #    the report; each other copy keeps its row, names it, and states no facts. A
    #    failed file is never a copy (ogi build counts each failed file on its own).
    nth_bytes = F.row_number().over(Window.partitionBy("report_id", readable).orderBy(PATH_COL))
    first_bytes = F.first(PATH_COL).over(Window.partitionBy("report_id").orderBy(PATH_COL))
    r = reports.withColumn("_byte_copy", readable & (nth_bytes > 1)).withColumn("_first_bytes", first_bytes)

    # 2. The same report in another form (a page and its text export): the same agency,
    #    year and every cell of table 三, in order. The first by path represents it.
    def cells(df, cols):
        text = F.concat_ws("|", *[F.coalesce(F.col(c).cast("string"), F.lit("\u2205")) for c in cols])
        rows = F.sort_array(F.collect_list(F.struct(F.col(ROW_COL), text.alias("t"))))
        return df.groupBy(PATH_COL).agg(F.array_join(F.transform(rows, lambda x: x["t"]), ";").alias("_cells"))

    req_cells = cells(requests, ["applicant", "new_received", "carried_over", "carried_forward"])
    out_cells = cells(outcomes, ["outcome", "applicant", "count"]).withColumnRenamed("_cells", "_out_cells")
    keys = req_cells.join(out_cells, PATH_COL, "full_outer").select(
        PATH_COL, F.concat_ws("#", F.coalesce("_cells", F.lit("")), F.coalesce("_out_cells", F.lit(""))).alias("_key")
    )
    r = r.join(keys, PATH_COL, "left")
    candidate = readable & ~F.col("_byte_copy") & F.col("agency").isNotNull() & F.col("year").isNotNull() & F.col(
        "_key"
    ).isNotNull()
    form = Window.partitionBy(candidate, "agency", "year", "_key").orderBy(PATH_COL)
    r = (
        r.withColumn("_form_copy", candidate & (F.row_number().over(form) > 1))
        .withColumn("_first_form_id", F.first("report_id").over(form))
        .withColumn("_first_form_path", F.first(PATH_COL).over(form))
        .withColumn(
            "duplicate_of",
            F.when(F.col("_byte_copy"), F.col("report_id"))
            .when(F.col("_form_copy"), F.col("_first_form_id"))
            .otherwise(F.col("duplicate_of")),
        )
    )
    r = r.persist()

    common = ["report_id", "region_code", "region_name", "province", "prefecture", "year"]

    def diagnostic(df, code, message, severity="info", line=None, page=None):
        return df.select(
            *common,
            (line if line is not None else F.lit(None)).cast("int").alias("source_line"),
            (page if page is not None else F.lit(None)).cast("int").alias("source_page"),
            F.col(PATH_COL).alias("source_path"),
            F.lit(severity).alias("severity"),
            F.lit(code).alias("code"),
            message.alias("message"),
            F.col(PATH_COL),
            F.lit(0).alias(ROW_COL),
        )

    byte_copies = r.where("_byte_copy")
    form_copies = r.where("_form_copy")
    extra = [
        diagnostic(byte_copies, "duplicate_file", F.concat(
            F.lit("the same bytes as "), F.col("_first_bytes"), F.lit(", which is counted; this copy states no facts"))),
        diagnostic(form_copies, "same_report_other_form", F.concat(
            F.lit("the same agency, year and table 三 as "), F.col("_first_form_path"),
            F.lit(", which represents the report; this one keeps its facts but is not counted again in county_year"))),
    ]

    # 3. Checks across years (src/checks.rs): per (region, agency), a year with one report
    #    against the year before with one report.
    totals = (
        requests.where(F.col("applicant") == "total")
        .withColumn("_n", F.row_number().over(Window.partitionBy(PATH_COL).orderBy(ROW_COL)))
        .where("_n = 1")
        .select(PATH_COL, "new_received", "carried_over", "carried_forward",
                F.col("source_line").alias("_line"), F.col("source_page").alias("_page"))
    )
    seen = r.where(readable & F.col("duplicate_of").isNull() & F.col("region_code").isNotNull()
                   & F.col("agency").isNotNull() & F.col("year").isNotNull()).join(totals, PATH_COL)
    single = F.count("*").over(Window.partitionBy("region_code", "agency", "year")) == 1
    seen = seen.withColumn("_single", single).where("_single")
    prev = seen.select(
        "region_code", "agency", (F.col("year") + 1).cast("short").alias("year"),
        F.col(PATH_COL).alias("_prev_path"), F.col("new_received").alias("_prev_new"),
        F.col("carried_forward").alias("_prev_forward"),
    )
    pairs = seen.join(prev, ["region_code", "agency", "year"])
    last = (F.col("year") - 1).cast("string")
    mismatch = pairs.where(F.col("carried_over").isNotNull() & F.col("_prev_forward").isNotNull()
                           & (F.col("carried_over") != F.col("_prev_forward")))
    extra.append(diagnostic(mismatch, "carried_over_mismatch", F.concat(
        F.lit("carried over "), F.col("carried_over").cast("string"), F.lit(" from "), last,
        F.lit(", but the same agency's "), last, F.lit(" report ("), F.col("_prev_path"),
        F.lit(") carried "), F.col("_prev_forward").cast("string"), F.lit(" forward")),
        "warning", F.col("_line"), F.col("_page")))
    hi = F.greatest("new_received", "_prev_new")
    jump = hi.cast("double") / F.greatest(F.least("new_received", "_prev_new"), F.lit(1)).cast("double")
    jumps = pairs.where(F.col("new_received").isNotNull() & F.col("_prev_new").isNotNull()
                        & (hi >= checks["yoy_min_base"]) & (jump > checks["yoy_factor"]))
    extra.append(diagnostic(jumps, "yoy_jump", F.concat(
        F.lit("new requests went from "), F.col("_prev_new").cast("string"), F.lit(" ("), last,
        F.lit(") to "), F.col("new_received").cast("string"), F.lit(" ("), F.col("year").cast("string"),
        F.lit("), a factor of "), F.format_string("%.1f", jump), F.lit(": check both reports")),
        "warning", F.col("_line"), F.col("_page")))

    added = extra[0]
    for e in extra[1:]:
        added = added.unionByName(e)
    counts = added.groupBy(PATH_COL).agg(F.count("*").alias("_added"))
    out_reports = (
        r.join(counts, PATH_COL, "left")
        .withColumn("n_warnings", (F.col("n_warnings") + F.coalesce("_added", F.lit(0))).cast("int"))
    )
    written = {"reports": out_reports.select(*reports.columns)}
    kept = r.where(~F.col("_byte_copy")).select(PATH_COL)
    for name in ["proactive", "requests", "outcomes", "litigation", "fees"]:
        written[name] = table(name).join(kept, PATH_COL, "left_semi")
    written["diagnostics"] = table("diagnostics").unionByName(added)
    for name in TABLES:
        df = written[name].drop(PATH_COL, ROW_COL)
        df.write.mode("overwrite").partitionBy("year").parquet(f"{out.rstrip('/')}/{name}")
    parsed.unpersist()
    r.unpersist()
    for df in decoded.values():
        df.unpersist()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", help="directory or URI of report files (read recursively)")
    ap.add_argument("--out", required=True, help="output directory or URI")
    ap.add_argument("--pipeline", help="pipeline file whose [checks] to apply (default: pipelines/default.toml)")
    ap.add_argument("--rank", action="store_true", help="then run `ogi rank --dataset OUT` (OUT on a local disk)")
    ap.add_argument("--ogi", help="the ogi binary for --rank (default: $OGI_BIN, else `ogi` on the PATH)")
    a = ap.parse_args(argv)
    import tomllib

    pipeline = a.pipeline or os.path.join(os.path.dirname(os.path.abspath(__file__)), "default.toml")
    with open(pipeline, "rb") as f:
        checks = tomllib.load(f).get("checks", {})
    spark = session()
    try:
        build(spark, a.input, a.out, checks)
    finally:
        spark.stop()
    if a.rank:
        import shutil
        import subprocess

        ogi_bin = a.ogi or os.environ.get("OGI_BIN") or shutil.which("ogi")
        if not ogi_bin:
            sys.exit("spark_build: --rank needs the ogi binary (--ogi, $OGI_BIN or ogi on the PATH)")
        cmd = [ogi_bin, "rank", "--dataset", a.out.removeprefix("file:")]
        if a.pipeline:
            cmd += ["--pipeline", a.pipeline]
        return subprocess.run(cmd).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
