"""Fast rule matching: case folding once per note, and a literal gate per regex.

Two costs dominate a pass of ~200 rule regexes over a note with Python's ``re``:

* ``re.IGNORECASE`` turns off the engine's first-character fast paths. Folding the note once
  (:func:`fold`, same length, so offsets are unchanged) and matching lower-cased patterns
  case-sensitively gives the same matches at lower cost.
* most rules can only match where one of a few literal strings occurs ("stimulat", "insulin",
  "huber"). :func:`required_literals` reads those strings off the parsed pattern (the "required
  substring" analysis of RE2's prefilter and trigram code search); a rule whose literals are all
  absent from the note is skipped with a C-level substring test.

* a pattern that starts with ``\\b`` gets none of the engine's first-character fast path either (an
  assertion comes first), and most rules start ``\\b(?:word|word|...)``. When every first character the
  rest can match is a word character, ``\\b`` there just means "no word character before", so the rule
  scans with the rest and checks that one character itself (:func:`_starts_with_word_char`): about 3x
  faster per rule.

None of these changes what a rule matches; tests/test_prefilter.py checks the equivalence exhaustively
for the characters the rules use and on the corpora.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, partial
from re import _compiler, _parser
from re import _constants as C  # noqa: N812  (the parser's opcode names)

from spacy.tokens import Doc

from .fastpath import (
    alternative_scans,
    guarded_finditer,
    hoist_lookbehinds,
    leftmost_first,
    split_rule,
    uses_backrefs,
)
from .resources import doc_text, load_json

# re.IGNORECASE compares simple lower-case mappings plus a few extra equivalences (CPython's
# sre _equivalences); str.lower() is the full mapping, which differs only for U+0130.
_PRE = str.maketrans({"\u0130": "i"})
_POST = str.maketrans({
    "\u0131": "i", "\u017f": "s", "\u03bc": "\u00b5", "\u0345": "\u03b9", "\u1fbe": "\u03b9",
    "\u1fd3": "\u0390", "\u1fe3": "\u03b0", "\u03d0": "\u03b2", "\u03f5": "\u03b5", "\u03d1": "\u03b8",
    "\u03f0": "\u03ba", "\u03d6": "\u03c0", "\u03f1": "\u03c1", "\u03c2": "\u03c3", "\u03d5": "\u03c6",
    "\u1e9b": "\u1e61", "\ufb05": "\ufb06", "\u1c80": "\u0432", "\u1c81": "\u0434", "\u1c82": "\u043e",
    "\u1c83": "\u0441", "\u1c84": "\u0442", "\u1c85": "\u0442", "\u1c86": "\u044a", "\u1c87": "\u0463",
    "\u1c88": "\ua64b",
})

Literals = frozenset[str]


def fold(text: str) -> str:
    """The note as case-insensitive matching sees it; same length, so offsets carry over."""
    return text.translate(_PRE).lower().translate(_POST)


class OcrRepair:
    """Same-length repairs of scanning confusions ('vo1ume', '2O mL', 'lnterrogation') on folded text.

    The rules in ``data/ocr.json`` only ever swap one character for another, so every offset found on the
    repaired text is an offset into the note; the note itself is never changed."""

    def __init__(self, rules: list[dict]) -> None:
        from .multigate import RuleGate  # multigate imports this module

        self._rules = [(re.compile(r["pattern"]), str.maketrans(r["map"])) for r in rules]
        # almost no note needs a repair, yet each rule costs a scan (they start with a lookbehind: no fast path)
        self._gate = RuleGate([RuleRegex(r["pattern"], case_sensitive=True) for r in rules])

    def __call__(self, folded: str) -> str:
        """The repaired text. The gate, asked about the text before any repair, may skip a rule only while no
        earlier rule has changed the text."""
        candidates = set(self._gate.candidates(folded, folded))
        changed = False
        for k, (rx, table) in enumerate(self._rules):
            if changed or k in candidates:
                repaired = rx.sub(lambda m, t=table: m.group().translate(t), folded)
                changed = changed or repaired != folded
                folded = repaired
        return folded


@cache
def _ocr_repair() -> OcrRepair:
    return OcrRepair(load_json("ocr.json")["rules"])


def fold_for_rules(text: str) -> str:
    """:func:`fold`, then the OCR repairs: the text every case-insensitive rule matches against."""
    return _ocr_repair()(fold(text))


FOLDED_KEY = "pump_coder.folded"


def doc_folded(doc: Doc) -> str:
    """:func:`fold_for_rules` of the Doc's text, computed once per Doc (entities and ConText both match on it)."""
    text = doc_text(doc)
    cached = doc.user_data.get(FOLDED_KEY)
    if cached is None or len(cached) != len(text):
        cached = fold_for_rules(text)
        doc.user_data[FOLDED_KEY] = cached
    return cached


