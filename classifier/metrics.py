"""The figures a coding manager asks for, computed the same way for training, tests and reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.metrics import accuracy_score, f1_score

from .catalog import get_catalog

TARGET_FAMILIES = ("62362", "62368", "95990-95991")


def family_of(code: str | None) -> str:
    """'62362', '62368', '95990-95991', or 'other' (a neighbour or nothing)."""
    fam = get_catalog().family(code)
    return fam if fam in TARGET_FAMILIES else "other"


def family_metrics(y_true: Sequence[str | None], y_pred: Sequence[str | None]) -> dict[str, Any]:
    """Family accuracy on notes documenting one of the three, false suggestions on the rest."""
    ft = [family_of(c) for c in y_true]
    fp = [family_of(c) for c in y_pred]
    pos = [(t, p) for t, p in zip(ft, fp, strict=True) if t != "other"]
    neg = [p for t, p in zip(ft, fp, strict=True) if t == "other"]
    refills = [(t, p) for t, p in zip(y_true, y_pred, strict=True) if t in ("95990", "95991")]
    return {
        "n": len(ft),
        "n_target": len(pos),
        "n_other": len(neg),
        "family_accuracy": sum(t == p for t, p in pos) / len(pos) if pos else None,
        "false_suggestion_rate": sum(p != "other" for p in neg) / len(neg) if neg else None,
        "refill_95990_vs_95991_accuracy": sum(t == p for t, p in refills) / len(refills) if refills else None,
    }


def code_metrics(y_true: Sequence[str | None], y_pred: Sequence[str | None]) -> dict[str, Any]:
    """Exact-code accuracy and macro F1 (None counts as its own class), plus the family figures."""
    t = [c or "none" for c in y_true]
    p = [c or "none" for c in y_pred]
    return {
        "accuracy": accuracy_score(t, p),
        "macro_f1": f1_score(t, p, average="macro", zero_division=0),
        **family_metrics(y_true, y_pred),
    }
