"""``python -m classifier evaluate``: the project against simpler alternatives, on the same notes, same metrics.

A coding manager deciding whether to trust the tool needs its accuracy next to what a keyword list, a plain
text classifier or an off-the-shelf clinical NLP engine would give, how far its probabilities can be taken
at face value, and whether its explanations point at the phrases a coder would point at. Systems:

* ``model``: the shipped model's decision (``Coder.suggest_many``), with its probability;
* ``rules``: the rules-only decision (``rule.code``) from the same facts, no model;
* ``keyword``, ``tfidf``, ``medspacy``: the baselines of :mod:`classifier.baselines`
  (medspaCy runs in its own venv through ``benchmarks/medspacy_baseline.py``; unavailable is recorded, not fatal).

Data: the hand-written challenge set (all parts, and each split of ``splits.json``) and the held-out 20% of
the generated notes, re-made with the split the shipped model was trained with (same file, seed and size),
so neither the model nor the TF-IDF baseline has seen it. ``--data`` replaces both with the given files.

Writes ``evaluation.md``, ``figures.json`` (every number in the report), ``predictions.jsonl`` (one line per
note and system: ids, labels, probabilities, never text), ``errors.jsonl`` and the PNG plots
(:mod:`classifier.evaluate_report`). Logs carry counts only, never note text.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import classification_report, confusion_matrix, f1_score
from sklearn.model_selection import train_test_split

from .baselines import KeywordBaseline, decision_probability, make_tfidf_baseline
from .catalog import get_catalog
from .metrics import TARGET_FAMILIES, code_metrics, family_of
from .model import rules_sha256
from .training import (
    DEFAULT_CHALLENGE,
    DEFAULT_DATA,
    REPO,
    challenge_splits,
    data_sha256,
    labels_of,
    load_labelled,
)

log = logging.getLogger(__name__)

NONE_LABEL = "none"
TARGET_CODES = ("62362", "62368", "95990", "95991")
N_BINS = 10
SYSTEMS = {
    "model": "pump-coder (model)",
    "rules": "pump-coder (rules only)",
    "keyword": "keyword rules",
    "tfidf": "TF-IDF + LR",
    "medspacy": "medspaCy ConText + keywords",
}
SYSTEM_DESCRIPTIONS = {
    "model": "the shipped model's decision and its calibrated probability (facts + rule verdict + words)",
    "rules": "the rules-page decision (rules 1-8) from the same extracted facts, no model; no probability",
    "keyword": "keyword/regex rules a coder might write (classifier/data/baseline_keywords.json), first rule "
               "that fires wins; no probability",
    "tfidf": "TF-IDF word 1-2-grams + logistic regression (C=10, untuned) on the raw text, trained on the "
             "shipped model's training split; probability = its top-class predict_proba",
    "medspacy": "medspaCy 1.3 default pipeline (PyRuSH sentences, TargetMatcher on the keyword baseline's "
                "contextual terms, ConText default rules + rule-6 cue words), then the keyword baseline's "
                "decision rules on the hits ConText leaves asserted; no probability",
}
MEDSPACY_SCRIPT = Path("benchmarks") / "medspacy_baseline.py"
MEDSPACY_TIMEOUT_S = 3600

Span = tuple[int, int]


# ------------------------------------------------------------------------------------------------ metrics


def neighbour_accuracy(y_true: Sequence[str | None], y_pred: Sequence[str | None]) -> dict[str, Any]:
    """Share of notes whose truth is a neighbouring code (not one of the three, not none) given exactly it."""
    catalog = get_catalog()
    pairs = [(t, p) for t, p in zip(y_true, y_pred, strict=True) if catalog.family(t) == "neighbour"]
    return {"n_neighbour": len(pairs),
            "neighbour_accuracy": sum(t == p for t, p in pairs) / len(pairs) if pairs else None}


def _bin_ids(prob: np.ndarray, n_bins: int) -> np.ndarray:
    """Equal-width bin of each probability, as ``sklearn.calibration.calibration_curve`` bins them."""
    return np.searchsorted(np.linspace(0.0, 1.0, n_bins + 1)[1:-1], prob)


def expected_calibration_error(correct: Sequence[bool], prob: Sequence[float], n_bins: int = N_BINS) -> float | None:
    """ECE: sum over equal-width bins of (bin share) x |accuracy in bin - mean probability in bin|.

    ``correct`` says whether each prediction was right and ``prob`` is the probability given to it
    (top-label ECE); for one-vs-rest ECE pass "truth is class c" and the probability of c.
    """
    y = np.asarray(correct, dtype=float)
    p = np.asarray(prob, dtype=float)
    if not len(p):
        return None
    ids = _bin_ids(p, n_bins)
    total = sum(abs(y[ids == b].sum() - p[ids == b].sum()) for b in range(n_bins))
    return float(total / len(p))


def reliability(correct: Sequence[bool], prob: Sequence[float], n_bins: int = N_BINS) -> dict[str, list[float]]:
    """Reliability curve (``calibration_curve``, uniform bins) with the number of predictions in each shown bin."""
    y = np.asarray(correct, dtype=int)
    p = np.asarray(prob, dtype=float)
    if not len(p):
        return {"prob_pred": [], "prob_true": [], "count": []}
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    counts = np.bincount(_bin_ids(p, n_bins), minlength=n_bins)
    return {"prob_pred": [round(float(v), 6) for v in prob_pred],
            "prob_true": [round(float(v), 6) for v in prob_true],
            "count": [int(c) for c in counts[counts > 0]]}


def phrase_spans(text: str, phrases: Sequence[str]) -> list[Span]:
    """Every occurrence (``str.find``, overlapping ones included) of every annotated phrase in the text."""
    spans: list[Span] = []
    for phrase in phrases:
        if not phrase:
            continue
        start = text.find(phrase)
        while start >= 0:
            spans.append((start, start + len(phrase)))
            start = text.find(phrase, start + 1)
    return spans


def overlaps(a: Span, b: Span) -> bool:
    """Half-open character ranges share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def evidence_quality(texts: Sequence[str], phrases: Sequence[Sequence[str]], y_true: Sequence[str | None],
                     y_pred: Sequence[str | None], spans: Sequence[Sequence[Span] | None]) -> dict[str, Any]:
    """Do the spans an explanation cites fall on the annotated deciding phrases?

    Eligible notes: truth in one of the three families, decision exactly the truth, at least one annotated
    phrase. ``hit_rate``: share of eligible notes where at least one cited span overlaps at least one
    occurrence of an annotated phrase (a note citing nothing is a miss). ``phrase_recall``: mean share of a
    note's annotated phrases overlapped by a cited span. ``span_precision``: mean share of a note's cited
    spans that overlap an annotated phrase (notes citing something).
    """
    hits, recalls, precisions, n_eligible, n_empty = 0, [], [], 0, 0
    for text, gold, t, p, cited in zip(texts, phrases, y_true, y_pred, spans, strict=True):
        if family_of(t) not in TARGET_FAMILIES or p != t or not gold:
            continue
        n_eligible += 1
        cited = list(cited or [])
        gold_spans = phrase_spans(text, gold)
        hit = any(overlaps(s, g) for s in cited for g in gold_spans)
        hits += hit
        recalls.append(np.mean([any(overlaps(s, g) for s in cited for g in phrase_spans(text, [ph]))
                                for ph in dict.fromkeys(gold)]))
        if cited:
            precisions.append(np.mean([any(overlaps(s, g) for g in gold_spans) for s in cited]))
        else:
            n_empty += 1
    return {
        "n_eligible": n_eligible,
        "n_no_spans": n_empty,
        "hit_rate": hits / n_eligible if n_eligible else None,
        "phrase_recall": float(np.mean(recalls)) if recalls else None,
        "span_precision": float(np.mean(precisions)) if precisions else None,
    }


