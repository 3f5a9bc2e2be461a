"""ogi: China's government information-disclosure annual reports (政府信息公开工作年度报告)
read into the tables of ogi's data contract, as pyarrow record batches.

    import ogi
    tables = ogi.parse(open("report.pdf", "rb").read(), "report.pdf")
    tables["outcomes"].to_pandas()

`parse_many([(bytes, path), ...])` reads many files on all cores with the GIL released.
The rows are those `ogi build` writes for each file; the steps that need every report
(copies of one file, checks across years, county_year and the rankings) are the build's
or the Spark job's (pipelines/spark_build.py).
"""
from ogi._ogi import TABLES, contract_version, parse, parse_many

__all__ = ["TABLES", "contract_version", "parse", "parse_many"]
