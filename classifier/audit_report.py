"""``DIR/report.html``: the page a revenue-integrity manager reads after an audit.

One self-contained file (opens from disk, no network, no external URL anywhere): totals per verdict,
charts as base64 PNG (matplotlib, Agg, no pyplot global state), verdicts by any department/provider-like
column, a probability histogram, and the top findings with their evidence marked in the note text at
the exact character offsets. Everything from the input is HTML-escaped.

Statistics are gathered by streaming ``findings.parquet`` batch by batch (a bounded heap keeps the top
findings), so the report costs flat memory like the audit itself; the note text of the few top findings
comes from a second streaming pass over the input, because findings never store whole notes.
"""

from __future__ import annotations

import base64
import heapq
import html
import io
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .audit import FLAGGED, VERDICTS, carried_name, notes_for_rows

GROUP_WORDS = re.compile(r"department|dept|provider|clinic|service[_ ]?line|physician|facility|specialty|location")
MAX_GROUP_COLUMNS = 4
MAX_GROUP_VALUES = 12
HIST_BINS = 20
BATCH_ROWS = 2000  # findings rows turned into Python objects at a time (pyarrow defaults to 65,536)
COLOURS = {"consistent": "#4e9a6a", "mismatch": "#d9822b", "unsupported": "#c23b3b", "missed": "#3b6fc2",
           "error": "#8a8a8a"}
DETAIL_COLUMNS = ("row", "encounter_id", "billed_codes", "billed_pump_codes", "suggested_code", "probability",
                  "verdict", "reason", "evidence", "evidence_against")


def group_columns(extra: list[str]) -> list[str]:
    """Carried columns that look like a department, provider, clinic or service line (case-insensitive)."""
    return [carried_name(c) for c in extra if GROUP_WORDS.search(c.lower())][:MAX_GROUP_COLUMNS]


def collect(findings: Path, groups: list[str], top: int) -> dict[str, Any]:
    """Totals, per-group verdict counts, probability histogram and the top flagged findings, streamed."""
    totals: Counter[str] = Counter()
    by_group: dict[str, dict[str, Counter[str]]] = {g: {} for g in groups}
    hist = {v: [0] * HIST_BINS for v in VERDICTS}
    heap: list[tuple[float, int, dict[str, Any]]] = []
    for batch in pq.ParquetFile(findings).iter_batches(batch_size=BATCH_ROWS, columns=[*DETAIL_COLUMNS, *groups]):
        for rec in batch.to_pylist():
            verdict = rec["verdict"]
            totals[verdict] += 1
            for g in groups:
                value = rec[g] if rec[g] not in (None, "") else "(blank)"
                by_group[g].setdefault(value, Counter())[verdict] += 1
            p = rec["probability"]
            if p is not None:
                hist[verdict][min(HIST_BINS - 1, int(p * HIST_BINS))] += 1
            if verdict in FLAGGED and top > 0:
                item = (p or 0.0, -rec["row"], rec)
                if len(heap) < top:
                    heapq.heappush(heap, item)
                elif item[:2] > heap[0][:2]:
                    heapq.heapreplace(heap, item)
    ranked = [rec for _, _, rec in sorted(heap, key=lambda t: (-t[0], -t[1]))]
    return {"totals": totals, "by_group": by_group, "hist": hist, "top": ranked}


def _png(fig: Any) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def chart_verdicts(totals: Counter[str]) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 2.6))
    ax = fig.add_subplot()
    values = [totals.get(v, 0) for v in VERDICTS]
    bars = ax.barh(list(VERDICTS)[::-1], values[::-1], color=[COLOURS[v] for v in VERDICTS][::-1])
    ax.bar_label(bars, padding=3)
    ax.set_xlabel("rows")
    ax.set_title("Verdicts")
    ax.margins(x=0.15)
    return _png(fig)


def chart_groups(column: str, counts: dict[str, Counter[str]]) -> str:
    from matplotlib.figure import Figure

    values = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))[:MAX_GROUP_VALUES]
    fig = Figure(figsize=(7, 0.45 * len(values) + 1.2))
    ax = fig.add_subplot()
    left = [0] * len(values)
    labels = [v if len(v) <= 30 else v[:29] + "…" for v in values][::-1]
    for verdict in VERDICTS:
        widths = [counts[v].get(verdict, 0) for v in values][::-1]
        ax.barh(labels, widths, left=left, color=COLOURS[verdict], label=verdict)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel("rows")
    ax.set_title(f"Verdicts by {column}" + (f" (top {MAX_GROUP_VALUES})" if len(counts) > MAX_GROUP_VALUES else ""))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _png(fig)


