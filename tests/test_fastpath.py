"""Guard + scan rewriting gives a rule the engine's first-character fast path and never changes its matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.fastpath import alternative_scans, split_rule
from classifier.prefilter import RuleRegex, fold

PATTERNS = {  # pattern -> whether it is rewritten
    r"(?<![\d/])\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?(?![\d/])": True,  # a lookbehind, then a repeat
    r"\b\d+(?:\.\d+)?\s*(?:mcg|mg)\s*/\s*(?:d|day)\b": True,  # a boundary before a digit
    r"\d+(?:\.\d+)?\s*%": True,  # a repeat first: no guard, only unrolled
    r"\d{2,3}?x": True,  # lazy repeat
    r"(?<=,\s)(?:md|do|np)\b(?=\s*[.,)\n]|\s*$)": True,  # a lookbehind before a literal branch
    r"(?<!a)(?<!b)\w+c": True,  # several assertions and a category repeat
    r"(?:but|(?<!by\s)(?<!x)then|so)\b": True,  # a branch: its lookbehinds moved after the first literal
    r"\bpump": False,  # already fast: the literal prefix (after the prefilter's own \b handling)
    r"x?y": False,  # no first-character set even when unrolled
    r"(?<!x)\d*": False,  # could match empty
    r"(a)\d+\1": False,  # a back reference
}
TEXTS = [
    "12/3/24 on 1/2, 3/4/2024 10/14 x12/3 1/2/3/4 /5/6 5/6/",
    "2 mg/day 2.5mg / d x2mg/day 3 mcg/day, 10mg/dayz 1.5 mg /day",
    "50% 2.5 % x5% 1.%",
    "123x 12x 1x 1234x",
    "Smith, md. Jones, do) Lee, np\n x, md , md, mdx",
    "abc bc ac xc cc aabc _c ébc",
    "but by then, xthen so then.thenso bybut",
]


def _same_matches(pattern: str, text: str, pos: int = 0) -> bool:
    """The rewritten rule finds exactly what ``re`` finds (case-sensitive, so the fold is not used)."""
    rule = RuleRegex(pattern, case_sensitive=True)
    found = [m.span() for m in rule.finditer(text, fold(text), pos)]
    return found == [m.span() for m in re.compile(pattern).finditer(text, pos)]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_rewritten_only_where_it_helps_and_same_matches(pattern):
    assert (RuleRegex(pattern, case_sensitive=True).split is not None) == PATTERNS[pattern]
    assert all(_same_matches(pattern, text) for text in TEXTS)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789/ .,%xabcmdgy\n(é_-thenbuso", max_size=60))
def test_same_matches_on_any_text(text):
    assert all(_same_matches(pattern, text) for pattern in PATTERNS)


def test_split_keeps_no_fast_path_rules_whole():
    assert split_rule(r"\bpump") is not None  # the split itself would apply; RuleRegex prefers its \b check
    assert RuleRegex(r"\bpump").split is None and RuleRegex(r"\bpump").word_start is not None


ALTERNATIVE_PATTERNS = {  # pattern -> number of scans it is split into (None: left alone)
    r"(?:[:=|-][,\s]*|\b)(?:no|none)\b": 2,  # a branch first: one scan per alternative
    r"\(?(?:\b(?:in|on)\s+)?\d{1,2}/\d{2}": 3,  # optional parts first: with, then without each
    r"(?<![\d/])(?:\d{1,2}/){0,2}(?:19|20)\d{2}": 2,  # an optional repeat: once more, or not at all
    r"(?:ab)??c": 2,  # lazy: without first
    r"(?:a|b*)c": 3,  # ac, then b*c as bb*c or c
    r"(?:a|.)c": None,  # an alternative with no fast path however split (.c)
    r"(?:x|y)?": None,  # could match empty
    r"(a)?\1": None,  # a back reference
}
ALT_TEXTS = [
    "pump: no. refill:none x-no =, none ano nonex",
    "on 10/24 (in 3/24) in  12/24 (1/24) on1/24 x1/24",
    "1/2/2024 12/2019 /1/2020 2024 1920 x2020 12/12/12/2019",
    "abc c ababc ac bc xbbc .c",
]


@pytest.mark.parametrize("pattern", ALTERNATIVE_PATTERNS)
def test_alternatives_split_only_where_each_has_a_fast_path_and_same_matches(pattern):
    scans = alternative_scans(pattern)
    assert (None if scans is None else len(scans)) == ALTERNATIVE_PATTERNS[pattern]
    assert all(_same_matches(pattern, text, pos) for text in ALT_TEXTS for pos in (0, 1, 5))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789/ .,:=|-()abcinoex\n", max_size=60))
def test_alternatives_same_matches_on_any_text(text):
    assert all(_same_matches(pattern, text) for pattern in ALTERNATIVE_PATTERNS)
