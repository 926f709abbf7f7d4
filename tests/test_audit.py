"""Batch audit (issue 4): verdicts, reading every row of messy CSV/JSONL/Parquet, workers, kill + resume.

The inputs are small and synthetic, built from generated notes whose decision the shipped model is asked
for first, so each verdict is produced on purpose whatever the model says about a given note.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from classifier.audit import (
    DIE_AFTER_ENV,
    PUMP_FAMILY,
    Row,
    make_finding,
    parse_billed,
    pump_codes,
    verdict_for,
)

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "training_data" / "generated.jsonl"
CHUNK = 4


# ----------------------------------------------------------------------------------------- pure logic


@pytest.mark.parametrize("value, expected", [
    ("62368; 99213", ["62368", "99213"]),
    ("62368,95990", ["62368", "95990"]),
    (" 62368 ;; , 95991 ,", ["62368", "95991"]),
    ("", []),
    (None, []),
    (float("nan"), []),
    (62368, ["62368"]),
    (62368.0, ["62368"]),
])
def test_parse_billed_separators_whitespace_and_empty(value, expected):
    assert parse_billed(value) == expected


def test_pump_codes_keep_only_the_family():
    assert pump_codes(["99213", "62368-59", "95990", "62350", "623681", "95972", "62360"]) == \
        ["62360", "62368", "95990"]
    assert {"62360", "62365", "62370", "95990", "95991"} <= PUMP_FAMILY and "62350" not in PUMP_FAMILY


@pytest.mark.parametrize("billed, decision, verdict", [
    ([], None, "consistent"),  # nothing billed, nothing documented
    ([], "95970-95972", "consistent"),  # a stimulator is outside the family
    ([], "62350", "consistent"),  # a catheter code is outside the family
    (["95990"], "95990", "consistent"),
    (["62369"], "62369", "consistent"),  # neighbours inside 62360-62370 count
    (["62368"], None, "unsupported"),
    (["62368"], "62350", "unsupported"),  # decision outside the family = supports none of it
    ([], "95991", "missed"),
    ([], "62367", "missed"),
    (["62368"], "95990", "mismatch"),
    (["62368", "95990"], "95990", "mismatch"),  # one billed code too many
    (["62370"], "62369", "mismatch"),
])
def test_verdict_table(billed, decision, verdict):
    assert verdict_for(billed, decision) == verdict


def _result(decision: str | None, p: float = 0.9) -> dict[str, Any]:
    """A minimal Coder result: one satisfied element with evidence, one against rule for 62368."""
    codes = [
        {"code": "95990", "elements": [
            {"satisfied": True, "evidence": [{"start": 10, "end": 16, "text": "REFILL", "label": "REFILL"}]},
            {"satisfied": False, "evidence": []}], "against": []},
        {"code": "62368", "elements": [], "against": [
            {"rule": 2, "text": "a refill without reprogramming is 95990/95991",
             "evidence": [{"start": 10, "end": 16, "text": "REFILL"}]}]},
    ]
    return {"decision": decision, "probability": p, "codes": codes,
            "rule": {"code": decision, "rule": 2, "reason": "refill without reprogramming"}}


def test_non_pump_billed_codes_are_kept_but_do_not_change_the_verdict():
    row = Row(3, "E3", "note", "99213; 95990", {"department": "Pain"})
    f = make_finding(row, _result("95990"), None)
    assert f["verdict"] == "consistent" and f["billed_codes"] == "99213;95990" and f["billed_pump_codes"] == "95990"
    assert json.loads(f["evidence"]) == [{"start": 10, "end": 16, "text": "REFILL"}]
    assert f["department"] == "Pain" and f["row"] == 3 and f["error"] is None
    only_em = make_finding(Row(0, "E0", "note", "99213,99214", {}), _result(None), None)
    assert only_em["verdict"] == "consistent" and only_em["billed_pump_codes"] == ""


def test_mismatch_reason_names_both_codes_and_the_rule():
    f = make_finding(Row(0, "E0", "note", "62368", {}), _result("95990", 0.87), None)
    assert f["verdict"] == "mismatch"
    assert f["reason"] == ("Billed 62368 but the note supports 95990 (p=0.87): "
                           "a refill without reprogramming is 95990/95991.")
    assert json.loads(f["evidence_against"]) == [{"start": 10, "end": 16, "text": "REFILL"}]


def test_error_rows_say_why():
    f = make_finding(Row(0, "E0", "", "62368", {}), {"error": "note is empty"}, None)
    assert f["verdict"] == "error" and f["error"] == "note is empty" and f["suggested_code"] is None
    assert f["reason"] == "Row could not be analysed: note is empty." and f["billed_pump_codes"] == "62368"


# ----------------------------------------------------------------------------------------- inputs


def pick_notes() -> dict[str, tuple[str, str | None]]:
    """Notes by what the shipped model decides: a family code, another family code, none, outside."""
    from classifier.api import get_coder

    with GENERATED.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for _, line in zip(range(120), fh, strict=False)]
    picked: dict[str, tuple[str, str | None]] = {}
    for text, res in zip(texts, get_coder().suggest_many(texts), strict=True):
        d = res["decision"]
        key = ("refill" if d in ("95990", "95991") else "family" if d in PUMP_FAMILY else
               "none" if d is None else "outside")
        picked.setdefault(key, (text, d))
    assert {"refill", "family", "none"} <= set(picked), picked.keys()
    return picked


def audit_rows() -> list[dict[str, Any]]:
    """Rows meant to give every verdict, plus rows that cannot be analysed, same in every format."""
    n = pick_notes()
    refill, rd = n["refill"]
    family, fd = n["family"]
    none, _ = n["none"]
    rows = [
        (refill, f"99213; {rd}"),  # consistent, E/M code ignored, ';'
        (family, f"{fd}, 99214"),  # consistent, ','
        (refill, "62368"),  # mismatch
        (none, "62368"),  # unsupported
        (family, ""),  # missed
        (none, "99213"),  # consistent: no pump code billed, none documented
        ("", "95990"),  # error: empty
        ("PUMP\x00\x01\x02 refill" * 20, "95990"),  # error: binary
        ("refill " * 30_000, "95990"),  # error: over-long (210,000 characters)
        (float("nan"), "62362"),  # error: NaN note (empty cell)
        (refill, f" {rd} ; ;"),  # whitespace-tolerant billed codes
    ]
    if "outside" in n:
        rows.append((n["outside"][0], "62350"))  # outside the family: consistent
    return [{"encounter_id": f"E{i:03d}", "note_text": t, "billed_codes": b, "department": f"D{i % 3}",
             "provider": f"P{i % 2}"} for i, (t, b) in enumerate(rows)]


def write_inputs(rows: list[dict[str, Any]], folder: Path) -> dict[str, Path]:
    """The same rows as CSV, JSONL and Parquet."""
    df = pd.DataFrame(rows)
    paths = {"csv": folder / "in.csv", "jsonl": folder / "in.jsonl", "parquet": folder / "in.parquet"}
    df.to_csv(paths["csv"], index=False)
    df.to_parquet(paths["parquet"], index=False)
    with paths["jsonl"].open("w", encoding="utf-8") as fh:
        for r in rows:
            r = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            fh.write(json.dumps(r) + "\n")
    return paths


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The CLI in a child process: for runs that must really die."""
    return subprocess.run([sys.executable, "-m", "classifier", "audit", *args], capture_output=True, cwd=ROOT,
                          timeout=300, env={**os.environ, **(env or {})})