def chart_histogram(hist: dict[str, list[int]]) -> str:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 2.8))
    ax = fig.add_subplot()
    edges = [i / HIST_BINS for i in range(HIST_BINS)]
    bottom = [0] * HIST_BINS
    for verdict in VERDICTS:
        if verdict == "error":
            continue
        ax.bar(edges, hist[verdict], width=1 / HIST_BINS, align="edge", bottom=bottom, color=COLOURS[verdict],
               label=verdict, edgecolor="white", linewidth=0.5)
        bottom = [a + b for a, b in zip(bottom, hist[verdict], strict=True)]
    ax.set_xlim(0, 1)
    ax.set_xlabel("probability of the suggested decision")
    ax.set_ylabel("rows")
    ax.set_title("Model confidence")
    ax.legend(fontsize=8, loc="upper left")
    return _png(fig)


def highlight(note: str, evidence: list[dict[str, Any]], against: list[dict[str, Any]]) -> str:
    """The note, HTML-escaped, with each span in ``<mark>`` at its exact offsets (overlaps: first wins)."""
    spans = [(int(e["start"]), int(e["end"]), "ev", e["text"]) for e in evidence]
    spans += [(int(e["start"]), int(e["end"]), "against", e["text"]) for e in against]
    spans.sort(key=lambda s: (s[0], -s[1]))
    out, pos = [], 0
    for start, end, cls, text in spans:
        if start < pos or end > len(note) or start >= end or note[start:end] != text:
            continue  # overlapping or stale span: leave the text unmarked rather than mis-mark it
        out.append(html.escape(note[pos:start]))
        out.append(f'<mark class="{cls}" data-start="{start}" data-end="{end}">{html.escape(note[start:end])}</mark>')
        pos = end
    out.append(html.escape(note[pos:]))
    return "".join(out)