def fold_pattern(pattern: str) -> str:
    """A pattern for :func:`fold`-ed text: literal characters folded, escapes (``\\S``, ``\\u00b5``) kept."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(fold(pattern[i]))
            i += 1
    return "".join(out)


def _char(op: object, av: object) -> str | None:
    """The character a single-character item must match, if it is exactly one character."""
    if op is C.LITERAL:
        return chr(av)  # type: ignore[arg-type]
    if op is C.IN and len(av) == 1 and av[0][0] is C.LITERAL:  # type: ignore[arg-type,index]
        return chr(av[0][1])  # type: ignore[index]
    return None


def _best(a: Literals | None, b: Literals | None) -> Literals | None:
    """The more selective of two gates that both hold: longer shortest literal, then fewer literals."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))


def _sequence(items: list) -> Literals | None:
    best: Literals | None = None
    run = ""
    for op, av in items:
        ch = _char(op, av)
        if ch is not None:
            run += ch
            continue
        if run:
            best = _best(best, frozenset([run]))
            run = ""
        best = _best(best, _item(op, av))
    return _best(best, frozenset([run])) if run else best


def _item(op: object, av: object) -> Literals | None:
    if op is C.SUBPATTERN:
        return _sequence(list(av[-1]))  # type: ignore[index]
    if op is C.ATOMIC_GROUP:
        return _sequence(list(av))  # type: ignore[arg-type]
    if op is C.BRANCH:
        alternatives = [_sequence(list(alt)) for alt in av[1]]  # type: ignore[index]
        if any(alt is None for alt in alternatives):
            return None
        return frozenset().union(*alternatives)  # type: ignore[arg-type]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:  # type: ignore[index]
        return _sequence(list(av[2]))  # type: ignore[index]
    return None


def required_literals(pattern: str) -> Literals | None:
    """Strings of which every match of a case-sensitive ``pattern`` contains one; None if unknown."""
    found = _sequence(list(_parser.parse(pattern, 0)))
    return found if found and all(found) else None


def _is_word(ch: str) -> bool:
    """``\\w`` for str patterns (sre: Unicode alphanumeric or underscore)."""
    return ch.isalnum() or ch == "_"


def _class_is_word(items: list) -> bool:
    """A character class all of whose members are word characters."""
    for op, av in items:
        if op is C.LITERAL and _is_word(chr(av)):
            continue
        if op is C.RANGE and all(_is_word(chr(c)) for c in range(av[0], av[1] + 1)):
            continue
        if op is C.CATEGORY and av in (C.CATEGORY_DIGIT, C.CATEGORY_WORD):
            continue
        return False
    return True


