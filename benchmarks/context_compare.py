"""Score our pump_context against medspaCy's ConText + Sectionizer on the same cases: accuracy and speed.

Usage: ``python benchmarks/context_compare.py [--docs N] [--long-notes N] [--repeats N]``

medspaCy 1.3 pins ``spacy<3.8`` on Python < 3.12 while this project runs spaCy 3.8, so medspaCy lives in its
own virtualenv, ``benchmarks/.venv-medspacy`` (created on the first run, reused afterwards, git-ignored by a
``.gitignore`` inside it). This same file is the helper run inside that venv (``--medspacy-helper``): it reads
one JSON request on stdin and writes one JSON answer on stdout. Only the standard library is imported at
module level so that both interpreters can load it.

Outputs a Markdown report on stdout and ``benchmarks/results/context_compare.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CASES_PATH = BENCH / "context_cases.jsonl"
RESULTS_PATH = BENCH / "results" / "context_compare.json"
LONG_NOTES_PATH = ROOT / "training_data" / "generated.jsonl"
VENV = BENCH / ".venv-medspacy"
SETUP_RECORD = VENV / "setup.json"
MEDSPACY_REQ = "medspacy==1.3.1"

STATUSES = ("asserted", "negated", "historical", "hypothetical", "family")
PRIORITY = ("family", "negated", "historical", "hypothetical")  # first flag set wins, else "asserted"
MISSED = "missed"  # the system found no span overlapping the target
SERVICE_LABELS = frozenset({"REFILL", "REPROGRAM", "ANALYSIS", "IMPLANT", "REPLACE", "EXPLANT"})
MEDSPACY_SECTION_FLAGS = (  # medspaCy section category -> our flag (besides the Sectionizer's own span_attrs)
    (re.compile(r"^past_.*history$"), "historical"),
    (re.compile(r"^family_history$"), "family"),
)

Case = dict[str, Any]
Flags = dict[str, bool]


# ----------------------------------------------------------------------------------------------- common


def status_of(flags: Flags) -> str:
    """One status from context flags: family > negated > historical > hypothetical > asserted."""
    return next((name for name in PRIORITY if flags.get(name)), "asserted")


def best_overlap(spans: Iterable[Any], start: int, end: int) -> Any | None:
    """The span (with ``start_char``/``end_char``) overlapping [start, end) the most, or None."""
    scored = [(min(end, s.end_char) - max(start, s.start_char), s) for s in spans]
    scored = [(n, s) for n, s in scored if n > 0]
    return max(scored, key=lambda t: t[0])[1] if scored else None


def timed_pipe(nlp: Any, texts: list[str], repeats: int) -> dict[str, Any]:
    """Docs/s of ``nlp.pipe`` over ``texts`` (one process, after a warm-up): median of ``repeats`` runs."""
    for _ in nlp.pipe(texts[:50]):
        pass
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        runs.append(time.perf_counter() - t0)
    median = statistics.median(runs)
    return {
        "docs": len(texts),
        "chars": sum(map(len, texts)),
        "seconds": [round(r, 4) for r in runs],
        "docs_per_s": round(len(texts) / median, 1),
    }


# ----------------------------------------------------------------------------------- medspaCy (helper side)


def build_medspacy(targets: list[str], sentences: str) -> Any:
    """medspaCy default pipeline (``pyrush``) or the same with spaCy's plain sentencizer, plus Sectionizer
    (default rules) and one TargetRule per target; ConText keeps its default rules."""
    import medspacy
    from medspacy.target_matcher import TargetRule

    if sentences == "pyrush":
        nlp = medspacy.load()
    else:
        nlp = medspacy.load(
            medspacy_enable=["medspacy_tokenizer", "medspacy_target_matcher", "medspacy_context"]
        )
        nlp.add_pipe("sentencizer", before="medspacy_target_matcher")
    nlp.add_pipe("medspacy_sectionizer")
    nlp.get_pipe("medspacy_target_matcher").add([TargetRule(t, "PUMP_SERVICE") for t in sorted(set(targets))])
    return nlp


def medspacy_flags(ent: Any) -> tuple[Flags, str]:
    """Our flags from a medspaCy entity (POSSIBLE_EXISTENCE counts as hypothetical) and its section."""
    x = ent._
    section = x.section_category or "none"
    flags = {
        "negated": x.is_negated,
        "historical": x.is_historical,
        "hypothetical": x.is_hypothetical or x.is_uncertain,
        "family": x.is_family,
    }
    for rx, flag in MEDSPACY_SECTION_FLAGS:
        if rx.match(section):
            flags[flag] = True
    return flags, section


def medspacy_helper() -> None:
    """Inside the venv: predict every case with each pipeline variant and time the speed sets."""
    from importlib.metadata import version

    from loguru import logger

    logger.remove()  # PyRuSH logs each sentence-boundary decision at DEBUG to stderr: silence it
    req = json.load(sys.stdin)
    cases, out = req["cases"], {"variants": {}}
    for variant in ("pyrush", "sentencizer"):
        nlp = build_medspacy([c["target"] for c in cases], variant)
        preds = []
        for case, doc in zip(cases, nlp.pipe(c["text"] for c in cases), strict=True):
            ent = best_overlap(doc.ents, case["start"], case["end"])
            if ent is None:
                preds.append({"status": MISSED, "span": None, "section": None, "modifiers": []})
                continue
            flags, section = medspacy_flags(ent)
            mods = [[m.category, doc[slice(*m.modifier_span)].text] for m in ent._.modifiers]
            preds.append(
                {"status": status_of(flags), "span": ent.text, "section": section, "modifiers": mods}
            )
        speed = {name: timed_pipe(nlp, texts, req["repeats"]) for name, texts in req["speed_sets"].items()}
        out["variants"][variant] = {"pipe_names": nlp.pipe_names, "predictions": preds, "speed": speed}
    out["versions"] = {p: version(p) for p in ("medspacy", "spacy", "PyRuSH")}
    out["python"] = platform.python_version()
    json.dump(out, sys.stdout)


# ---------------------------------------------------------------------------------------- venv management


def venv_python() -> Path:
    """The medspaCy venv's interpreter."""
    return VENV / "bin" / "python"