def audit(capsys, *args: str) -> tuple[int, str]:
    """The CLI in this process (same ``main`` as ``python -m classifier``; saves a child's start-up)."""
    from classifier.cli import main

    capsys.readouterr()
    rc = main(["audit", *args])
    return rc, capsys.readouterr().err


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[list[dict[str, Any]], dict[str, Path]]:
    folder = tmp_path_factory.mktemp("audit-in")
    rows = audit_rows()
    return rows, write_inputs(rows, folder)


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory) -> Path:
    """An uninterrupted 1-worker run on the CSV, small chunks: what every other run must equal."""
    from classifier.audit import run_audit

    out = tmp_path_factory.mktemp("audit-ref")
    run_audit(inputs[1]["csv"], out, chunk_size=CHUNK, progress=False)
    return out


def read_findings(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)


def same_files(a: Path, b: Path) -> None:
    for name in ("findings.csv", "findings.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# ----------------------------------------------------------------------------------------- end to end


def test_every_verdict_every_row_once_in_order(inputs, reference):
    rows, _ = inputs
    f = read_findings(reference)
    assert list(f["row"]) == [str(i) for i in range(len(rows))]
    assert list(f["encounter_id"]) == [r["encounter_id"] for r in rows]
    assert list(f["verdict"][:6]) == ["consistent", "consistent", "mismatch", "unsupported", "missed", "consistent"]
    assert list(f["verdict"][6:10]) == ["error"] * 4
    assert "empty" in f["error"][6] and "binary" in f["error"][7] and "too long" in f["error"][8]
    assert "empty" in f["error"][9]
    assert f["verdict"][10] == "consistent" and f["billed_pump_codes"][10] == f["suggested_code"][0]
    assert f["billed_codes"][0].startswith("99213;") and f["billed_pump_codes"][0] == f["suggested_code"][0]
    assert f["billed_codes"][1].endswith(";99214")
    for i in range(6):
        assert f["reason"][i].endswith(".") and f["probability"][i] and f["error"][i] == ""
    for i in (0, 2, 4):  # supported decisions come with their evidence, exact offsets into the note
        spans = json.loads(f["evidence"][i])
        assert spans and all(rows[i]["note_text"][s["start"]:s["end"]] == s["text"] for s in spans)
    assert {"department", "provider"} <= set(f.columns)
    assert list(f["department"]) == [r["department"] for r in rows]


def test_csv_jsonl_parquet_give_the_same_findings(inputs, reference, tmp_path, capsys):
    for fmt in ("jsonl", "parquet"):
        out = tmp_path / fmt
        rc, err = audit(capsys, str(inputs[1][fmt]), "--out", str(out), "--chunk-size", str(CHUNK))
        assert rc == 0, err
        same_files(out, reference)


def test_one_and_two_workers_identical(inputs, reference, tmp_path, capsys):
    rc, err = audit(capsys, str(inputs[1]["csv"]), "--out", str(tmp_path), "--chunk-size", str(CHUNK),
                    "--workers", "2")
    assert rc == 0, err
    same_files(tmp_path, reference)


def test_fresh_pipeline_per_segment_changes_nothing(inputs, reference, tmp_path):
    """Recycling the pipeline every few rows (to bound spaCy's growing vocabulary) gives the same findings."""
    from classifier.audit import run_audit

    for workers in (1, 2):
        out = tmp_path / str(workers)
        run_audit(inputs[1]["csv"], out, chunk_size=CHUNK, workers=workers, recycle_rows=5, progress=False,
                  report=False)
        same_files(out, reference)


def test_killed_and_resumed_equals_uninterrupted(inputs, reference, tmp_path):
    args = [str(inputs[1]["csv"]), "--out", str(tmp_path), "--chunk-size", str(CHUNK)]
    killed = run_cli(*args, env={DIE_AFTER_ENV: "1"})  # dies while writing the 2nd part, before its rename
    assert killed.returncode == 137, killed.stderr.decode()[-2000:]
    parts = tmp_path / "parts"
    assert [p.name for p in sorted(parts.glob("part-*.parquet"))] == ["part-000000.parquet"]
    assert list(parts.glob(".*.tmp")), "the half-written part should be left behind"
    assert not (tmp_path / "findings.csv").exists()
    first = (parts / "part-000000.parquet").stat()
    resumed = run_cli(*args, "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]
    assert (parts / "part-000000.parquet").stat().st_mtime_ns == first.st_mtime_ns  # skipped, not redone
    assert not list(parts.glob(".*.tmp"))
    same_files(tmp_path, reference)
    note = inputs[0][0]["note_text"]
    assert note[:40] not in (killed.stderr + resumed.stderr).decode(errors="replace")  # no PHI in logs


def test_resume_refuses_other_input_or_options(inputs, reference, tmp_path, capsys):
    shutil.copytree(reference / "parts", tmp_path / "parts")  # parts + manifest of a chunk-size-4 run
    rc, err = audit(capsys, str(inputs[1]["csv"]), "--out", str(tmp_path), "--chunk-size", "5", "--resume")
    assert rc == 2 and "error: cannot --resume" in err and "chunk_size: was 4, now 5" in err
    changed = tmp_path / "changed.csv"
    changed.write_bytes(inputs[1]["csv"].read_bytes())
    rc, err = audit(capsys, str(changed), "--out", str(tmp_path), "--chunk-size", str(CHUNK), "--resume")
    assert rc == 2 and "error: cannot --resume" in err and "input: was" in err
    assert not (tmp_path / "findings.csv").exists()


def test_without_resume_old_parts_are_cleared(inputs, tmp_path, capsys):
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "part-000099.parquet").write_bytes(b"stale")
    rc, err = audit(capsys, str(inputs[1]["parquet"]), "--out", str(tmp_path), "--chunk-size", "100")
    assert rc == 0, err
    assert sorted(p.name for p in parts.iterdir()) == ["manifest.json", "part-000000.parquet"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_missing_columns_error_before_any_work(fmt, tmp_path, capsys):
    df = pd.DataFrame({"encounter_id": ["E1"], "note": ["refilled"], "dept": ["Pain"]})
    path = tmp_path / f"in.{fmt}"
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "parquet":
        df.to_parquet(path)
    else:
        path.write_text(df.to_json(orient="records", lines=True))
    out = tmp_path / "out"
    rc, err = audit(capsys, str(path), "--out", str(out))
    assert rc == 2 and err.startswith("error: ")
    assert "missing required column(s) note_text, billed_codes" in err and "present: encounter_id, note, dept" in err
    assert not out.exists()  # nothing was started


def test_unreadable_input_is_exit_2(tmp_path, capsys):
    res = run_cli(str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out"))  # once as a real child process
    assert res.returncode == 2 and b"error: input" in res.stderr and b"does not exist" in res.stderr
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    rc, err = audit(capsys, str(bad), "--out", str(tmp_path / "out"))
    assert rc == 2 and err.startswith("error: cannot read bad.parquet")


def test_malformed_csv_and_jsonl_lines_keep_their_place(inputs, tmp_path, capsys):
    good = inputs[0][0]
    note = json.dumps(good["note_text"])[1:-1]  # JSON-escaped, for hand-written lines
    quoted = '"' + good["note_text"].replace('"', '""') + '"'  # CSV-quoted
    csv_text = (
        "encounter_id,note_text,billed_codes,department\n"
        f"A0,{quoted},95990,Pain\n"
        "A1,too,many,fields,here,now\n"  # bad line: 6 fields, 4 expected
        "A2,,62368,Pain\n"  # empty note
        "A3\n"  # too few fields: no note
    ).encode() + b'A4,"caf\xe9 refill",95990,Pain\n' + f"A5,{quoted},,Rehab\n".encode()
    src = tmp_path / "bad.csv"
    src.write_bytes(csv_text)
    rc, err = audit(capsys, str(src), "--out", str(tmp_path / "c"), "--chunk-size", "2")
    assert rc == 0, err
    f = read_findings(tmp_path / "c")
    assert list(f["encounter_id"]) == ["A0", "A1", "A2", "A3", "A4", "A5"]
    assert list(f["verdict"][1:5]) == ["error"] * 4 and f["verdict"][0] != "error" and f["verdict"][5] != "error"
    assert "malformed CSV line (6 fields, expected 4)" in f["error"][1]
    assert "empty" in f["error"][2] and "empty" in f["error"][3] and "UTF-8" in f["error"][4]

    lines = [
        json.dumps({"encounter_id": "J0", "note_text": good["note_text"], "billed_codes": "95990"}).encode(),
        b"{not json",
        b"",  # blank line in the middle
        b"[1, 2]",
        b'{"encounter_id": "J4", "note_text": "caf\xe9", "billed_codes": ""}',
        json.dumps({"encounter_id": "J5", "note_text": 12345, "billed_codes": "62368"}).encode(),
        json.dumps({"encounter_id": "J6", "billed_codes": "62368"}).encode(),  # no note_text
        f'{{"encounter_id": "J7", "note_text": "{note}", "billed_codes": "62368"}}'.encode(),
    ]
    src = tmp_path / "bad.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    rc, err = audit(capsys, str(src), "--out", str(tmp_path / "j"), "--chunk-size", "3")
    assert rc == 0, err
    f = read_findings(tmp_path / "j")
    assert list(f["row"]) == [str(i) for i in range(8)]
    assert list(f["encounter_id"]) == ["J0", "", "", "", "", "J5", "J6", "J7"]
    assert list(f["verdict"][1:7]) == ["error"] * 6 and f["verdict"][0] != "error" and f["verdict"][7] != "error"
    assert "line 2 is not valid JSON" in f["error"][1] and "line 3 is blank" in f["error"][2]
    assert "not a JSON object" in f["error"][3] and "UTF-8" in f["error"][4]
    assert "not text (got int)" in f["error"][5] and "empty" in f["error"][6]
    assert good["note_text"][:40] not in err
