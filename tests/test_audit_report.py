"""report.html: self-contained, totals that match the findings, evidence marked at the exact offsets."""

from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from test_audit import pick_notes

from classifier.audit import run_audit
from classifier.audit_report import highlight, write_report

CHROMIUM = Path("/usr/bin/chromium")
INJECTED = "\n<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    n = pick_notes()
    refill, rd = n["refill"]
    family, fd = n["family"]
    none, _ = n["none"]
    rows = [
        (refill + INJECTED, "62368"),  # mismatch, with markup in the note that must stay text
        (family, ""),  # missed
        (none, "62368"),  # unsupported
        (refill, rd),  # consistent
        ("", "95990"),  # error
        (family, "99213"),  # missed
    ]
    df = pd.DataFrame({"encounter_id": [f"R{i}" for i in range(len(rows))], "note_text": [t for t, _ in rows],
                       "billed_codes": [b for _, b in rows], "Department": ["Dept <A>", "B", "B", "C", "C", "B"],
                       "provider_name": ["Dr X", "Dr Y", "Dr X", "Dr Y", "Dr X", "Dr Y"], "mrn": ["1"] * len(rows)})
    folder = tmp_path_factory.mktemp("report")
    src = folder / "in.parquet"
    df.to_parquet(src)
    out = folder / "out"
    run_audit(src, out, chunk_size=4, progress=False, top=10)
    findings = pd.read_csv(out / "findings.csv", dtype=str, keep_default_na=False)
    return df, findings, out, (out / "report.html").read_text(encoding="utf-8")


def sections(page: str) -> list[str]:
    return page.split('<section class="finding')[1:]


def test_self_contained_no_external_urls(audited):
    page = audited[3]
    assert "http://" not in page and "https://" not in page and "//" not in re.sub(r"data:[^\"]+", "", page)
    srcs = re.findall(r'\ssrc="([^"]*)"', page)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert not re.search(r"<(link|script|iframe|object|embed)\b", page, re.I)
    for s in srcs:
        assert base64.b64decode(s.split(",", 1)[1]).startswith(b"\x89PNG")


def test_totals_match_findings(audited):
    _, findings, _, page = audited
    counts = findings["verdict"].value_counts()
    for verdict in ("consistent", "mismatch", "unsupported", "missed", "error"):
        assert f'id="total-{verdict}">{counts.get(verdict, 0)}<' in page
    assert f'id="total-rows">{len(findings)}<' in page
    assert counts["missed"] == 2 and counts["error"] == 1


def test_charts_for_verdicts_groups_and_probability(audited):
    page = audited[3]
    for alt in ("Verdicts", "Verdicts by Department", "Verdicts by provider_name", "Probability histogram"):
        assert f'alt="{alt}"' in page
    assert "Verdicts by mrn" not in page


def test_top_findings_ranked_and_marks_at_exact_offsets(audited):
    df, findings, _, page = audited
    flagged = findings[findings["verdict"].isin(["mismatch", "unsupported", "missed"])]
    secs = sections(page)
    assert len(secs) == len(flagged) == 4
    rows = [int(re.search(r"\(row (\d+)\)", s).group(1)) for s in secs]
    probs = [float(findings["probability"][r]) for r in rows]
    assert probs == sorted(probs, reverse=True)
    marked = 0
    for row, sec in zip(rows, secs, strict=True):
        note = df["note_text"][row]
        for start, end, inner in re.findall(r'<mark class="[a-z]+" data-start="(\d+)" data-end="(\d+)">(.*?)</mark>',
                                            sec, re.S):
            assert html.unescape(inner) == note[int(start):int(end)]
            marked += 1
        text = html.unescape(re.sub(r"<[^>]+>", "", sec.split('<pre class="note">', 1)[1].split("</pre>")[0]))
        assert text == note  # the whole note is shown, only wrapped in marks
    assert marked >= 3


def test_note_markup_is_escaped(audited):
    page = audited[3]
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in page
    assert "Dept &lt;A&gt;" in page


def test_top_is_bounded(audited, tmp_path):
    df, _, out, _ = audited
    src = out.parent / "in.parquet"
    shutil.copy(out / "findings.parquet", tmp_path / "findings.parquet")
    write_report(tmp_path, src, "parquet", ["Department", "provider_name", "mrn"], 4, top=1, manifest={})
    assert len(sections((tmp_path / "report.html").read_text())) == 1


def test_highlight_skips_overlaps_and_stale_spans():
    note = "a <refill> & analysis"
    ev = [{"start": 2, "end": 10, "text": "<refill>"}, {"start": 3, "end": 9, "text": "refill"},
          {"start": 13, "end": 21, "text": "analysis"}, {"start": 0, "end": 1, "text": "z"}]
    out = highlight(note, ev, [{"start": 11, "end": 12, "text": "&"}])
    assert out == ('a <mark class="ev" data-start="2" data-end="10">&lt;refill&gt;</mark> '
                   '<mark class="against" data-start="11" data-end="12">&amp;</mark> '
                   '<mark class="ev" data-start="13" data-end="21">analysis</mark>')


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium not installed (Debian package chromium)")
def test_renders_in_headless_chromium(audited, tmp_path):
    _, findings, out, _ = audited
    res = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", (out / "report.html").as_uri()],
        capture_output=True, timeout=120)
    dom = res.stdout.decode()
    assert res.returncode == 0 and "<h1>Pump coding audit</h1>" in dom, res.stderr.decode()[-1000:]
    counts = findings["verdict"].value_counts()
    for verdict in ("consistent", "mismatch", "unsupported", "missed", "error"):
        assert re.search(rf'id="total-{verdict}"[^>]*>{counts.get(verdict, 0)}<', dom)
    assert f'id="total-rows">{len(findings)}<' in dom
    assert "<script>alert" not in dom  # the note's markup stayed text in the rendered DOM