def _labels(codes: Sequence[str | None]) -> list[str]:
    return [c or NONE_LABEL for c in codes]


def score(y_true: Sequence[str | None], y_pred: Sequence[str | None], prob: Sequence[float | None] | None = None,
          target_proba: Sequence[dict[str, float] | None] | None = None,
          spans: Sequence[Sequence[Span] | None] | None = None, texts: Sequence[str] | None = None,
          phrases: Sequence[Sequence[str]] | None = None) -> dict[str, Any]:
    """Every figure of the report for one system on one slice (None where the system gives no such output)."""
    t, p = _labels(y_true), _labels(y_pred)
    out: dict[str, Any] = {**code_metrics(y_true, y_pred), **neighbour_accuracy(y_true, y_pred)}
    out["target_macro_f1"] = float(f1_score(t, p, labels=list(TARGET_CODES), average="macro", zero_division=0))
    out["per_code"] = classification_report(t, p, labels=sorted(set(t) | set(p)), output_dict=True,
                                            zero_division=0)
    out["ece"] = out["classwise_ece"] = out["mean_probability"] = out["reliability"] = None
    if prob is not None:
        keep = [i for i, q in enumerate(prob) if q is not None]
        correct = [t[i] == p[i] for i in keep]
        probs = [float(prob[i]) for i in keep]  # type: ignore[arg-type]
        out["ece"] = expected_calibration_error(correct, probs)
        out["mean_probability"] = float(np.mean(probs)) if probs else None
        out["reliability"] = reliability(correct, probs)
    if target_proba is not None:
        keep = [i for i, d in enumerate(target_proba) if d is not None]
        per = {c: expected_calibration_error([t[i] == c for i in keep], [target_proba[i][c] for i in keep])
               for c in TARGET_CODES}
        out["classwise_ece"] = {**per, "mean": float(np.mean([v for v in per.values() if v is not None]))}
    out["evidence"] = (evidence_quality(texts, phrases, y_true, y_pred, spans)
                       if spans is not None and texts is not None and phrases is not None else None)
    return out


