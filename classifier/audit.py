"""Batch audit: billed CPT codes of past encounters against what each note supports.

``python -m classifier audit INPUT --out DIR`` reads CSV, JSONL or Parquet with ``encounter_id``,
``note_text`` and ``billed_codes`` (other columns are carried through) and writes ``DIR/findings.csv``,
``DIR/findings.parquet`` (one row per input row, in input order) and ``DIR/report.html``.

Why it is built this way:

* **Flat memory.** The input is read in chunks (default 2,000 rows) and each finished chunk is written
  at once as a part file; nothing grows with the row count except the report's counters.
* **Every row comes back.** Reading never drops a row: a CSV line with too many fields (pandas'
  ``on_bad_lines``) is replaced in place by a marker row, and JSONL is read line by line by this module,
  so a line that is not JSON (or not UTF-8) still takes its place as an ``error`` row.
* **Resumable.** A part is written to a temporary file, fsynced and renamed, so it exists whole or
  not at all; ``DIR/parts/manifest.json`` pins the input (path, size, mtime, hash of its first MiB) and
  the options that change findings (chunk size, format, model), so ``--resume`` skips finished chunks
  and refuses a run that would mix two inputs or models.
* **Same findings whatever the engine.** Reading, verdicts and part files are shared; the local engine
  (``Coder.suggest_many`` with ``n_process=N``) and the Spark engine (:mod:`classifier.audit_spark`)
  only differ in where the pipeline runs.

Notes are PHI: logs and error messages carry counts, row numbers and file names, never note text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import math
import os
import re
import shutil
import sys
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

log = logging.getLogger("classifier.audit")

REQUIRED = ("encounter_id", "note_text", "billed_codes")
PUMP_FAMILY = frozenset({str(c) for c in range(62360, 62371)} | {"95990", "95991"})
FLAGGED = ("mismatch", "unsupported", "missed")  # verdicts a reviewer should look at
VERDICTS = ("consistent", "mismatch", "unsupported", "missed", "error")
FINDING_COLUMNS = (
    "row", "encounter_id", "billed_codes", "billed_pump_codes", "suggested_code", "probability", "verdict",
    "reason", "error", "evidence", "evidence_against",
)
FORMATS = ("csv", "jsonl", "parquet")
DEFAULT_CHUNK_SIZE = 2000
CSV_FIELD_LIMIT = 2**31 - 1  # python's csv module stops at 128 KiB per field by default
MAX_EVIDENCE_SPANS = 12
RECYCLE_ROWS = 20_000  # rows per pipeline before a fresh one (spaCy's vocabulary only grows)
HEAD_BYTES = 1 << 20  # the manifest hashes the input's first MiB (cheap; size + mtime cover the rest)
MANIFEST_VERSION = 1
DIE_AFTER_ENV = "CLASSIFIER_AUDIT_DIE_AFTER_PARTS"  # test hook: os._exit mid-write after K parts

_CODE = re.compile(r"\s*([0-9]{4}[0-9A-Za-z])")
_SEPARATORS = re.compile(r"[;,]")
_SURROGATE = re.compile("[\udc80-\udcff]")  # undecodable bytes kept by errors="surrogateescape"


class AuditInputError(ValueError):
    """Input or output that cannot be audited (missing columns, unreadable file, manifest mismatch)."""


# --------------------------------------------------------------------------------------------- reading


@dataclass
class Row:
    """One input row as read: position, the three required fields, carried columns, read error."""

    row: int
    encounter_id: Any
    note_text: Any
    billed_codes: Any
    extra: dict[str, Any] = field(default_factory=dict)
    read_error: str | None = None


@dataclass
class Chunk:
    """``rows[0].row == index * chunk_size``: chunk boundaries depend on the input and size only."""

    index: int
    rows: list[Row]


def detect_format(path: Path, fmt: str | None) -> str:
    """The input format: ``--format`` when given, else from the file extension."""
    if fmt:
        if fmt not in FORMATS:
            raise AuditInputError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        return fmt
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".csv":
        return "csv"
    if suffixes and suffixes[-1] in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffixes and suffixes[-1] in (".parquet", ".pq"):
        return "parquet"
    raise AuditInputError(f"cannot tell the format of {path.name} from its extension; pass --format csv|jsonl|parquet")


def read_columns(path: Path, fmt: str) -> list[str]:
    """Column names of the input, read without touching the rows (JSONL: the first JSON object line)."""
    try:
        if fmt == "csv":
            import pandas as pd

            return [str(c) for c in pd.read_csv(path, nrows=0, encoding_errors="surrogateescape").columns]
        if fmt == "parquet":
            return list(pq.read_schema(path).names)
        with open(path, "rb") as f:
            for lineno, raw in enumerate(f, start=1):
                try:
                    obj = json.loads(_jsonl_text(raw, lineno))
                except ValueError:
                    continue
                if isinstance(obj, dict):
                    return [str(k) for k in obj]
        raise AuditInputError(f"{path.name} has no JSON object line to read the columns from")
    except AuditInputError:
        raise
    except FileNotFoundError:
        raise AuditInputError(f"input {path} does not exist") from None
    except Exception as exc:  # pandas/pyarrow raise many types for unreadable files
        raise AuditInputError(f"cannot read {path.name} as {fmt}: {type(exc).__name__}: {_short(exc)}") from None


def check_columns(columns: list[str], path: Path) -> list[str]:
    """The carried-through columns; raises before any work when a required column is missing."""
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise AuditInputError(
            f"{path.name} is missing required column(s) {', '.join(missing)}; "
            f"required: {', '.join(REQUIRED)}; present: {', '.join(columns) or '(none)'}")
    return [c for c in columns if c not in REQUIRED]


def iter_rows(path: Path, fmt: str, extra: list[str], chunk_size: int) -> Iterator[Row]:
    """Every input row, in order, numbered from 0; rows that cannot be parsed carry ``read_error``."""
    if fmt == "csv":
        yield from _csv_rows(path, extra, chunk_size)
    elif fmt == "jsonl":
        yield from _jsonl_rows(path, extra)
    else:
        yield from _parquet_rows(path, extra, chunk_size)


def iter_chunks(rows: Iterable[Row], chunk_size: int) -> Iterator[Chunk]:
    """Exactly ``chunk_size`` rows per chunk (the last may be shorter), whatever the reader's batches."""
    buf: list[Row] = []
    index = 0
    for row in rows:
        buf.append(row)
        if len(buf) == chunk_size:
            yield Chunk(index, buf)
            index, buf = index + 1, []
    if buf:
        yield Chunk(index, buf)