def ensure_venv() -> dict[str, Any]:
    """Create the medspaCy venv unless a working one exists; say whether it was created and how long it took
    (the time of the original creation when reused)."""
    probe = [str(venv_python()), "-c", "import medspacy"]
    if venv_python().exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        record = json.loads(SETUP_RECORD.read_text()) if SETUP_RECORD.exists() else {}
        return {"created_now": False, "setup_seconds": record.get("setup_seconds")}
    print(f"creating {VENV.relative_to(ROOT)} with {MEDSPACY_REQ} ...", file=sys.stderr)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    (VENV / ".gitignore").write_text("*\n")  # as Python >= 3.13's venv does: keep the venv out of git
    pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", MEDSPACY_REQ]
    done = subprocess.run(pip, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"pip install {MEDSPACY_REQ} failed in {VENV}")
    seconds = round(time.perf_counter() - t0, 1)
    SETUP_RECORD.write_text(json.dumps({"setup_seconds": seconds, "requirement": MEDSPACY_REQ}))
    return {"created_now": True, "setup_seconds": seconds}


def run_medspacy(cases: list[Case], speed_sets: dict[str, list[str]], repeats: int) -> dict[str, Any]:
    """Run :func:`medspacy_helper` in the venv and return its answer."""
    req = {"cases": cases, "speed_sets": speed_sets, "repeats": repeats}
    cmd = [str(venv_python()), str(Path(__file__).resolve()), "--medspacy-helper"]
    done = subprocess.run(cmd, input=json.dumps(req), capture_output=True, text=True, cwd=BENCH)
    if done.returncode:
        sys.stderr.write(done.stderr[-5000:])
        raise SystemExit("the medspaCy helper failed")
    return json.loads(done.stdout)


# ------------------------------------------------------------------------------------------------ ours