# --------------------------------------------------------------------------------------------------- data


@dataclass
class Note:
    """One labelled note to score; ``source``/``part``/``split`` place it in the report's slices."""

    id: str
    text: str
    truth: str | None
    evidence: list[str]
    source: str
    part: str
    split: str


@dataclass
class Predictions:
    """One system's output for every note (aligned with the note list); None fields: not produced."""

    decision: list[str | None]
    probability: list[float | None] | None = None
    target_proba: list[dict[str, float] | None] | None = None
    spans: list[list[Span] | None] | None = None
    extra: dict[str, list[Any]] = field(default_factory=dict)


def _rel(path: Path) -> str:
    path = path.resolve()
    for base in (REPO, Path.cwd()):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def _note(row: dict[str, Any], source: str, part: str, split: str) -> Note:
    return Note(str(row.get("id")), row["text"], row.get("decision"), list(row.get("evidence") or []),
                source, part, split)


def held_out_split(rows: Sequence[dict[str, Any]], seed: int, test_size: float) -> tuple[list[int], list[int]]:
    """Training and held-out indices exactly as :func:`classifier.training.train` makes them."""
    return train_test_split(list(range(len(rows))), test_size=test_size, random_state=seed, stratify=labels_of(rows))


def default_notes(challenge: Path, held_out_rows: Sequence[dict[str, Any]]) -> list[Note]:
    """The challenge set (part and split of each note) and the held-out generated notes."""
    notes = []
    if challenge.is_dir():
        for split, files in challenge_splits(challenge).items():
            for f in files:
                notes += [_note(r, "challenge", f.name, split) for r in load_labelled(f)]
    notes += [_note(r, "held_out", "generated", "held_out") for r in held_out_rows]
    return notes


def data_notes(paths: Sequence[Path]) -> list[Note]:
    """Notes of the files given with ``--data``, one source per path (its file or directory name)."""
    notes = []
    for path in paths:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        source = path.stem if path.is_file() else path.name
        for f in files:
            notes += [_note(r, source, f.name, source) for r in load_labelled(f)]
    return notes


def slices_of(notes: Sequence[Note], challenge_splits_too: bool) -> dict[str, list[int]]:
    """Report slices: each source; the challenge set also per split (rule_development / blind)."""
    out: dict[str, list[int]] = {}
    for i, n in enumerate(notes):
        out.setdefault(n.source, []).append(i)
    if challenge_splits_too and "challenge" in out:
        for split in ("rule_development", "blind"):
            out[f"challenge / {split}"] = [i for i in out["challenge"] if notes[i].split == split]
    return out


# ------------------------------------------------------------------------------------------------ systems


def decision_spans(result: dict[str, Any], code: str | None) -> list[Span]:
    """The evidence spans the explanation of ``code`` cites (its satisfied elements); [] for no code."""
    for entry in result.get("codes", []):
        if entry["code"] == code:
            return sorted({(e["start"], e["end"]) for el in entry["elements"] if el["satisfied"]
                           for e in el["evidence"]})
    return []


