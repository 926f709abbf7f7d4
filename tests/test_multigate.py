"""The multi-pattern gate may only skip rules that cannot match: the pipeline's answers never change."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_prefilter import _WORDS, COMPILED, _corpus

from classifier import multigate
from classifier.multigate import RuleGate, superset_pattern
from classifier.pipeline import build_nlp
from classifier.prefilter import RuleRegex, fold_for_rules

hs = pytest.importorskip("hyperscan", reason="the gate is an optional accelerator (x86-64 wheels)")

RULES = [rule for _, _, rule in COMPILED]


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    import os

    os.environ["PUMP_CODER_CACHE"] = str(tmp_path_factory.mktemp("gate-cache"))
    try:
        return RuleGate(RULES)
    finally:
        del os.environ["PUMP_CODER_CACHE"]


def _matching(rules: list[RuleRegex], text: str) -> set[int]:
    folded = fold_for_rules(text)
    return {i for i, rule in enumerate(rules) if next(iter(rule.finditer(text, folded)), None) is not None}


def _skipped_but_matching(gate: RuleGate, text: str) -> list[str]:
    kept = set(gate.candidates(text, fold_for_rules(text)))
    return [gate.rules[i].regex.pattern[:70] for i in _matching(gate.rules, text) - kept]


def test_every_rule_is_gated_and_the_gate_skips_most_of_them(gate):
    assert gate.active and gate.ungated == []
    texts = _corpus(40)
    kept = [len(gate.candidates(t, fold_for_rules(t))) for t in texts]
    assert sum(kept) / len(kept) < 0.3 * len(RULES)  # the point of the gate: most rules never run


def test_never_skips_a_rule_that_matches_on_the_corpora(gate):
    for text in _corpus(40):
        for variant in (text, text.upper()):
            assert _skipped_but_matching(gate, variant) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(_WORDS), st.sampled_from(_WORDS).map(str.upper),
    # Unicode letters, digits and spaces where Python's \w, \d, \s and \b differ from ASCII ones
    st.sampled_from(["é", "ß", "٣", "\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "µ", "İ", "->", "\n", "2.0",
                     " mg/day", " mL", "(", ")", ":", "_"]),
    st.text(max_size=3),
), max_size=30).map(lambda parts: "".join(p if i % 3 else p + " " for i, p in enumerate(parts))))
def test_never_skips_a_rule_that_matches_on_any_text(gate, text):
    assert _skipped_but_matching(gate, text) == []


@pytest.mark.parametrize(("pattern", "text"), [
    (r"\bpump\w+\s\d", "pumpé\u00a0٣"),  # Unicode word, space and digit
    (r"\u00e9\b", "caf\u00e9 au lait"),
    (r"\d{2}\s{0,2}mg", "١٢\u2003mg"),
    (r"(?<=by\s)me\b", "by me"),  # lookbehind dropped, not refused
    (r"a(?!b)", "ac"),
    (r"[^\w\s]+", "→"),  # a negated class holding categories becomes "any character"
    (r"(a)\1", "aa"),  # a back reference becomes "anything"
    (r"(?>ab|a)c", "abc"),
])
def test_superset_translation_keeps_what_python_matches(pattern, text):
    assert re.search(pattern, text)
    db = hs.Database(mode=hs.HS_MODE_BLOCK)
    db.compile(expressions=[superset_pattern(pattern).encode()], flags=multigate._FLAGS)
    hits = []
    db.scan(text.encode(), match_event_handler=lambda *a: hits.append(a[0]))
    assert hits == [0]


def test_notes_hyperscan_cannot_scan_fall_back_to_every_rule(gate):
    text = "pump refilled \ud800 today"  # a lone surrogate is not valid UTF-8
    assert gate.candidates(text, fold_for_rules(text)) == list(range(len(RULES)))


def test_untranslatable_rules_run_behind_their_literal_gate(tmp_path, monkeypatch):
    monkeypatch.setenv("PUMP_CODER_CACHE", str(tmp_path))
    rules = [RuleRegex(r"\bpump\b"), RuleRegex(r"(?i:refill)", case_sensitive=True)]
    g = RuleGate(rules)
    assert g.ungated == [1]
    assert g.candidates("REFILL only", fold_for_rules("REFILL only")) == [1]
    assert g.candidates("the pump", fold_for_rules("the pump")) == [0, 1]


def test_cache_is_checked_before_loading_and_rebuilt_when_altered(tmp_path, monkeypatch):
    monkeypatch.setenv("PUMP_CODER_CACHE", str(tmp_path))
    rules = [RuleRegex(r"\brefill(?:ed)?\b"), RuleRegex(r"\bpump\b")]
    RuleGate(rules)
    (cached,) = tmp_path.glob("gate-*.hsdb")
    blob = bytearray(cached.read_bytes())
    blob[100] ^= 0xFF  # one flipped byte: the stored sha256 no longer matches
    cached.write_bytes(bytes(blob))
    calls = []
    monkeypatch.setattr(multigate, "_compile", lambda p, real=multigate._compile: calls.append(1) or real(p))
    g = RuleGate(rules)
    assert calls == [1]  # compiled afresh, the altered file never deserialised
    assert g.candidates("refilled", "refilled") == [0]
    assert cached.read_bytes() != bytes(blob)  # and the cache was rewritten


def test_without_hyperscan_every_rule_runs(monkeypatch):
    monkeypatch.setattr(multigate, "hyperscan", None)
    g = RuleGate(RULES[:5])
    assert not g.active and g.candidates("x", "x") == [0, 1, 2, 3, 4]


def test_pipeline_output_is_the_same_with_and_without_the_gate(nlp, monkeypatch):
    monkeypatch.setattr(multigate, "hyperscan", None)
    plain = build_nlp()
    assert not plain.get_pipe("pump_entities")._gate.active and nlp.get_pipe("pump_entities")._gate.active

    def view(doc):
        return [(key, s.start_char, s.end_char, s.label_, s._.negated, s._.historical, s._.hypothetical,
                 s._.family, s._.purpose, s._.section, s._.modifiers)
                for key in ("pump", "pump_devices", "pump_attrs") for s in doc.spans[key]]

    texts = _corpus(15)
    for gated, ungated in zip(nlp.pipe(texts), plain.pipe(texts), strict=True):
        assert view(gated) == view(ungated)


def test_a_rule_hyperscan_refuses_keeps_its_literal_gate_and_the_others_stay_gated(tmp_path, monkeypatch):
    monkeypatch.setenv("PUMP_CODER_CACHE", str(tmp_path))
    rules = [RuleRegex(r"\brefill(?:ed)?\b"), RuleRegex(r"\bpump\b"), RuleRegex(r"\bhuber\b")]
    refused = superset_pattern(rules[1].regex.pattern).encode()
    real = multigate._compile

    def picky(patterns):
        if refused in patterns:
            raise hs.error("refused for the test")
        return real(patterns)

    monkeypatch.setattr(multigate, "_compile", picky)
    g = RuleGate(rules)
    assert g.active and g.ungated == [1]
    assert g.candidates("huber needle", "huber needle") == [1, 2]  # the refused rule always runs
    assert g.candidates("refilled", "refilled") == [0, 1]
    assert not list(tmp_path.glob("gate-*.hsdb"))  # a partial database is not cached under the full key