def _csv_rows(path: Path, extra: list[str], chunk_size: int) -> Iterator[Row]:
    """pandas in chunks; a line with too many fields becomes an error row in its place.

    ``on_bad_lines`` (python engine) may return a replacement row: we return one whose note is a marker
    no real note can contain (a NUL and a per-run UUID), so the row keeps its position and is reported.
    Lines with too few fields are padded by pandas (a missing note is then an error row). Undecodable
    bytes are kept as surrogates and reported per row instead of failing the file.
    """
    import pandas as pd

    header = read_columns(path, "csv")
    marker = f"\x00bad-csv-line-{uuid.uuid4().hex}:"
    enc_pos = header.index("encounter_id")

    def bad_line(fields: list[str]) -> list[str]:
        out = [""] * len(header)
        out[enc_pos] = fields[enc_pos] if enc_pos < len(fields) else ""
        out[header.index("note_text")] = f"{marker}{len(fields)}"
        return out

    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))  # over-long notes must still be read
    n = 0
    try:
        reader = pd.read_csv(path, dtype=object, keep_default_na=False, chunksize=chunk_size, engine="python",
                             on_bad_lines=bad_line, encoding_errors="surrogateescape")
        for frame in reader:
            for rec in frame.to_dict("records"):
                note = rec["note_text"]
                error = None
                if isinstance(note, str) and note.startswith(marker):
                    error = (f"malformed CSV line ({note[len(marker):]} fields, expected {len(header)}); "
                             "check quoting around this row")
                    note = None
                yield Row(n, rec["encounter_id"], note, rec["billed_codes"], {c: rec.get(c) for c in extra}, error)
                n += 1
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise AuditInputError(f"{path.name}: the CSV cannot be parsed past data row {n} "
                              f"({type(exc).__name__}: {_short(exc)}); rows before it were read") from None