def run_project(notes: Sequence[Note], model_dir: str | None, batch_size: int = 64
                ) -> tuple[Predictions, Predictions, dict[str, Any]]:
    """The model's and the rules-only decisions for every note, from one ``suggest_many`` pass."""
    from .api import Coder

    coder = Coder(model_dir)
    model = Predictions([], [], [], [], {"rule_number": []})
    rules = Predictions([], None, None, [])
    n_errors = 0
    for result in coder.suggest_many((n.text for n in notes), batch_size=batch_size):
        if "error" in result:  # unanalysable input: no decision, left out of calibration
            n_errors += 1
            for preds in (model, rules):
                preds.decision.append(None)
                preds.spans.append([])  # type: ignore[union-attr]
            model.probability.append(None)  # type: ignore[union-attr]
            model.target_proba.append(None)  # type: ignore[union-attr]
            model.extra["rule_number"].append(None)
            continue
        decision, rule = result["decision"], result["rule"]["code"]
        model.decision.append(decision)
        model.probability.append(float(result["probability"]))  # type: ignore[union-attr]
        model.target_proba.append({c["code"]: float(c["probability"]) for c in result["codes"]  # type: ignore[union-attr]
                                   if c["code"] in TARGET_CODES})
        model.spans.append(decision_spans(result, decision))  # type: ignore[union-attr]
        model.extra["rule_number"].append(result["rule"]["rule"])
        rules.decision.append(rule)
        rules.spans.append(decision_spans(result, rule))  # type: ignore[union-attr]
    return model, rules, {"sha256": coder.model.manifest.get("sha256"), "manifest": coder.model.manifest,
                          "dir": str(coder.model_dir or ""), "n_errors": n_errors}


def run_keyword(notes: Sequence[Note]) -> Predictions:
    """The keyword baseline's decisions and the spans of the rule that fired."""
    kb = KeywordBaseline().fit()
    decided = kb.explain([n.text for n in notes])
    return Predictions([None if d.code == kb.none_label_ else d.code for d in decided],
                       spans=[d.spans for d in decided])


def run_tfidf(train_texts: Sequence[str], train_labels: Sequence[str], notes: Sequence[Note], seed: int
              ) -> Predictions:
    """Fit TF-IDF + LR on the training split, predict every note with its top-class probability."""
    est = make_tfidf_baseline(seed=seed).fit(list(train_texts), list(train_labels))
    texts = [n.text for n in notes]
    labels, top = decision_probability(est, texts)
    proba = est.predict_proba(texts)
    classes = [str(c) for c in est.classes_]
    cols = {c: classes.index(c) for c in TARGET_CODES if c in classes}
    target = [{c: float(row[cols[c]]) if c in cols else 0.0 for c in TARGET_CODES} for row in proba]
    return Predictions([None if c == NONE_LABEL else str(c) for c in labels], [float(p) for p in top], target)


def medspacy_script() -> Path | None:
    """``benchmarks/medspacy_baseline.py`` of the checkout (or of the working directory), if present."""
    for base in (REPO, Path.cwd()):
        if (base / MEDSPACY_SCRIPT).is_file():
            return base / MEDSPACY_SCRIPT
    return None


def run_medspacy(notes: Sequence[Note]) -> tuple[Predictions | None, str | None]:
    """The medspaCy baseline through its script (its own venv), or (None, reason) when it cannot run."""
    script = medspacy_script()
    if script is None:
        return None, f"{MEDSPACY_SCRIPT} not found (run from a source checkout)"
    with tempfile.TemporaryDirectory(prefix="pump-coder-eval-") as tmp:
        src, dst = Path(tmp) / "notes.jsonl", Path(tmp) / "predictions.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, n in enumerate(notes):
                fh.write(json.dumps({"id": i, "text": n.text}) + "\n")
        try:
            done = subprocess.run([sys.executable, str(script), str(src), str(dst)], capture_output=True, text=True,
                                  timeout=MEDSPACY_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return None, f"timed out after {MEDSPACY_TIMEOUT_S} s"
        if done.returncode:
            last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            return None, last.removeprefix("unavailable: ")[:300]
        rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines() if line.strip()]
    if len(rows) != len(notes):
        return None, f"the script returned {len(rows)} predictions for {len(notes)} notes"
    return Predictions([r["decision"] for r in rows], spans=[[tuple(s) for s in r["spans"]] for r in rows]), None


