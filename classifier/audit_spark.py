"""``audit --engine spark``: the same audit with the pipeline running on Apache Spark executors.

Why this shape: the driver reads the input with the very readers of :mod:`classifier.audit` (so a bad
CSV or JSONL line is the same error row, at the same position, as in a local run) and ships chunks to
the executors in waves; each partition is one chunk, and ``mapPartitions`` runs it through a
:class:`~classifier.api.Coder` built once per executor Python worker (Spark reuses its Python workers, so
the model loads once per worker, not per partition). Executors return findings rows (small), never
spaCy Docs; the driver writes them as the same atomic part files, so ``--resume``, assembly and the
report are shared with the local engine and the findings are identical.

The expensive part (the NLP pipeline, ~100 notes/s per core) is what is distributed; reading and
shipping text from the driver runs at tens of thousands of rows per second, so the driver is not the
bottleneck below a few hundred executor cores. Executors need ``pump-coder`` installed (it ships the
model); see README "Batch audit" for spark-submit on a cluster.

Run under spark-submit: ``spark-submit --master URL classifier/audit_spark.py INPUT --out DIR``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from classifier.audit import RECYCLE_ROWS, Chunk, Processor, chunk_findings, chunk_inputs, fresh_coder

WAVE_PER_CORE = 2  # chunks in flight per Spark core: enough to keep cores busy, bounded driver memory

_EXECUTOR_CODERS: dict[Any, Any] = {}
_EXECUTOR_ROWS: dict[Any, int] = {}


def _executor_coder(model: str | None, rows: int) -> Any:
    """One Coder per executor Python worker (module globals survive between tasks when workers are reused),
    replaced by a fresh pipeline every RECYCLE_ROWS rows because spaCy's vocabulary only grows."""
    coder = _EXECUTOR_CODERS.get(model)
    if coder is None or _EXECUTOR_ROWS.get(model, 0) >= RECYCLE_ROWS:
        _EXECUTOR_CODERS.pop(model, None)
        coder = _EXECUTOR_CODERS[model] = fresh_coder(model)
        _EXECUTOR_ROWS[model] = 0
    _EXECUTOR_ROWS[model] += rows
    return coder


def _run_partition(model: str | None, batch_size: int) -> Callable[[Iterator[Chunk]], Iterator[tuple[int, Any]]]:
    """The mapPartitions function: chunks in, (chunk index, findings rows) out; runs on executors."""

    def run(chunks: Iterator[Chunk]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        for chunk in chunks:
            coder = _executor_coder(model, len(chunk.rows))
            texts, problems = chunk_inputs(chunk)
            results = list(coder.suggest_many(texts, batch_size=batch_size))
            yield chunk.index, chunk_findings(chunk, results, problems)

    return run


def get_spark(master: str | None) -> Any:
    """A SparkSession: ``master`` if given, else whatever spark-submit configured (local[*] otherwise)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("pump-coder-audit")
    if master:
        builder = builder.master(master)
    builder = builder.config("spark.ui.showConsoleProgress", "false").config("spark.python.worker.reuse", "true")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def spark_processor(model: str | None, master: str | None, batch_size: int = 64) -> Processor:
    """Chunks -> findings on Spark, in input order, a bounded wave of chunks at a time."""

    def process(chunks: Iterator[Chunk]) -> Iterator[tuple[Chunk, list[dict[str, Any]]]]:
        spark = get_spark(master)
        sc = spark.sparkContext
        wave_size = max(2, sc.defaultParallelism * WAVE_PER_CORE)
        run = _run_partition(model, batch_size)
        wave: list[Chunk] = []

        def flush() -> Iterator[tuple[Chunk, list[dict[str, Any]]]]:
            # one chunk per partition; collect() returns partitions in order
            out = sc.parallelize(wave, len(wave)).mapPartitions(run).collect()
            by_index = {c.index: c for c in wave}
            for index, findings in out:
                yield by_index[index], findings

        for chunk in chunks:
            wave.append(chunk)
            if len(wave) >= wave_size:
                yield from flush()
                wave = []
        if wave:
            yield from flush()

    return process


def main(argv: list[str] | None = None) -> int:
    """Entry point for spark-submit: ``audit`` arguments, engine forced to spark."""
    from classifier.cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    return cli_main(["audit", *args, "--engine", "spark"])


if __name__ == "__main__":
    sys.exit(main())
