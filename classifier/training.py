"""Retraining: labelled notes in, a verified model directory out.

The model shipped is the one whose held-out figures the manifest reports (fit on the training
split only), so the numbers describe the file that is loaded. When the hand-written challenge set
is present its figures are recorded too; it is never trained on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.model_selection import train_test_split

from .api import analyse
from .coding_rules import NONE
from .features import Record
from .metrics import code_metrics
from .model import build_estimator, save_model
from .pipeline import get_nlp

log = logging.getLogger(__name__)
REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO / "training_data" / "generated.jsonl"
DEFAULT_CHALLENGE = REPO / "training_data" / "challenge"


def challenge_splits(challenge: Path) -> dict[str, list[Path]]:
    """{'rule_development': [...], 'blind': [...]} from ``splits.json``; unlisted parts count as blind."""
    files = sorted(challenge.glob("*.jsonl"))
    index = challenge / "splits.json"
    dev = set(json.loads(index.read_text())["rule_development"]) if index.is_file() else set()
    return {"rule_development": [f for f in files if f.name in dev], "blind": [f for f in files if f.name not in dev]}


def load_labelled(path: Path) -> list[dict[str, Any]]:
    """Notes from a JSONL file, or from every ``*.jsonl`` in a directory (sorted, for determinism)."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    rows = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    row["text"], row.get("decision")
                except (ValueError, KeyError) as exc:
                    raise ValueError(f"{f}:{lineno}: not a labelled note ({exc})") from None
                rows.append(row)
    return rows


def data_sha256(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        for f in sorted(p.glob("*.jsonl")) if p.is_dir() else [p]:
            h.update(f.read_bytes())
    return h.hexdigest()


def to_records(texts: Sequence[str], batch_size: int = 64, n_process: int = 1) -> list[Record]:
    nlp = get_nlp()
    return [analyse(doc)[1] for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process)]


def labels_of(rows: Sequence[dict[str, Any]]) -> list[str]:
    return [row.get("decision") or NONE for row in rows]


def evaluate_records(estimator: Any, records: Sequence[Record], labels: Sequence[str]) -> dict[str, Any]:
    pred = estimator.predict(list(records))
    y_true = [None if c == NONE else c for c in labels]
    y_pred = [None if c == NONE else str(c) for c in pred]
    rule = [None if r["rule"] == NONE else r["rule"] for r in records]
    return {"model": code_metrics(y_true, y_pred), "rules_only": code_metrics(y_true, rule)}


def train(data: Path = DEFAULT_DATA, out_dir: Path = REPO / "models", seed: int = 13,
          challenge: Path | None = DEFAULT_CHALLENGE, test_size: float = 0.2, n_process: int = 1,
          C: float = 1.0, text_weight: float = 0.2) -> dict[str, Any]:
    """Fit on a stratified split of ``data``, measure the rest (and the challenge set), save."""
    rows = load_labelled(data)
    labels = labels_of(rows)
    log.info("featurising %d notes", len(rows))
    records = to_records([r["text"] for r in rows], n_process=n_process)
    idx = list(range(len(rows)))
    tr, te = train_test_split(idx, test_size=test_size, random_state=seed, stratify=labels)
    estimator = build_estimator(C=C, text_weight=text_weight, seed=seed)
    estimator.fit([records[i] for i in tr], [labels[i] for i in tr])
    metrics = {"held_out": evaluate_records(estimator, [records[i] for i in te], [labels[i] for i in te])}
    if challenge is not None and challenge.is_dir():
        for split, files in challenge_splits(challenge).items():
            crow = [row for f in files for row in load_labelled(f)]
            if crow:
                recs = to_records([r["text"] for r in crow])
                metrics[f"challenge_{split}"] = evaluate_records(estimator, recs, labels_of(crow))
    extra = {
        "training_data": {
            "path": str(data.relative_to(REPO)) if data.is_relative_to(REPO) else str(data),
            "sha256": data_sha256([data]),
            "n_notes": len(rows),
            "n_train": len(tr),
            "n_held_out": len(te),
            "seed": seed,
        },
        "hyperparameters": {"C": C, "text_weight": text_weight, "calibration": "temperature, 5-fold"},
        "metrics": metrics,
    }
    return save_model(estimator, out_dir, extra)