# ------------------------------------------------------------------------------------------------- driver


@dataclass
class EvalConfig:
    """What to evaluate and where to write it (the CLI's options)."""

    out: Path = Path("reports")
    data: list[Path] | None = None
    model_dir: str | None = None
    train_data: Path | None = None
    challenge: Path = DEFAULT_CHALLENGE
    medspacy: bool = True
    command: str = "python -m classifier evaluate"


def _split_params(manifest: dict[str, Any]) -> tuple[int, float]:
    """Seed and held-out share the shipped model was trained with (the train defaults if not recorded)."""
    td = manifest.get("training_data", {})
    seed = int(td.get("seed", 13))
    test_size = td["n_held_out"] / td["n_notes"] if td.get("n_notes") and td.get("n_held_out") else 0.2
    return seed, test_size


def _subset(preds: Predictions, idx: Sequence[int]) -> dict[str, Any]:
    def pick(values: list[Any] | None) -> list[Any] | None:
        return None if values is None else [values[i] for i in idx]

    return {"y_pred": pick(preds.decision), "prob": pick(preds.probability),
            "target_proba": pick(preds.target_proba), "spans": pick(preds.spans)}


def evaluate(config: EvalConfig) -> dict[str, Any]:
    """Run every system on every slice; write the report files; return the figures (figures.json)."""
    from .evaluate_report import write_outputs

    t0 = time.perf_counter()
    manifest = _manifest(config.model_dir)
    seed, test_size = _split_params(manifest)
    train_path = config.train_data or (REPO / manifest["training_data"]["path"]
                                       if manifest.get("training_data", {}).get("path") else DEFAULT_DATA)
    train_rows = load_labelled(train_path)
    tr, te = held_out_split(train_rows, seed, test_size)
    train_hash = data_sha256([train_path])
    split_info = {
        "file": _rel(train_path), "sha256": train_hash, "seed": seed, "test_size": round(test_size, 6),
        "n_train": len(tr), "n_held_out": len(te),
        "matches_model": train_hash == manifest.get("training_data", {}).get("sha256"),
    }
    if config.data:
        notes = data_notes(config.data)
        sources = {p.stem if p.is_file() else p.name: {"files": [_rel(p)], "sha256": data_sha256([p])}
                   for p in config.data}
    else:
        notes = default_notes(config.challenge, [train_rows[i] for i in te])
        sources = {
            "challenge": {"files": [_rel(config.challenge)], "sha256": data_sha256([config.challenge])},
            "held_out": {"files": [_rel(train_path)], "sha256": train_hash,
                         "note": f"the held-out {len(te)} of {len(train_rows)} (seed {seed})"},
        }
    for name, src in sources.items():
        src["n"] = sum(n.source == name for n in notes)
    log.info("evaluating %d notes (%s)", len(notes), ", ".join(f"{k}: {v['n']}" for k, v in sources.items()))

    timing: dict[str, float] = {}
    preds: dict[str, Predictions | None] = {}
    unavailable: dict[str, str] = {}
    t = time.perf_counter()
    preds["model"], preds["rules"], model_info = run_project(notes, config.model_dir)
    timing["model+rules"] = time.perf_counter() - t
    t = time.perf_counter()
    preds["keyword"] = run_keyword(notes)
    timing["keyword"] = time.perf_counter() - t
    t = time.perf_counter()
    preds["tfidf"] = run_tfidf([train_rows[i]["text"] for i in tr], [labels_of([train_rows[i]])[0] for i in tr],
                               notes, seed)
    timing["tfidf (fit+predict)"] = time.perf_counter() - t
    if config.medspacy:
        t = time.perf_counter()
        preds["medspacy"], reason = run_medspacy(notes)
        timing["medspacy (incl. venv check)"] = time.perf_counter() - t
        if reason:
            unavailable["medspacy"] = reason
            log.warning("medspaCy baseline unavailable: %s", reason)
    else:
        preds["medspacy"], unavailable["medspacy"] = None, "skipped (--no-medspacy)"

    slices = slices_of(notes, challenge_splits_too=not config.data)
    results: dict[str, dict[str, Any]] = {}
    for name, idx in slices.items():
        results[name] = {}
        if not idx:
            continue
        y_true = [notes[i].truth for i in idx]
        texts = [notes[i].text for i in idx]
        phrases = [notes[i].evidence for i in idx]
        for key, p in preds.items():
            results[name][key] = None if p is None else score(y_true, texts=texts, phrases=phrases, **_subset(p, idx))
    per_part: dict[str, dict[str, Any]] = {}
    for part in dict.fromkeys(n.part for n in notes if n.source == "challenge" or config.data):
        idx = [i for i, n in enumerate(notes) if n.part == part]
        y_true = [notes[i].truth for i in idx]
        per_part[part] = {"split": notes[idx[0]].split, **{
            k: code_metrics(y_true, [preds[k].decision[i] for i in idx])  # type: ignore[union-attr]
            for k in ("model", "rules")}}

    cm_slice = "challenge" if "challenge" in slices else next(iter(slices))
    cm_idx = slices[cm_slice]
    catalog = get_catalog()
    present = {c for i in cm_idx for c in (notes[i].truth, preds["model"].decision[i])}  # type: ignore[union-attr]
    order = [c for c in TARGET_CODES if c in present]
    order += sorted(c for c in present if c and c not in TARGET_CODES and catalog.family(c) == "neighbour")
    order += [c for c in sorted(filter(None, present)) if c not in order] + [NONE_LABEL]
    matrix = confusion_matrix(_labels([notes[i].truth for i in cm_idx]),
                              _labels([preds["model"].decision[i] for i in cm_idx]), labels=order)  # type: ignore[union-attr]

    figures = {
        "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": config.command,
        "model": {"dir": _rel(Path(model_info["dir"])) if model_info["dir"] else "models/ (default)",
                  "sha256": model_info["sha256"], "n_input_errors": model_info["n_errors"],
                  "rules_match_model": manifest.get("rules_sha256") == rules_sha256(),
                  "manifest_held_out": manifest.get("metrics", {}).get("held_out"),
                  "training_data": manifest.get("training_data")},
        "training_split": split_info,
        "data": sources,
        "challenge_splits_file": _rel(config.challenge / "splits.json") if not config.data else None,
        "systems": {k: {"name": SYSTEMS[k], "description": SYSTEM_DESCRIPTIONS[k], "available": preds[k] is not None,
                        "reason": unavailable.get(k)} for k in SYSTEMS},
        "slices": {name: {"n": len(idx)} for name, idx in slices.items()},
        "results": results,
        "per_part": per_part,
        "confusion_matrix": {"slice": cm_slice, "system": "model", "labels": order, "matrix": matrix.tolist()},
        "seconds": {k: round(v, 1) for k, v in timing.items()},
        "environment": {"python": sys.version.split()[0], "cpu_count": os.cpu_count()},
    }
    figures["seconds"]["total"] = round(time.perf_counter() - t0, 1)
    write_outputs(config.out, figures, notes, preds)
    log.info("evaluation written to %s in %.0f s", config.out, figures["seconds"]["total"])
    return figures


