"""The fast matcher must match exactly what the plain case-insensitive regexes match."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.prefilter import IgnoreCaseSearch, RuleRegex, RuleUnion, fold, fold_pattern, required_literals
from classifier.resources import load_json

REPO = Path(__file__).resolve().parents[1]
RULES = [(r["pattern"], bool(r.get("case_sensitive"))) for r in load_json("entity_rules.json")["rules"]] + [
    (r["pattern"], False) for r in load_json("context_rules.json")["rules"]
]
ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _pattern_chars() -> set[str]:
    """Every literal character the rule files use (escapes like \\u00b5 decoded), plus printable ASCII."""
    chars = {chr(c) for c in range(32, 127)}
    for pattern, _ in RULES:
        chars |= {c for c in re.sub(r"\\(?:u[0-9a-fA-F]{4}|.)", "", pattern)}
        chars |= {chr(int(h, 16)) for h in re.findall(r"\\u([0-9a-fA-F]{4})", pattern)}
    return chars


def test_fold_keeps_length_and_offsets():
    folded = fold(ALL_CHARS)
    assert len(folded) == len(ALL_CHARS)
    assert fold("İnstilled ΑΣ Kelvin ſ") == "instilled ασ kelvin s"


def test_fold_equals_ignorecase_for_every_character_the_rules_use():
    """For each rule character p and every Unicode character t: re.I matches t to p iff fold(t) == fold(p)."""
    folded = fold(ALL_CHARS)
    for p in sorted(_pattern_chars()):
        by_regex = {m.start() for m in re.finditer(re.escape(p), ALL_CHARS, re.IGNORECASE)}
        target = fold(p)
        by_fold = {i for i in range(len(folded)) if folded[i] == target} if len(target) == 1 else set()
        assert by_regex == by_fold, (p, sorted(by_regex ^ by_fold)[:5])


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\bhuber(?:\s+needle)?\b", {"huber"}),
    (r"\b(?:insulin|omnipod)\s+pump", {"insulin", "omnipod"}),  # the more selective of the two
    (r"\bre-?\s?fill?(?:ed|ing|s)?\b", {"fil"}),
    (r"\b(?:foo|ba[rz])\b", {"foo", "ba"}),
    (r"\d+\s*m[l]\b", {"ml"}),
    (r"(?:abc)?x?", None),
])
def test_required_literals(pattern, expected):
    found = required_literals(pattern)
    assert (None if found is None else set(found)) == expected


def _plain(pattern: str, case_sensitive: bool, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text, 0 if case_sensitive else re.IGNORECASE)]


def _fast(rule: RuleRegex, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rule.finditer(text, fold(text))]


COMPILED = [(p, cs, RuleRegex(p, cs)) for p, cs in RULES]


def _corpus(n: int) -> list[str]:
    texts = []
    paths = [REPO / "training_data" / "generated.jsonl", *sorted((REPO / "training_data/challenge").glob("*.jsonl"))]
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for _, line in zip(range(n), fh, strict=False)]
    return texts


def test_same_matches_as_plain_regexes_on_the_corpora():
    for text in _corpus(10):
        variants = (text, text.upper(), text.swapcase())
        for pattern, cs, rule in COMPILED:
            for t in variants:
                assert _fast(rule, t) == _plain(pattern, cs, t), pattern[:60]


_WORDS = sorted({w for p, _ in RULES for w in re.findall(r"[A-Za-z]{3,}", fold_pattern(p))})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(_WORDS).map(str.upper), st.sampled_from(_WORDS), st.sampled_from(_WORDS).map(str.title),
    st.sampled_from(["İ", "ı", "ſ", "\u212a", "µ", "μ", "ß", "Σ", "ς", "->", "\n", ": ", " 2.0 mg/day", " 20 mL", "-"]),
    st.text(max_size=3),
), max_size=40).map(" ".join))
def test_same_matches_as_plain_regexes_on_any_text(text):
    for pattern, cs, rule in COMPILED:
        assert _fast(rule, text) == _plain(pattern, cs, text), pattern[:60]


@pytest.mark.parametrize(("pattern", "fast"), [
    (r"\b(?:ab|b)c", True),
    (r"\b(?:no|not|none)\b", True),
    (r"\b[0-9a-c]\s*mg", True),  # a leading class is a fast path too
    (r"\b\d+\s*mg", False),  # a repeat first: the engine has no first-character set for it
    (r"\b(?:\d+|mg)", False),  # a branch starting with a class: no fast path, the plain regex runs
    (r"\b\.5", False),  # a non-word first character: "\b" means something else there
    (r"\b(?<!x)ab", True),  # a lookbehind first: moved after the literal ("a(?<!xa)b")
    (r"\b(?:but|(?<!by\s)(?<!x)then|so)\b", True),  # the same in one alternative of the branch
    (r"\b(?<!x)\d", False),  # a lookbehind before a class: left alone
    (r"(?:\bab)", False),
])
def test_leading_word_boundary_fast_path(pattern, fast):
    rule = RuleRegex(pattern)
    assert (rule.word_start is not None) == fast
    for text in ("abc bc xbc aab-c _bc 1bc", "none not nothing no", "12 mg x12mg 3mg 1mg b mg", "a.5 .5", "xab ab",
                 "but by then, xthen so x1 1 then.thenso"):
        assert _fast(rule, text) == _plain(pattern, False, text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(["_", "1", "é", "-", " "])), max_size=30)
       .map("".join))
def test_same_matches_when_words_run_together(text):
    """Rule words glued to other words: the boundary check must reject exactly what ``\\b`` rejects."""
    for pattern, cs, rule in COMPILED:
        assert _fast(rule, text) == _plain(pattern, cs, text), pattern[:60]


def test_ocr_repairs_keep_length_and_fix_scanning_confusions():
    from classifier.prefilter import fold_for_rules

    text = "Vo1ume instilled: 2O mL. Refi11ed by RN. lnterrogation done. Prometra ll. Changed? N0. T11 level, 10 mL."
    repaired = fold_for_rules(text)
    assert len(repaired) == len(text)
    assert "volume instilled: 20 ml" in repaired and "refilled" in repaired and "interrogation" in repaired
    assert "prometra ii" in repaired and "changed? no" in repaired
    assert "t11 level, 10 ml" in repaired  # digits that belong to the note are left alone


_OCR_RULES = load_json("ocr.json")["rules"]


def _ocr_plain(folded: str) -> str:
    for r in _OCR_RULES:
        table = str.maketrans(r["map"])
        folded = re.sub(r["pattern"], lambda m, t=table: m.group().translate(t), folded)
    return folded


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["vo1ume", "n0", "2o", "2ooo", "lnterrogation", "lt", " ll", "ll", "1", "0", "o", "l",
                                 "a", "t", "n", " ", "\n", "ml", "ch1orhexidine"]), max_size=25).map("".join))
def test_gated_ocr_repairs_are_the_sequential_substitutions(text):
    from classifier.prefilter import _ocr_repair

    assert _ocr_repair()(text) == _ocr_plain(text)


UNIONS = [
    [r["pattern"] for r in load_json("context_rules.json")["rules"] if r["category"] == category]
    for category in ("PSEUDO", "TERMINATE")
] + [
    [r"\bthen\b", r"\bwe\s+then\s+\w+", r"e\s+t", r"[;|]"],  # one rule's matches inside another's
    [r"ab", r"b", r"abc", r"(?<=a)bc", r"c\w*"],  # same start, rule order breaks the tie; overlaps re-scanned
]


@pytest.mark.parametrize("patterns", UNIONS)
def test_rule_union_is_the_alternation(patterns):
    union = RuleUnion(patterns)
    assert union.separate
    joined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    for text in [*_corpus(5), "we then increased; abc abcd xbc bca, then we then\n", "ababcbc cab"]:
        assert union.spans(text, fold(text)) == [m.span() for m in joined.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*_WORDS[:40], "we", "then", "i", "a", "b", "c", "abc", " ", ";", "->", ",", "\n",
                                 "be done", "prior", "to"]), max_size=30).map("".join))
def test_rule_union_is_the_alternation_on_any_text(text):
    for patterns in UNIONS:
        joined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        assert RuleUnion(patterns).spans(text, fold(text)) == [m.span() for m in joined.finditer(text)]


def test_rule_union_runs_the_joined_regex_when_a_rule_could_match_empty():
    union = RuleUnion([r"a*", r"\bb"])
    assert not union.separate
    assert union.spans("xab b", "xab b") == [m.span() for m in re.finditer(r"(?:a*)|(?:\bb)", "xab b")]


_WHOLE_NOTE = [load_json("context_rules.json")["corrections"]["pattern"]] + [
    p for k, p in load_json("context_rules.json")["performer_roles"].items() if k != "description"
]


@pytest.mark.parametrize(("pattern", "folded"), [
    (r"\bI\s+have\s+reviewed\b", True),
    (r"(?m)^[\s*-]*co-?signed\b", True),
    (r"\b(?-i:[A-Z])\w+", False),  # a case-sensitive part: the fold would lose it
    (r"[A-z]+", False),  # a range across letters and punctuation folds to another range
    (r"\x41b", False),  # an escaped capital stays capital in the folded pattern
    (r"caf\u00e9", False),  # a non-ASCII literal: outside what the fold is tested on
    (r"(a)\1", False),  # a back reference
])
def test_ignore_case_search_folds_only_where_exact(pattern, folded):
    search = IgnoreCaseSearch(pattern)
    assert (search.rule is not None) == folded
    texts = ("I have reviewed it. i HAVE REVIEWED\n * Co-Signed x", "Abc aBC café CAFÉ", "xAb \u0345I have reviewed")
    for text in texts:
        for pos in (0, 3, 20):
            m = re.compile(pattern, re.IGNORECASE).search(text, pos)
            assert search.start(text, fold(text), pos) == (None if m is None else m.start())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from(_WORDS), st.sampled_from(_WORDS).map(str.upper),
    st.sampled_from(["I have reviewed the", "cosigned", "entered in error", "correction", "above", "\n", " ", "-",
                     "\u0345", "İ", "ı", "\u212a", "ſ", "I personally performed", "under my direction"]),
), max_size=30).map(" ".join), st.integers(0, 40))
def test_ignore_case_search_is_the_plain_search(text, pos):
    for pattern in _WHOLE_NOTE:
        m = re.compile(pattern, re.IGNORECASE).search(text, pos)
        assert IgnoreCaseSearch(pattern).start(text, fold(text), pos) == (None if m is None else m.start())