def _jsonl_rows(path: Path, extra: list[str]) -> Iterator[Row]:
    """One row per line, read by this module so a bad line is an error row, never a lost row."""
    with open(path, "rb") as f:
        n = 0
        pending_blank: list[int] = []
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                pending_blank.append(lineno)  # a blank last line is the file's end, not a row
                continue
            for blank in pending_blank:
                yield Row(n, None, None, None, {c: None for c in extra}, f"line {blank} is blank")
                n += 1
            pending_blank = []
            try:
                obj = json.loads(_jsonl_text(raw, lineno))
            except UnicodeDecodeError as exc:
                yield Row(n, None, None, None, {c: None for c in extra},
                          f"line {lineno} is not valid UTF-8 (bad byte at offset {exc.start}); "
                          "re-save the input as UTF-8")
                n += 1
                continue
            except ValueError as exc:
                yield Row(n, None, None, None, {c: None for c in extra},
                          f"line {lineno} is not valid JSON ({type(exc).__name__} at column {_json_col(exc)})")
                n += 1
                continue
            if not isinstance(obj, dict):
                yield Row(n, None, None, None, {c: None for c in extra},
                          f"line {lineno} is not a JSON object (got {type(obj).__name__})")
            else:
                yield Row(n, obj.get("encounter_id"), obj.get("note_text"), obj.get("billed_codes"),
                          {c: obj.get(c) for c in extra})
            n += 1


def _jsonl_text(raw: bytes, lineno: int) -> str:
    text = raw.decode("utf-8")
    return text[1:] if lineno == 1 and text.startswith("\ufeff") else text  # a UTF-8 BOM opens some exports


def _parquet_rows(path: Path, extra: list[str], chunk_size: int) -> Iterator[Row]:
    """pyarrow record batches, converted to Python values (bytes stay bytes, nulls are None)."""
    n = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_size, columns=[*REQUIRED, *extra]):
        for rec in batch.to_pylist():
            yield Row(n, rec["encounter_id"], rec["note_text"], rec["billed_codes"], {c: rec[c] for c in extra})
            n += 1


# --------------------------------------------------------------------------------------------- verdicts


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def as_text(value: Any) -> str | None:
    """A carried value as text (the findings schema is all strings): None stays None, bad bytes -> U+FFFD."""
    if _is_missing(value):
        return None
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 12.0 from a float column is the id 12
    text = value if isinstance(value, str) else str(value)
    return _SURROGATE.sub("\ufffd", text)


def parse_billed(value: Any) -> list[str]:
    """Billed codes as written, split on ``;`` or ``,``; whitespace and empty entries dropped."""
    text = as_text(value)
    if text is None:
        return []
    return [c.strip() for c in _SEPARATORS.split(text) if c.strip()]


def pump_codes(billed: list[str]) -> list[str]:
    """The billed codes in the pump family (a modifier such as ``62368-59`` counts as 62368), sorted."""
    found = set()
    for code in billed:
        m = _CODE.match(code)
        if m and m.group(1) in PUMP_FAMILY and not code[m.end():m.end() + 1].isdigit():
            found.add(m.group(1))
    return sorted(found)