def run_ours(cases: list[Case], speed_sets: dict[str, list[str]], repeats: int) -> dict[str, Any]:
    """Predict every case with our pipeline (purpose counts as hypothetical) and time the speed sets."""
    sys.path.insert(0, str(ROOT))
    from importlib.metadata import version

    from classifier.pipeline import build_nlp

    nlp = build_nlp()
    preds = []
    for case, doc in zip(cases, nlp.pipe(c["text"] for c in cases), strict=True):
        services = [s for s in doc.spans["pump"] if s.label_ in SERVICE_LABELS]
        span = best_overlap(services, case["start"], case["end"])
        if span is None:
            preds.append({"status": MISSED, "span": None, "section": None, "modifiers": []})
            continue
        x = span._
        flags = {
            "negated": x.negated,
            "historical": x.historical,
            "hypothetical": x.hypothetical or x.purpose,
            "family": x.family,
        }
        mods = [[cat, trig] for cat, trig, _s, _e in x.modifiers]
        preds.append(
            {
                "status": status_of(flags),
                "span": span.text,
                "label": span.label_,
                "section": x.section,
                "modifiers": mods,
            }
        )
    speed = {name: timed_pipe(nlp, texts, repeats) for name, texts in speed_sets.items()}
    return {
        "pipe_names": nlp.pipe_names,
        "predictions": preds,
        "speed": speed,
        "versions": {"spacy": version("spacy")},
        "python": platform.python_version(),
    }


# --------------------------------------------------------------------------------------------- scoring


