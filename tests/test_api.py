"""The JSON contract, explanations and evidence offsets, on the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import classifier
from classifier.api import get_coder

EXAMPLES = Path(__file__).resolve().parent.parent / "training_data" / "examples"
TARGETS = {"62362", "62368", "95990", "95991"}


@pytest.fixture(scope="module")
def coder():
    return get_coder()


def all_evidence(result):
    for code in result["codes"]:
        for el in code["elements"]:
            yield from el["evidence"]
        for against in code["against"]:
            yield from against["evidence"]


def test_contract_shape(coder):
    text = (EXAMPLES / "refill_rn.txt").read_text()
    result = coder.suggest(text)
    assert result["decision"] in TARGETS | {None} or isinstance(result["decision"], str)
    assert {c["code"] for c in result["codes"]} >= TARGETS
    probs = [c["probability"] for c in result["codes"]]
    assert probs == sorted(probs, reverse=True)
    for c in result["codes"]:
        assert {"code", "probability", "descriptor", "elements", "against", "missing_documentation"} <= set(c)
        assert 0.0 <= c["probability"] <= 1.0 and c["descriptor"]
        for el in c["elements"]:
            assert {"name", "satisfied", "evidence"} <= set(el)
    json.dumps(result)  # serialisable


def test_examples_decide_as_the_rules_say(coder):
    assert coder.suggest((EXAMPLES / "refill_rn.txt").read_text())["decision"] == "95990"
    assert coder.suggest((EXAMPLES / "reprogram_md.txt").read_text())["decision"] == "62368"
    assert coder.suggest((EXAMPLES / "scs_lookalike.txt").read_text())["decision"] not in TARGETS


def test_evidence_is_exact_text_at_its_offsets(coder):
    for path in EXAMPLES.glob("*.txt"):
        text = path.read_text()
        result = coder.suggest(text)
        evidence = list(all_evidence(result))
        assert evidence, path.name
        for ev in evidence:
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_refill_explanation_cites_elements_and_rule_5(coder):
    text = (EXAMPLES / "refill_rn.txt").read_text()
    result = coder.suggest(text)
    code = next(c for c in result["codes"] if c["code"] == "95990")
    refill = next(e for e in code["elements"] if e["name"] == "refill")
    assert refill["satisfied"] and any("instilled" in e["text"] or "refill" in e["text"].lower()
                                       for e in refill["evidence"])
    staff = next(e for e in code["elements"] if e["name"] == "performer")
    assert staff["satisfied"] and any("RN" in e["text"] for e in staff["evidence"])
    c62368 = next(c for c in result["codes"] if c["code"] == "62368")
    assert any(a["rule"] == 5 for a in c62368["against"])
    assert any(a["rule"] == 2 for a in c62368["against"])


def test_refill_plus_reprogramming_points_to_62369(coder):
    text = "Pump interrogated. Refilled 20 mL baclofen. Dose increased from 150 to 175 mcg/day. -- J. Park, RN"
    result = coder.suggest(text)
    assert result["decision"] == "62369"
    c = next(c for c in result["codes"] if c["code"] == "62368")
    assert any(a["rule"] == 1 for a in c["against"])


def test_missing_documentation_is_listed(coder):
    result = coder.suggest("ITB pump refilled today by the RN.")
    code = next(c for c in result["codes"] if c["code"] == "95990")
    assert "new reservoir volume" in code["missing_documentation"]


def test_deterministic(coder):
    text = (EXAMPLES / "reprogram_md.txt").read_text()
    a = json.dumps(coder.suggest(text), sort_keys=True)
    b = json.dumps(coder.suggest(text), sort_keys=True)
    c = json.dumps(classifier.suggest_batch([text])[0], sort_keys=True)
    assert a == b == c


def test_batch_keeps_order_and_reports_bad_rows():
    good = (EXAMPLES / "refill_rn.txt").read_text()
    out = classifier.suggest_batch(["", b"\x00\x01\x02", good, 42, "x" * 300_000, good], batch_size=2)
    assert len(out) == 6
    assert "empty" in out[0]["error"] and "binary" in out[1]["error"]
    assert "must be text" in out[3]["error"] and "too long" in out[4]["error"]
    assert out[2]["decision"] == out[5]["decision"] == "95990"


@pytest.mark.parametrize("batch_size", [1, 2, 3, 64])
def test_batch_matches_single_suggest_whatever_the_batching(coder, batch_size):
    """Errors first, last and in runs, across batch borders: each slot holds what suggest() says alone."""
    notes = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))]
    items = ["", notes[0], "   ", b"\xff\xfe\x00", notes[1], notes[2], notes[0], "\x00bin", notes[1], ""]
    out = list(coder.suggest_many(items, batch_size=batch_size))
    assert len(out) == len(items)
    for item, got in zip(items, out, strict=True):
        if isinstance(item, str) and item.strip() and "\x00" not in item:
            assert got == coder.suggest(item)
        else:
            assert set(got) == {"error"}


@pytest.mark.slow
def test_two_processes_give_the_same_results(coder):
    notes = [p.read_text() for p in sorted(EXAMPLES.glob("*.txt"))] * 4 + ["", "ok pump note"]
    assert list(coder.suggest_many(notes, batch_size=4, n_process=2)) == list(coder.suggest_many(notes, batch_size=4))