def note_problem(value: Any) -> tuple[Any, str | None]:
    """What the pipeline gets for a note, or why the row cannot be analysed (checks Coder doesn't make)."""
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None, "note is empty"  # the same words for "", a blank CSV cell and a null, whatever the format
    if isinstance(value, bytes | bytearray):
        return bytes(value), None  # Coder decodes and reports binary/encoding problems
    if not isinstance(value, str):
        return None, f"note_text is not text (got {type(value).__name__})"
    m = _SURROGATE.search(value)
    if m:
        return None, (f"note_text is not valid UTF-8 (undecodable byte at character {m.start()}); "
                      "re-save the input as UTF-8")
    return value, None


def verdict_for(billed: list[str], supported: str | None) -> str:
    """The verdict over the pump family: billed family codes against the decision (if in the family)."""
    b = set(billed)
    s = {supported} if supported in PUMP_FAMILY else set()
    if b == s:
        return "consistent"
    if b and not s:
        return "unsupported"
    if s and not b:
        return "missed"
    return "mismatch"


def _spans(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple[int, int], dict[str, Any]] = {}
    for ev in items:
        key = (int(ev["start"]), int(ev["end"]))
        seen.setdefault(key, {"start": key[0], "end": key[1], "text": ev["text"]})
    return [seen[k] for k in sorted(seen)][:MAX_EVIDENCE_SPANS]