def _starts_with_word_char(items: list) -> bool:
    """Whether every match of the parsed items begins with a word character (conservative: False if unsure)."""
    if not items:
        return False
    op, av = items[0]
    if op is C.LITERAL:
        return _is_word(chr(av))
    if op is C.IN:
        return _class_is_word(list(av))
    if op is C.SUBPATTERN:
        return _starts_with_word_char(list(av[-1]))
    if op is C.BRANCH:
        return all(_starts_with_word_char(list(alt)) for alt in av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _starts_with_word_char(list(av[2]))
    return False


def _word_start_split(source: str) -> re.Pattern[str] | None:
    """For ``\\b<rest>``: ``rest`` compiled when it always starts with a word character and the engine
    gives it a first-character fast path (a literal or character-set prefix), else None."""
    if not source.startswith("\\b"):
        return None
    rest = source[2:]
    try:
        parsed = _parser.parse(rest, 0)
    except re.error:
        return None
    # "(?:but|(?<!by\s)then)": lookbehinds moved after the first literal, so every alternative starts with one
    parsed = _parser.SubPattern(parsed.state, hoist_lookbehinds(parsed.state, list(parsed)))
    fast = _compiler._get_literal_prefix(parsed, 0)[0] or _compiler._get_charset_prefix(parsed, 0)
    return _compiler.compile(parsed, 0) if fast and _starts_with_word_char(list(parsed)) else None


class RuleRegex:
    """One rule: its regex (on folded text unless case-sensitive) behind its literal gate."""

    __slots__ = ("alternatives", "literals", "on_folded", "regex", "split", "word_start")

    def __init__(self, pattern: str, case_sensitive: bool = False) -> None:
        self.on_folded = not case_sensitive
        source = fold_pattern(pattern) if self.on_folded else pattern
        self.regex = re.compile(source)
        self.literals = required_literals(source)
        self.word_start = _word_start_split(source)
        # other rules without a first-character fast path get one as guard + scan (see .fastpath)
        self.split = None if self.word_start is not None else split_rule(source)
        # and a rule that starts with a branch or an optional part may split into alternatives that have one
        self.alternatives = None if self.word_start is not None or self.split is not None else alternative_scans(source)

    def finditer(self, text: str, folded: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """Matches in the note (``folded`` is :func:`fold` of ``text``), as ``regex.finditer(target, pos)`` gives
        them (spans are the rule's; the match objects may be those of its fast scan)."""
        target = folded if self.on_folded else text
        if self.literals is not None and not any(map(target.__contains__, self.literals)):
            return iter(())
        if self.word_start is not None:
            return self._word_start_matches(target, pos)
        if self.split is not None:
            return _scan_finditer(target, *self.split, pos)
        if self.alternatives is not None:
            return leftmost_first([partial(_scan_finditer, target, *alt) for alt in self.alternatives], pos)
        return self.regex.finditer(target, pos)

    def _word_start_matches(self, target: str, pos: int = 0) -> Iterator[re.Match[str]]:
        """``finditer`` of ``\\b<rest>``: leftmost matches of ``rest`` not preceded by a word character.

        ``rest`` matches at a position exactly when ``\\b<rest>`` does, provided the boundary holds there;
        a rejected candidate resumes the scan one character later, as the engine would."""
        search = self.word_start.search
        while (m := search(target, pos)) is not None:
            start = m.start()
            if start and _is_word(target[start - 1]):
                pos = start + 1
                continue
            yield m
            pos = m.end() if m.end() > start else start + 1


def _scan_finditer(
    target: str, guard: re.Pattern[str] | None, scan: re.Pattern[str], pos: int
) -> Iterator[re.Match[str]]:
    """``finditer`` of ``<guard><scan>`` (see :func:`.fastpath.split_rule`)."""
    return scan.finditer(target, pos) if guard is None else guarded_finditer(target, guard.match, scan.search, pos)


class RuleUnion:
    """The alternation ``(?:r1)|(?:r2)|...`` of several rules, matched rule by rule with each rule's fast path.

    :func:`.fastpath.leftmost_first` gives the alternation's matches from the rules' own scans as long as no
    rule can match the empty string and none uses back references (group numbers shift in the alternation);
    otherwise the joined regex runs as before. Each rule can also be gated on its own (see :mod:`.multigate`)."""

    __slots__ = ("rules", "separate")

    def __init__(self, patterns: list[str]) -> None:
        joined = "|".join(f"(?:{p})" for p in patterns)
        re.compile(fold_pattern(joined))  # the union must compile even when it is matched rule by rule
        self.separate = bool(patterns) and all(_separable(p) for p in patterns)
        self.rules = [RuleRegex(p) for p in patterns] if self.separate else [RuleRegex(joined)]

    def spans(self, text: str, folded: str, which: list[int] | None = None) -> list[tuple[int, int]]:
        """(start, end) of each match of the alternation; ``which``: the indices into ``rules`` that may match
        (a gate's answer), None for all."""
        rules = self.rules if which is None else [self.rules[i] for i in which]
        if len(rules) <= 1:  # one rule (or the joined alternation): its own matches
            return [m.span() for rx in rules for m in rx.finditer(text, folded)]
        return [m.span() for m in leftmost_first([partial(rx.finditer, text, folded) for rx in rules])]


def _separable(pattern: str) -> bool:
    """Whether a rule matches alone as it does inside an alternation: it never matches empty, has no back
    references or conditionals."""
    parsed = _parser.parse(fold_pattern(pattern), 0)
    return parsed.getwidth()[0] > 0 and not uses_backrefs(list(parsed))


_FLAGS_KEPT = _parser.SRE_FLAG_UNICODE | _parser.SRE_FLAG_MULTILINE | _parser.SRE_FLAG_DOTALL | _parser.SRE_FLAG_VERBOSE
_WORD_CHANGED = "\u0345"  # the one character that fold() turns from a non-word into a word character ("\u03b9")


def _folds_exactly(items: list) -> bool:
    """Whether a parsed, folded pattern sees :func:`fold`-ed text as ``re.IGNORECASE`` sees the text: ASCII
    literals only (those the fold is tested on), no letter ranges, scoped flags or back references."""
    for op, av in items:
        if op in (C.LITERAL, C.NOT_LITERAL):
            if av >= 128 or fold(chr(av)) != chr(av):
                return False
        elif op is C.RANGE:
            if av[1] >= 128 or any(chr(c).isalpha() for c in range(av[0], av[1] + 1)):
                return False
        elif op is C.IN:
            if not _folds_exactly(list(av)):
                return False
        elif op is C.BRANCH:
            if not all(_folds_exactly(list(alt)) for alt in av[1]):
                return False
        elif op is C.SUBPATTERN:
            if av[1] or av[2] or not _folds_exactly(list(av[3])):
                return False
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if not _folds_exactly(list(av[2])):
                return False
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if not _folds_exactly(list(av[1])):
                return False
        elif op is C.ATOMIC_GROUP:
            if not _folds_exactly(list(av)):
                return False
        elif op not in (C.AT, C.ANY, C.CATEGORY, C.NEGATE):
            return False  # back references, conditionals: left to the engine
    return True


class IgnoreCaseSearch:
    """``re.compile(pattern, re.IGNORECASE).search(text, pos)`` for a whole-note pattern, by :class:`RuleRegex`
    on :func:`fold`-ed text (its literal gate and fast paths: ``re.IGNORECASE`` has none) where that is exact:
    patterns :func:`_folds_exactly` accepts, on notes without the one character whose ``\\w``-ness the fold
    changes. Otherwise, the plain case-insensitive regex."""

    __slots__ = ("plain", "rule")

    def __init__(self, pattern: str) -> None:
        self.plain = re.compile(pattern, re.IGNORECASE)
        parsed = _parser.parse(fold_pattern(pattern), 0)
        exact = not parsed.state.flags & ~_FLAGS_KEPT and _folds_exactly(list(parsed))
        self.rule = RuleRegex(pattern) if exact else None

    def start(self, text: str, folded: str, pos: int = 0) -> int | None:
        """Where the first match at or after ``pos`` starts (``folded``: :func:`fold` of ``text``), or None."""
        if self.rule is None or _WORD_CHANGED in text:
            m = self.plain.search(text, pos)
        else:
            m = next(self.rule.finditer(text, folded, pos), None)
        return None if m is None else m.start()
