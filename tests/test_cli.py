"""The command line as a user runs it: a note file, stdin, JSON, JSONL with bad lines, bad models."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "training_data" / "examples" / "refill_rn.txt"


def run(*args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "classifier", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=300)


def test_suggest_readable_output():
    out = run("suggest", str(EXAMPLE))
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode()
    assert "Decision: 95990" in text and "Refilling and maintenance" in text


def test_suggest_json_from_stdin():
    out = run("suggest", "--json", stdin=EXAMPLE.read_bytes())
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["decision"] == "95990"


def test_jsonl_one_line_per_input_line_in_order(tmp_path):
    note = EXAMPLE.read_text()
    lines = [
        json.dumps({"id": "a", "text": note}),
        "{not json",
        json.dumps({"id": "c", "text": ""}),
        json.dumps({"id": "d"}),
        "",
        json.dumps({"id": "f", "text": note}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(("\n".join(lines) + "\n").encode() + b"\xff\xfe bad bytes\n")
    dst = tmp_path / "out.jsonl"
    out = run("suggest", "--jsonl", str(src), "--out", str(dst), "--batch-size", "2")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in dst.read_text().splitlines()]
    assert len(rows) == 7
    assert [r["id"] for r in rows] == ["a", None, "c", "d", None, "f", None]
    assert rows[0]["decision"] == rows[5]["decision"] == "95990"
    assert "not valid JSON" in rows[1]["error"] and "empty" in rows[2]["error"]
    assert "text" in rows[3]["error"] and "error" in rows[4] and "UTF-8" in rows[6]["error"]
    assert note[:20] not in out.stderr.decode()


def test_empty_file_is_a_clear_error(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("")
    out = run("suggest", str(p))
    assert out.returncode == 2 and b"empty" in out.stderr


def test_tampered_model_refused(tmp_path):
    bad = tmp_path / "model"
    shutil.copytree(ROOT / "models", bad)
    joblib_file = next(bad.glob("*.joblib"))
    joblib_file.write_bytes(joblib_file.read_bytes()[:-10])
    out = run("suggest", "--model", str(bad), str(EXAMPLE))
    assert out.returncode == 3 and b"does not match its manifest" in out.stderr