def decision_evidence(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Spans of the decision's satisfied elements; for a neighbour code (no elements), the evidence of
    the rules that name it (e.g. rule 1's refill + reprogramming spans for 62369)."""
    decision = result.get("decision")
    if not decision:
        return []
    entry = next((c for c in result["codes"] if c["code"] == decision), None)
    if entry and entry["elements"]:
        return _spans(ev for el in entry["elements"] if el["satisfied"] for ev in el["evidence"])
    return _spans(ev for c in result["codes"] for a in c["against"] if decision in a["text"] for ev in a["evidence"])


def _against(result: dict[str, Any], billed: list[str]) -> list[dict[str, Any]]:
    return [a for c in result["codes"] if c["code"] in billed for a in c["against"]]


def _reason(verdict: str, billed: list[str], result: dict[str, Any]) -> str:
    decision, p = result.get("decision"), float(result.get("probability") or 0.0)
    b = "+".join(billed)
    against = _against(result, billed)
    why = against[0]["text"] if against else result["rule"]["reason"]
    outside = f" (it suggests {decision}, outside the pump family)" if decision and decision not in PUMP_FAMILY else ""
    if verdict == "consistent":
        if billed:
            return f"Billed {b} is what the note supports (p={p:.2f})."
        return f"No pump-family code was billed and the note documents none{outside} (p={p:.2f})."
    if verdict == "missed":
        return f"The note supports {decision} (p={p:.2f}) but no pump-family code was billed."
    if verdict == "unsupported":
        return f"Billed {b} but the note supports no pump-family code{outside} (p={p:.2f}): {why}."
    return f"Billed {b} but the note supports {decision} (p={p:.2f}): {why}."


def make_finding(row: Row, result: dict[str, Any] | None, error: str | None) -> dict[str, Any]:
    """The findings row for one input row: ``result`` is the Coder's output, ``error`` a read problem."""
    billed = parse_billed(row.billed_codes)
    pumps = pump_codes(billed)
    out: dict[str, Any] = {
        "row": row.row,
        "encounter_id": as_text(row.encounter_id),
        "billed_codes": ";".join(billed),
        "billed_pump_codes": ";".join(pumps),
        "suggested_code": None,
        "probability": None,
        "verdict": "error",
        "reason": None,
        "error": None,
        "evidence": "[]",
        "evidence_against": "[]",
    }
    if error is None and result is not None and "error" in result:
        error = str(result["error"])
    if error is not None or result is None:
        error = error or "no result"
        out["error"] = error
        out["reason"] = f"Row could not be analysed: {error}."
    else:
        verdict = verdict_for(pumps, result["decision"])
        out["suggested_code"] = result["decision"]
        out["probability"] = float(result["probability"])
        out["verdict"] = verdict
        out["reason"] = _reason(verdict, pumps, result)
        out["evidence"] = _compact(decision_evidence(result))
        if verdict in ("mismatch", "unsupported"):
            out["evidence_against"] = _compact(_spans(ev for a in _against(result, pumps) for ev in a["evidence"]))
    for name, value in row.extra.items():
        out[carried_name(name)] = as_text(value)
    return out


def carried_name(name: str) -> str:
    """A carried column keeps its name unless it collides with a findings column."""
    return f"input_{name}" if name in FINDING_COLUMNS else name


def findings_schema(extra: list[str]) -> pa.Schema:
    """Fixed types so every part (and the final file) has the same schema, whatever its nulls."""
    fields = [pa.field("row", pa.int64(), nullable=False)]
    fields += [pa.field(c, pa.float64() if c == "probability" else pa.string()) for c in FINDING_COLUMNS[1:]]
    fields += [pa.field(carried_name(c), pa.string()) for c in extra]
    return pa.schema(fields)


def chunk_findings(chunk: Chunk, results: list[dict[str, Any]], problems: list[str | None]) -> list[dict[str, Any]]:
    """Findings rows of a chunk (shared by both engines, so their findings cannot drift apart)."""
    return [make_finding(row, res, prob) for row, res, prob in zip(chunk.rows, results, problems, strict=True)]


def chunk_inputs(chunk: Chunk) -> tuple[list[Any], list[str | None]]:
    """What goes to the Coder for each row (None for rows already known bad) and the known problem."""
    texts: list[Any] = []
    problems: list[str | None] = []
    for row in chunk.rows:
        text, problem = (None, row.read_error) if row.read_error else note_problem(row.note_text)
        texts.append(text)
        problems.append(problem)
    return texts, problems


def _compact(spans: list[dict[str, Any]]) -> str:
    return json.dumps(spans, ensure_ascii=False, separators=(",", ":"))


def _short(exc: BaseException) -> str:
    """An exception message cut short (parsers may quote input; keep logs PHI-light)."""
    return str(exc).splitlines()[0][:160] if str(exc) else ""


def _json_col(exc: ValueError) -> Any:
    return getattr(exc, "colno", "?")


# --------------------------------------------------------------------------------------------- engines

Processor = Callable[[Iterator[Chunk]], Iterator[tuple[Chunk, list[dict[str, Any]]]]]


def fresh_coder(model: str | None) -> Any:
    """A Coder with its own new spaCy pipeline (``Coder()`` alone reuses the process-wide one)."""
    from .api import Coder
    from .pipeline import build_nlp

    return Coder(model, nlp=build_nlp())


def local_processor(coder: Any, workers: int, batch_size: int = 64, model: str | None = None,
                    recycle_rows: int = RECYCLE_ROWS) -> Processor:
    """Chunks through ``suggest_many`` streams of about ``recycle_rows`` rows each.

    spaCy's vocabulary keeps every new string it meets (dates, names, record numbers), about 600 bytes
    each, so one pipeline over millions of notes grows without bound. Each segment therefore gets a
    fresh pipeline: one worker builds a new Coder (~0.3 s); N workers get a new pool, whose workers fork
    from this process. Within a segment, worker processes start once, not per chunk.
    """

    def process(chunks: Iterator[Chunk]) -> Iterator[tuple[Chunk, list[dict[str, Any]]]]:
        nonlocal coder
        it = iter(chunks)
        head = next(it, None)

        def texts(first: Chunk, pending: deque[tuple[Chunk, list[str | None]]]) -> Iterator[Any]:
            """One segment's notes; leaves the chunk that starts the next segment in ``head``."""
            nonlocal head
            chunk: Chunk | None = first
            taken = 0
            head = None
            while chunk is not None:
                items, problems = chunk_inputs(chunk)
                pending.append((chunk, problems))
                taken += len(chunk.rows)
                yield from items
                chunk = next(it, None)
                if chunk is not None and taken >= recycle_rows:
                    head = chunk
                    return

        while head is not None:
            pending: deque[tuple[Chunk, list[str | None]]] = deque()
            results: list[dict[str, Any]] = []
            for result in coder.suggest_many(texts(head, pending), batch_size=batch_size, n_process=workers):
                results.append(result)
                chunk, problems = pending[0]
                if len(results) == len(chunk.rows):
                    pending.popleft()
                    yield chunk, chunk_findings(chunk, results, problems)
                    results = []
            if head is not None and workers <= 1:
                coder = None  # let the old pipeline go before building the next
                coder = fresh_coder(model)

    return process


# --------------------------------------------------------------------------------------------- parts


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, before_replace: Callable[[], None] | None = None) -> None:
    """Write to a temporary file, fsync, rename: the file exists whole or not at all."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    if before_replace:
        before_replace()
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _parquet_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def part_path(parts: Path, index: int) -> Path:
    """Zero-padded names sort in chunk order."""
    return parts / f"part-{index:06d}.parquet"


def input_fingerprint(path: Path) -> dict[str, Any]:
    """What identifies the input without reading it all: path, size, mtime and a hash of the first MiB."""
    st = path.stat()
    with open(path, "rb") as f:
        head = hashlib.sha256(f.read(HEAD_BYTES)).hexdigest()
    return {"input": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns, "head_sha256": head}


def prepare_parts(out: Path, manifest: dict[str, Any], resume: bool) -> set[int]:
    """Create ``out/parts`` for this run; with ``resume``, check the manifest and return finished chunks."""
    parts = out / "parts"
    mpath = parts / "manifest.json"
    for stale in out.glob(".*.tmp"):  # findings/report half-written by a killed run
        stale.unlink()
    if resume and mpath.exists():
        try:
            old = json.loads(mpath.read_text())
        except ValueError:
            raise AuditInputError(f"{mpath} is unreadable; run without --resume to start over") from None
        diffs = [k for k in manifest if old.get(k) != manifest[k]]
        if diffs:
            detail = "; ".join(f"{k}: was {old.get(k)!r}, now {manifest[k]!r}" for k in diffs)
            raise AuditInputError(f"cannot --resume: {out}/parts was written for a different input or options "
                                  f"({detail}); run without --resume to start over")
        for stale in parts.glob(".*.tmp"):
            stale.unlink()
        done = {int(p.stem.split("-")[1]) for p in parts.glob("part-*.parquet")}
        log.info("resuming: %d finished chunk(s) in %s", len(done), parts)
        return done
    if resume:
        log.info("--resume: no manifest in %s, starting from the beginning", parts)
    if parts.exists():
        shutil.rmtree(parts)
    for name in ("findings.csv", "findings.parquet", "report.html"):  # never leave a previous run's results
        (out / name).unlink(missing_ok=True)
    parts.mkdir(parents=True)
    atomic_write(mpath, json.dumps(manifest, indent=1, sort_keys=True).encode())
    return set()


def write_part(parts: Path, index: int, findings: list[dict[str, Any]], schema: pa.Schema,
               before_replace: Callable[[], None] | None = None) -> None:
    """One chunk's findings as a Parquet part, atomically (a killed run leaves whole parts only)."""
    atomic_write(part_path(parts, index), _parquet_bytes(pa.Table.from_pylist(findings, schema=schema)),
                 before_replace)


def _csv_value(value: Any) -> str:
    """Deterministic CSV text: None as empty, floats by repr (the shortest exact form)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def assemble(out: Path, n_chunks: int, schema: pa.Schema) -> int:
    """findings.parquet and findings.csv from the parts in order (streamed: one part in memory at a time)."""
    parts = out / "parts"
    missing = [i for i in range(n_chunks) if not part_path(parts, i).exists()]
    if missing:
        raise AuditInputError(f"{len(missing)} part file(s) missing in {parts} (first: {missing[0]})")
    pq_tmp = out / f".findings.parquet.{os.getpid()}.tmp"
    csv_tmp = out / f".findings.csv.{os.getpid()}.tmp"
    n_rows = 0
    with pq.ParquetWriter(pq_tmp, schema) as writer, open(csv_tmp, "w", encoding="utf-8", newline="") as fcsv:
        w = csv.writer(fcsv, lineterminator="\n")
        w.writerow(schema.names)
        for i in range(n_chunks):
            table = pq.read_table(part_path(parts, i), schema=schema)
            writer.write_table(table)
            for rec in table.to_pylist():
                w.writerow([_csv_value(rec[name]) for name in schema.names])
            n_rows += table.num_rows
        fcsv.flush()
        os.fsync(fcsv.fileno())
    for tmp, final in ((pq_tmp, out / "findings.parquet"), (csv_tmp, out / "findings.csv")):
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
    _fsync_dir(out)
    return n_rows


# --------------------------------------------------------------------------------------------- the run


@dataclass
class AuditResult:
    """What a run produced: output folder, row and chunk counts, rows per verdict."""

    out: Path
    rows: int
    counts: dict[str, int]
    chunks: int
    resumed_chunks: int


def _die_hook() -> Callable[[int], Callable[[], None] | None]:
    """Test hook: with CLASSIFIER_AUDIT_DIE_AFTER_PARTS=K the process dies (os._exit) while writing the
    (K+1)-th part of this run, after its temporary file is on disk and before the rename."""
    limit = os.environ.get(DIE_AFTER_ENV)
    if not limit:
        return lambda written: None

    def hook(written: int) -> Callable[[], None] | None:
        if written >= int(limit):
            return lambda: os._exit(137)
        return None

    return hook


def run_audit(input_path: str | Path, out: str | Path, *, workers: int = 1, resume: bool = False,
              chunk_size: int = DEFAULT_CHUNK_SIZE, engine: str = "local", fmt: str | None = None,
              model: str | None = None, top: int = 20, spark_master: str | None = None,
              batch_size: int = 64, progress: bool = True, report: bool = True,
              recycle_rows: int = RECYCLE_ROWS) -> AuditResult:
    """Audit ``input_path`` into ``out`` (see the module docstring); raises AuditInputError before work."""
    from tqdm import tqdm

    path, out = Path(input_path), Path(out)
    if chunk_size < 1:
        raise AuditInputError("--chunk-size must be at least 1")
    if not path.is_file():
        raise AuditInputError(f"input {path} does not exist or is not a file")
    fmt = detect_format(path, fmt)
    columns = read_columns(path, fmt)
    extra = check_columns(columns, path)
    schema = findings_schema(extra)

    from .api import Coder

    coder = Coder(model)
    manifest = {
        **input_fingerprint(path), "format": fmt, "chunk_size": chunk_size, "columns": columns,
        "model_sha256": coder.model.manifest.get("sha256", ""), "version": MANIFEST_VERSION,
    }
    out.mkdir(parents=True, exist_ok=True)
    done = prepare_parts(out, manifest, resume)
    parts = out / "parts"

    if engine == "spark":
        from .audit_spark import spark_processor

        processor = spark_processor(model, spark_master, batch_size=batch_size)
    elif engine == "local":
        processor = local_processor(coder, max(1, workers), batch_size, model, recycle_rows)
    else:
        raise AuditInputError(f"unknown engine {engine!r}; expected local or spark")

    bar = tqdm(total=_known_rows(path, fmt), unit="row", desc="audit", file=sys.stderr, disable=not progress,
               mininterval=1.0, dynamic_ncols=True)
    n_chunks = 0
    skipped = 0

    def todo() -> Iterator[Chunk]:
        nonlocal n_chunks, skipped
        for chunk in iter_chunks(iter_rows(path, fmt, extra, chunk_size), chunk_size):
            n_chunks = chunk.index + 1
            if chunk.index in done:
                skipped += 1
                bar.update(len(chunk.rows))
                continue
            yield chunk

    die = _die_hook()
    written = 0
    with bar:
        for chunk, findings in processor(todo()):
            write_part(parts, chunk.index, findings, schema, before_replace=die(written))
            written += 1
            bar.update(len(chunk.rows))
    n_rows = assemble(out, n_chunks, schema)
    counts = verdict_counts(out / "findings.parquet")
    log.info("audit: %d rows in %d chunks (%d resumed), verdicts %s", n_rows, n_chunks, skipped, counts)
    if report:
        from .audit_report import write_report

        write_report(out, path, fmt, extra, chunk_size, top=top, manifest=manifest)
    return AuditResult(out, n_rows, counts, n_chunks, skipped)


def _known_rows(path: Path, fmt: str) -> int | None:
    """The progress bar's total when the format knows it without a pass (Parquet metadata)."""
    if fmt == "parquet":
        return pq.ParquetFile(path).metadata.num_rows
    return None


def verdict_counts(findings: Path) -> dict[str, int]:
    """Rows per verdict, streamed from the findings (for the summary line and the log)."""
    counts = dict.fromkeys(VERDICTS, 0)
    for batch in pq.ParquetFile(findings).iter_batches(columns=["verdict"]):
        for v in batch.column(0).to_pylist():
            counts[v] = counts.get(v, 0) + 1
    return counts


def notes_for_rows(path: Path, fmt: str, extra: list[str], chunk_size: int, wanted: set[int]) -> dict[int, str]:
    """Note text of a few rows (for the report), by a second streaming pass over the input."""
    found: dict[int, str] = {}
    if not wanted:
        return found
    last = max(wanted)
    for row in iter_rows(path, fmt, extra, chunk_size):
        if row.row in wanted:
            text, problem = note_problem(row.note_text)
            if problem is None:
                found[row.row] = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        if row.row >= last:
            break
    return found


def cmd_audit(args: argparse.Namespace) -> int:
    """``python -m classifier audit``: exit 2 with ``error: ...`` for input the audit cannot start on."""
    try:
        result = run_audit(args.input, args.out, workers=args.workers, resume=args.resume,
                           chunk_size=args.chunk_size, engine=args.engine, fmt=args.format, model=args.model,
                           top=args.top, spark_master=args.spark_master)
    except AuditInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = ", ".join(f"{v} {n}" for v, n in result.counts.items())
    print(f"{result.rows} rows audited ({summary}); findings in {result.out}/findings.csv, "
          f"findings.parquet; report {result.out}/report.html")
    return 0


def add_audit_parser(sub: Any) -> None:
    """The ``audit`` subcommand's options (kept here so cli.py only registers it)."""
    a = sub.add_parser("audit", help="compare billed codes of past encounters with what the notes support")
    a.add_argument("input", help="CSV, JSONL or Parquet with encounter_id, note_text, billed_codes")
    a.add_argument("--out", required=True, help="output directory (findings.csv, findings.parquet, report.html)")
    a.add_argument("--workers", type=int, default=1, help="worker processes (local engine)")
    a.add_argument("--resume", action="store_true", help="skip chunks a killed run already finished")
    a.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help="rows per chunk / part file")
    a.add_argument("--engine", choices=("local", "spark"), default="local")
    a.add_argument("--spark-master", help="Spark master URL (default: spark-submit's, else local[*])")
    a.add_argument("--format", choices=FORMATS, help="input format (default: from the extension)")
    a.add_argument("--model", help="model directory (default: the shipped models/)")
    a.add_argument("--top", type=int, default=20, help="findings shown with highlighted evidence in the report")
    a.set_defaults(func=cmd_audit)


__all__ = [
    "AuditInputError", "AuditResult", "Chunk", "Row", "add_audit_parser", "assemble", "cmd_audit",
    "make_finding", "parse_billed", "pump_codes", "run_audit", "verdict_for",
]
