"""Explanations that cite each code's descriptor element by element, with evidence from the note.

All wording comes from ``data/catalog.json``; this module only decides which element is met, by
which spans, what argues against the code, and which documentation items the note lacks.
"""

from __future__ import annotations

from typing import Any

from .catalog import Catalog
from .facts import KINDS, STATUSES, Evidence, Facts

MAX_EVIDENCE = 4
STATUS_WORDS = {
    "negated": "negated or not done",
    "historical": "history (an earlier encounter)",
    "hypothetical": "planned or hypothetical",
    "family": "about another person",
    "purpose": "reason for the visit only, not documented as done",
}
KIND_WORDS = {
    "stimulator": "a neurostimulator",
    "other_route": "a pump or port for another route (IV, hepatic artery)",
    "insulin": "an insulin pump",
    "other_device": "another device",
}


def _evidence(facts: Facts, names: list[str]) -> list[dict[str, Any]]:
    seen: set[tuple[int, int]] = set()
    out: list[Evidence] = []
    for name in names:
        for ev in facts.evidence.get(name, ()):
            if (ev.start, ev.end) not in seen:
                seen.add((ev.start, ev.end))
                out.append(ev)
    out.sort(key=lambda e: e.start)
    return [e.to_dict() for e in out[:MAX_EVIDENCE]]


def _elements(entry: dict, facts: Facts) -> list[dict[str, Any]]:
    out = []
    for el in entry["elements"]:
        satisfied = any(facts.has(f) for f in el["facts"])
        out.append(
            {
                "name": el["id"],
                "text": el["text"],
                "required": el["required"],
                "satisfied": satisfied,
                "evidence": _evidence(facts, el["facts"]) if satisfied else [],
            }
        )
    return out


def _against(code: str, entry: dict | None, catalog: Catalog, facts: Facts) -> list[dict[str, Any]]:
    out = []
    for rule in catalog.against:
        if code not in rule["codes"]:
            continue
        if all(facts.has(f) for f in rule["when"]) and not any(facts.has(f) for f in rule.get("unless", ())):
            out.append({"rule": rule["rule"], "text": rule["text"], "evidence": _evidence(facts, rule["when"])})
    if entry is None:
        return out
    for el in entry["elements"]:
        if not el["required"] or any(facts.has(f) for f in el["facts"]):
            continue
        for fact in el["facts"]:
            reasons = [(6, f"{fact}_{st}", f"mentioned only as {STATUS_WORDS[st]}") for st in STATUSES]
            reasons += [(7, f"{fact}_on_{k}", f"the service is on {KIND_WORDS[k]}, not a spinal/brain drug pump")
                        for k in KINDS]
            for rule, name, why in reasons:
                if facts.has(name):
                    out.append({"rule": rule, "text": f"{el['text']}: {why}", "evidence": _evidence(facts, [name])})
    return out


def explain_code(code: str, probability: float, catalog: Catalog, facts: Facts) -> dict[str, Any]:
    """The explanation object for one ranked code (targets in full, neighbours by descriptor)."""
    entry = catalog.codes.get(code)
    if entry is None:
        neighbour = catalog.neighbours.get(code, {})
        return {
            "code": code,
            "family": "neighbour",
            "probability": probability,
            "descriptor": neighbour.get("descriptor", ""),
            "differs": neighbour.get("differs", ""),
            "elements": [],
            "against": [],
            "missing_documentation": [],
        }
    missing = [d["text"] for d in entry["documentation"] if not any(facts.has(f) for f in d["facts"])]
    return {
        "code": code,
        "family": catalog.family(code),
        "probability": probability,
        "descriptor": entry["descriptor"],
        "elements": _elements(entry, facts),
        "against": _against(code, entry, catalog, facts),
        "missing_documentation": missing,
    }