def _finding_html(rank: int, rec: dict[str, Any], note: str | None) -> str:
    e = html.escape
    evidence = json.loads(rec["evidence"] or "[]")
    against = json.loads(rec["evidence_against"] or "[]")
    body = (f'<pre class="note">{highlight(note, evidence, against)}</pre>' if note is not None
            else '<p class="muted">Note text not available.</p>')
    p = f"{rec['probability']:.2f}" if rec["probability"] is not None else "-"
    return (
        f'<section class="finding {e(rec["verdict"])}" id="finding-{rank}">'
        f'<h3>#{rank} <span class="badge {e(rec["verdict"])}">{e(rec["verdict"])}</span> '
        f'encounter {e(rec["encounter_id"] or "(none)")} <span class="muted">(row {rec["row"]})</span></h3>'
        f'<p>Billed: <b>{e(rec["billed_codes"] or "(none)")}</b> &middot; pump family billed: '
        f'<b>{e(rec["billed_pump_codes"] or "(none)")}</b> &middot; note supports: '
        f'<b>{e(rec["suggested_code"] or "(none)")}</b> (p={p})</p>'
        f'<p class="reason">{e(rec["reason"] or "")}</p>'
        f"<details open><summary>Note with evidence ({len(evidence)} supporting, {len(against)} against)"
        f"</summary>{body}</details></section>"
    )


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;
padding:0 1rem}
h1{margin-bottom:.2rem} .muted{color:#777} table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ddd;padding:.35rem .7rem;text-align:right} th{background:#f4f4f4}
td:first-child{text-align:left}
.charts img{max-width:100%;display:block;margin:1rem 0}
.badge{color:#fff;border-radius:3px;padding:0 .4rem;font-size:.85em}
.badge.consistent{background:#4e9a6a}.badge.mismatch{background:#d9822b}.badge.unsupported{background:#c23b3b}
.badge.missed{background:#3b6fc2}.badge.error{background:#8a8a8a}
.finding{border:1px solid #ddd;border-radius:6px;padding:.2rem 1rem;margin:1rem 0}
pre.note{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.6rem;max-height:28rem;overflow:auto;
font-size:.85em} mark.ev{background:#fff0a0} mark.against{background:#ffc9c9}
dl.legend dt{font-weight:bold;margin-top:.4rem}
"""

LEGEND = {
    "consistent": "the pump-family codes billed are exactly the one the note supports (or none billed and none "
                  "documented)",
    "mismatch": "a pump-family code was billed, but the note supports a different one",
    "unsupported": "a pump-family code was billed, but the note supports none of the family",
    "missed": "the note supports a pump-family code, but none was billed",
    "error": "the row could not be analysed (empty, binary, badly encoded, over-long or malformed); see the reason",
}


def render(stats: dict[str, Any], notes: dict[int, str], meta: dict[str, Any]) -> str:
    """The whole page as one string (no external resource: styles inline, charts as data: URIs)."""
    e = html.escape
    totals: Counter[str] = stats["totals"]
    n = sum(totals.values())
    rows = "".join(
        f'<tr><td><span class="badge {v}">{v}</span></td><td id="total-{v}">{totals.get(v, 0)}</td>'
        f"<td>{(100 * totals.get(v, 0) / n if n else 0):.1f}%</td></tr>" for v in VERDICTS)
    rows += f'<tr><th style="text-align:left">total</th><th id="total-rows">{n}</th><th>100%</th></tr>'
    charts = [("Verdicts", chart_verdicts(totals))]
    for column, counts in stats["by_group"].items():
        if counts:
            charts.append((f"Verdicts by {column}", chart_groups(column, counts)))
    charts.append(("Probability histogram", chart_histogram(stats["hist"])))
    charts_html = "".join(f'<img alt="{e(title)}" src="{src}">' for title, src in charts)
    group_tables = ""
    for column, counts in stats["by_group"].items():
        values = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))[:MAX_GROUP_VALUES]
        head = "".join(f"<th>{v}</th>" for v in VERDICTS)
        body = "".join(f"<tr><td>{e(val)}</td>" + "".join(f"<td>{counts[val].get(v, 0)}</td>" for v in VERDICTS)
                       + "</tr>" for val in values)
        group_tables += f"<h3>By {e(column)}</h3><table><tr><th>{e(column)}</th>{head}</tr>{body}</table>"
    findings = "".join(_finding_html(i + 1, rec, notes.get(rec["row"])) for i, rec in enumerate(stats["top"]))
    if not findings:
        findings = "<p>No mismatched, unsupported or missed pump services found.</p>"
    legend = "".join(f"<dt>{v}</dt><dd>{e(text)}</dd>" for v, text in LEGEND.items())
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Pump coding audit: {e(meta['input_name'])}</title><style>{CSS}</style></head><body>"
        f"<h1>Pump coding audit</h1><p class=\"muted\">Input {e(meta['input_name'])} &middot; {n} rows &middot; "
        f"model {e(meta['model_sha256'][:12])} &middot; generated {e(meta['generated'])}</p>"
        "<p>Billed codes compared with what each note supports, over the pump family 62360-62370, 95990, 95991. "
        "Other billed codes (E/M and so on) are listed but do not change the verdict.</p>"
        f'<h2>Totals</h2><table id="totals"><tr><th>verdict</th><th>rows</th><th>share</th></tr>{rows}</table>'
        f'<dl class="legend">{legend}</dl>'
        f'<h2>Charts</h2><div class="charts">{charts_html}</div>{group_tables}'
        f"<h2>Top findings</h2><p class=\"muted\">Mismatched, unsupported and missed services, highest model "
        f"probability first (at most {meta['top']}). <mark class=\"ev\">Yellow</mark>: evidence for the suggested "
        f"code; <mark class=\"against\">red</mark>: what argues against the billed code.</p>{findings}"
        "</body></html>\n"
    )


def write_report(out: Path, input_path: Path, fmt: str, extra: list[str], chunk_size: int, *, top: int,
                 manifest: dict[str, Any]) -> Path:
    """Build ``out/report.html`` from ``out/findings.parquet`` and the input (for the top notes)."""
    from .audit import atomic_write

    stats = collect(out / "findings.parquet", group_columns(extra), top)
    notes = notes_for_rows(input_path, fmt, extra, chunk_size, {rec["row"] for rec in stats["top"]})
    meta = {"input_name": input_path.name, "model_sha256": str(manifest.get("model_sha256", "")), "top": top,
            "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    target = out / "report.html"
    atomic_write(target, render(stats, notes, meta).encode("utf-8"))
    return target