def load_cases(path: Path = CASES_PATH) -> list[Case]:
    """The cases, each with the character offsets of its target (first occurrence)."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        start = case["text"].find(case["target"])
        if start < 0 or case["status"] not in STATUSES:
            raise ValueError(f"bad case {case['id']}: target not in text or unknown status")
        cases.append({**case, "start": start, "end": start + len(case["target"])})
    return cases


def score(gold: list[str], pred: list[str]) -> dict[str, Any]:
    """Accuracy, per-status precision/recall/support and the confusion counts."""
    correct = sum(g == p for g, p in zip(gold, pred, strict=True))
    per_status = {}
    for status in STATUSES:
        tp = sum(g == p == status for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = pred.count(status), gold.count(status)
        per_status[status] = {
            "support": n_gold,
            "predicted": n_pred,
            "precision": round(tp / n_pred, 3) if n_pred else None,
            "recall": round(tp / n_gold, 3) if n_gold else None,
        }
    confusion = Counter(f"{g}->{p}" for g, p in zip(gold, pred, strict=True) if g != p)
    return {
        "n": len(gold),
        "correct": correct,
        "accuracy": round(correct / len(gold), 3),
        "missed_targets": pred.count(MISSED),
        "per_status": per_status,
        "confusion": dict(confusion),
    }


def speed_sets(cases: list[Case], n_docs: int, n_long: int) -> dict[str, list[str]]:
    """Case texts cycled to ``n_docs`` docs, and the first ``n_long`` generated full notes if present."""
    sets = {"cases": list(itertools.islice(itertools.cycle([c["text"] for c in cases]), n_docs))}
    if n_long and LONG_NOTES_PATH.exists():
        with LONG_NOTES_PATH.open(encoding="utf-8") as fh:
            sets["long_notes"] = [json.loads(line)["text"] for line in itertools.islice(fh, n_long)]
    return sets


# -------------------------------------------------------------------------------------------- reporting


def fmt(x: float | None, digits: int = 3) -> str:
    """A number for the table ('-' for None)."""
    return "-" if x is None else f"{x:.{digits}f}"


def markdown(report: dict[str, Any]) -> str:
    """The Markdown summary printed to stdout."""
    systems = report["systems"]
    names = list(systems)
    sets = list(systems[names[0]]["speed"])
    lines = [
        "## Context detection: ours vs medspaCy",
        "",
        f"{report['n_cases']} cases; CPU count {report['cpu_count']}; speed = docs/s, one process, "
        f"median of {report['repeats']} runs",
        "",
        "| system | accuracy | correct | "
        + " | ".join(f"docs/s ({s}, n={systems[names[0]]['speed'][s]['docs']})" for s in sets)
        + " |",
        "|---|---|---|" + "---|" * len(sets),
    ]
    for name in names:
        sys_ = systems[name]
        speeds = " | ".join(f"{sys_['speed'][s]['docs_per_s']:.0f}" for s in sets)
        lines.append(
            f"| {name} | {fmt(sys_['score']['accuracy'])} | {sys_['score']['correct']}/"
            f"{sys_['score']['n']} | {speeds} |"
        )
    lines += ["", "| speed ratio (ours / other) | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for name in names[1:]:
        lines.append(
            f"| ours / {name} | " + " | ".join(f"{report['speed_ratio'][name][s]:.1f}x" for s in sets) + " |"
        )
    lines += [
        "",
        "| status | support | " + " | ".join(f"{n} P | {n} R" for n in names) + " |",
        "|---|---|" + "---|---|" * len(names),
    ]
    for status in STATUSES:
        cells = []
        for name in names:
            ps = systems[name]["score"]["per_status"][status]
            cells += [fmt(ps["precision"]), fmt(ps["recall"])]
        support = systems[names[0]]["score"]["per_status"][status]["support"]
        lines.append(f"| {status} | {support} | " + " | ".join(cells) + " |")
    for name in names:
        errors = systems[name]["errors"]
        lines += ["", f"### {name}: {len(errors)} wrong", ""]
        if name != "ours":
            lines.append(
                "by confusion (gold->predicted): "
                + ", ".join(
                    f"{k} {v}"
                    for k, v in sorted(systems[name]["score"]["confusion"].items(), key=lambda t: -t[1])
                )
            )
            continue
        lines += [
            "| id | text | target | expected | ours | modifiers / section |",
            "|---|---|---|---|---|---|",
        ]
        for e in errors:
            text = e["text"].replace("\n", " \u23ce ").replace("|", "\\|")
            mods = "; ".join(f"{c}:{t}" for c, t in e["modifiers"]) or "-"
            lines.append(
                f"| {e['id']} | {text} | {e['target']} | {e['expected']} | {e['predicted']} | "
                f"{mods} / {e['section']} |"
            )
    setup = report["medspacy_venv"]
    lines += [
        "",
        f"medspaCy venv: {'created now' if setup['created_now'] else 'reused'}, setup took "
        f"{setup['setup_seconds']} s; versions {report['versions']}",
    ]
    return "\n".join(lines)


def errors_of(cases: list[Case], preds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cases a system got wrong, with what it saw."""
    return [
        {
            "id": c["id"],
            "text": c["text"],
            "target": c["target"],
            "expected": c["status"],
            "predicted": p["status"],
            "span": p["span"],
            "section": p["section"],
            "modifiers": p["modifiers"],
        }
        for c, p in zip(cases, preds, strict=True)
        if p["status"] != c["status"]
    ]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Set up the venv, score and time both systems, print the report and write the JSON results."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000, help="case texts cycled to this many docs for speed")
    ap.add_argument("--long-notes", type=int, default=300, help="full generated notes for speed (0: none)")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per speed set (median reported)")
    args = ap.parse_args(argv)

    venv = ensure_venv()
    cases = load_cases()
    texts = speed_sets(cases, args.docs, args.long_notes)
    request = [{k: c[k] for k in ("id", "text", "target", "start", "end")} for c in cases]
    ours = run_ours(cases, texts, args.repeats)
    med = run_medspacy(request, texts, args.repeats)

    gold = [c["status"] for c in cases]
    systems: dict[str, dict[str, Any]] = {"ours": ours}
    systems["medspacy"] = med["variants"]["pyrush"]
    systems["medspacy (sentencizer)"] = med["variants"]["sentencizer"]
    for sys_ in systems.values():
        preds = sys_["predictions"]
        sys_["score"] = score(gold, [p["status"] for p in preds])
        sys_["errors"] = errors_of(cases, preds)

    def ratio(name: str, speed_set: str) -> float:
        return round(
            ours["speed"][speed_set]["docs_per_s"] / systems[name]["speed"][speed_set]["docs_per_s"], 2
        )

    report = {
        "n_cases": len(cases),
        "status_counts": dict(Counter(gold)),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "repeats": args.repeats,
        "medspacy_venv": venv,
        "versions": {
            "ours": {"python": ours["python"], **ours["versions"]},
            "medspacy_venv": {"python": med["python"], **med["versions"]},
        },
        "speed_ratio": {
            name: {s: ratio(name, s) for s in ours["speed"]} for name in systems if name != "ours"
        },
        "systems": systems,
    }
    print(markdown(report))
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS_PATH.relative_to(ROOT)}", file=sys.stderr)
    return report


if __name__ == "__main__":
    if sys.argv[1:] == ["--medspacy-helper"]:
        medspacy_helper()
    else:
        main()