def _manifest(model_dir: str | None) -> dict[str, Any]:
    """The model's manifest, read without unpickling (the Coder verifies and loads the model itself)."""
    from .model import MANIFEST_FILE, ModelError, default_model_dir

    path = (Path(model_dir) if model_dir else default_model_dir()) / MANIFEST_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(f"no readable model manifest at {path}: {exc}") from exc


def cmd_evaluate(args: Any) -> int:
    """The ``evaluate`` subcommand: run, write the report, print the headline table."""
    from .evaluate_report import headline_table

    argv = ["python -m classifier evaluate"]
    for flag, value in (("--data", args.data), ("--out", args.out if args.out != "reports" else None),
                        ("--model", args.model),
                        ("--train-data", args.train_data)):
        for v in (value if isinstance(value, list) else [value] if value else []):
            argv.append(f"{flag} {v}")
    if args.no_medspacy:
        argv.append("--no-medspacy")
    config = EvalConfig(out=Path(args.out), data=[Path(p) for p in args.data] if args.data else None,
                        model_dir=args.model, train_data=Path(args.train_data) if args.train_data else None,
                        medspacy=not args.no_medspacy, command=" ".join(argv))
    for path in config.data or []:
        if not path.exists():
            print(f"error: no such data file or directory: {path}", file=sys.stderr)
            return 2
    figures = evaluate(config)
    print("\n".join(headline_table(figures)))
    print(f"\nreport written to {config.out / 'evaluation.md'}")
    return 0
