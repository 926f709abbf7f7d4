"""``audit --engine spark`` on ``local[2]`` gives byte-identical findings to the local engine."""

from __future__ import annotations

import importlib.util
import json
import shutil

import pytest
from test_audit import audit_rows, write_inputs

from classifier.audit import run_audit

pytestmark = [
    pytest.mark.slow,  # a Spark JVM start and two Python workers: ~20-40 s
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (no java on PATH)"),
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="pyspark not installed (pip install '.[spark]')"),
]


@pytest.fixture
def stop_spark():
    yield
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


def test_spark_equals_local_on_messy_input(tmp_path, stop_spark):
    rows = audit_rows()
    paths = write_inputs(rows, tmp_path)
    good = json.dumps({"encounter_id": "X", "note_text": rows[0]["note_text"], "billed_codes": "62368"})
    messy = tmp_path / "messy.jsonl"  # the JSONL plus a bad line and a non-object line in the middle
    lines = paths["jsonl"].read_text().splitlines()
    messy.write_text("\n".join([*lines[:3], "{oops", "[1]", good, *lines[3:]]) + "\n")
    for src in (paths["csv"], messy):
        local = run_audit(src, tmp_path / f"local-{src.suffix}", chunk_size=3, progress=False, report=False)
        spark = run_audit(src, tmp_path / f"spark-{src.suffix}", chunk_size=3, progress=False, engine="spark",
                          spark_master="local[2]")
        assert spark.rows == local.rows == len(rows) + (3 if src == messy else 0)
        for name in ("findings.csv", "findings.parquet"):
            assert (spark.out / name).read_bytes() == (local.out / name).read_bytes(), (src.name, name)
    assert spark.counts["error"] >= 6 and (spark.out / "report.html").exists()
