"""Section detection (after medspaCy's Sectionizer): which part of the note a mention sits in.

A mention under PAST SURGICAL HISTORY is history whatever its verb tense; one under PROCEDURE is
today's work. Headers come from ``data/section_rules.json``: a line-initial ``Header:``, an ALL-CAPS
line, or an inline ALL-CAPS ``HEADER:`` as transcription systems write them. Sections are stored as
``doc.spans["sections"]`` (label = category) and looked up per character with :func:`section_at`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from .resources import RuleFilesMixin, doc_text

SECTIONS_KEY = "sections"
_LINE_HEADER = re.compile(
    r"(?m)^[ \t]*(?:[-*\u2022#]+[ \t]*)?(?P<h>[A-Za-z\[][A-Za-z0-9 /&'()\[\]+.-]{0,48}?)[ \t]*:(?!\d)"
)
_CAPS_LINE = re.compile(r"(?m)^[ \t]*(?P<h>[A-Z][A-Z0-9 /&'()+-]{2,48}?)[ \t]*$")
_INLINE_HEADER = re.compile(r"(?<=[.,;])[ \t]+(?P<h>[A-Z][A-Z /&'-]{2,40}):")
# a banner line: "--- Interval history (carried forward from 03/24/25 note) ---", "=== end carried forward ==="
# or a date alone, which opens that day's entry: "--- prior entries (copied fwd) --- ... --- 11/4 ---"
_BANNER = re.compile(
    r"(?m)^[ \t]*[-=*_~#]{2,}[ \t]*(?P<h>[A-Za-z][^\n]{0,78}?|\d{1,2}/\d{1,2}(?:/\d{2,4})?)[ \t]*[-=*_~#]{2,}[ \t]*$")
_DATE_ONLY = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?")
# an inline copied-forward marker: '[copied from 6/2 clinic note] "... dose increased today ..." [end copied]'
_BRACKET_BANNER = re.compile(
    r"\[[ \t]*(?P<h>(?:(?:end\s+(?:of\s+)?)?(?:copied|copy[-\s]forward|carried\s+forward))[^\]\n]{0,70}?)[ \t]*\]",
    re.IGNORECASE)
# "Procedure (04/06/2024 21:30, ED bay 14) - IT pump refill ...": a known header with a parenthetical
_PAREN_HEADER = re.compile(r"(?m)^[ \t]*(?P<h>[A-Za-z][A-Za-z /&-]{1,30}?)[ \t]*\([^)\n]{0,60}\)[ \t]*[-:\u2013\u2014]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_NORM = re.compile(r"[^a-z0-9/&' ]+")


def normalise_header(text: str) -> str:
    """Lower-case, drop punctuation, fold spaces: the key used in ``section_rules.json``."""
    return " ".join(_NORM.sub(" ", text.lower()).split())


@Language.factory("sectionizer", default_config={})
class Sectionizer(RuleFilesMixin):
    """Split a note into categorised sections; unknown ALL-CAPS headers open an 'other' section."""

    def __init__(self, nlp: Language, name: str = "sectionizer") -> None:
        self.name = name
        self.load_default_rules()

    rule_files = ("section_rules.json",)

    def rule_data(self) -> tuple[dict, ...]:
        return (self.rules,)

    def set_rules(self, rules: dict) -> None:
        self.rules = rules
        self._line_sections = set(rules.get("line_sections", ()))
        self._historical_words = tuple(rules.get("historical_header_words", ()))
        self._historical = set(rules.get("historical_sections", ()))
        self.lookup = {
            normalise_header(h): cat for cat, headers in rules["sections"].items() for h in headers
        }

    def _prefix_category(self, key: str) -> str | None:
        """'interval history copied from 10/3 note' -> the longest known header it starts with."""
        if key.startswith(("end ", "end of ")):
            return "other"  # "--- end carried forward ---" closes the copied block
        if any(w in key for w in self._historical_words):
            return "past_history"
        words = key.split()
        if 1 < len(words) <= 5 and self.lookup.get(words[0]) == "procedure":
            return "procedure"  # "Interrogation w/ clinician programmer:", "Refill (RN):"
        for n in range(len(words) - 1, 0, -1):
            cat = self.lookup.get(" ".join(words[:n]))
            if cat is not None and (n >= 2 or all(any(c.isdigit() for c in w) for w in words[n:])):
                return cat  # "interval history 3/4", "interval 04/22": a known header plus a date
        return None

    def headers(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, category, header text) for each header, in text order."""
        found: dict[int, tuple[int, int, str, str]] = {}
        banners: list[tuple[int, bool, str]] = []
        for rx, need_caps in ((_BANNER, False), (_BRACKET_BANNER, False), (_LINE_HEADER, False), (_CAPS_LINE, True),
                              (_INLINE_HEADER, True), (_PAREN_HEADER, False)):
            for m in rx.finditer(text):
                raw = m.group("h")
                key = normalise_header(raw)
                if rx is _PAREN_HEADER:
                    if key not in self.lookup:
                        continue  # only a known header may carry a parenthetical
                    copied = any(w in normalise_header(m.group(0)) for w in self._historical_words)
                    cat = "past_history" if copied else self.lookup[key]  # "HPI (carried forward from 2/12):"
                elif rx is _BANNER and _DATE_ONLY.fullmatch(raw.strip()):
                    cat = "other"  # a dated entry's own banner: what follows is that entry, not the copied block
                else:
                    cat = self.lookup.get(key) or self._prefix_category(key)
                letters = [c for c in raw if c.isalpha()]
                is_caps = len(letters) >= 2 and all(c.isupper() for c in letters)
                if cat is None and is_caps and (need_caps or rx is _LINE_HEADER):
                    cat = "other"
                if cat is None or (need_caps and not is_caps and key not in self.lookup):
                    continue
                start = m.start("h")
                found.setdefault(start, (start, m.end(), cat, raw.strip()))
                if rx is _BANNER or rx is _BRACKET_BANNER:
                    banners.append((start, key.startswith(("end ", "end of ")), cat))
        heads = [found[k] for k in sorted(found)]
        return self._inside_copied_blocks(heads, banners)

    @staticmethod
    def _inside_copied_blocks(heads: list[tuple], banners: list[tuple[int, bool, str]]) -> list[tuple]:
        """Headers between '=== carried forward ... ===' and its '=== end ... ===' stay past history.

        A copied block keeps its own headers ("IT HISTORY:", "PLAN:"); only a closing banner ends it,
        so a block with no closing banner is left as its headers say."""
        banners.sort()
        spans = [(a, b) for (a, end_a, cat), (b, end_b, _) in zip(banners, banners[1:], strict=False)
                 if cat == "past_history" and not end_a and end_b]
        if not spans:
            return heads
        return [(s, e, "past_history" if any(a < s < b for a, b in spans) else cat, raw) for s, e, cat, raw in heads]

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc_text(doc)
        heads = self.headers(text)
        for i, (start, end, cat, _raw) in enumerate(heads):
            stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
            parts = [(start, stop, cat)]
            eol = text.find("\n", end, stop)
            if cat in self._line_sections:  # "Reason for visit: refill" covers its own line only
                if eol != -1 and text[eol:stop].strip():
                    parts = [(start, eol, cat), (eol + 1, stop, "none")]
            elif cat in self._historical and text[end:eol if eol != -1 else stop].strip():
                # "Hx: 57F, IT morphine pump ... overdue.\n\nPump interrogated: ...": a history written on its
                # header's line is one paragraph; what follows the blank line is today's note again
                gap = _BLANK_LINE.search(text, end, stop)
                if gap is not None and text[gap.end():stop].strip():
                    parts = [(start, gap.start(), cat), (gap.end(), stop, "none")]
            for a, b, label in parts:
                span = doc.char_span(a, b, label=label, alignment_mode="expand")
                if span is not None and len(span):
                    spans.append(span)
        doc.spans[SECTIONS_KEY] = spans
        return doc


def section_index(doc: Doc) -> tuple[list[int], list[str]]:
    """Start offsets and categories of the sections, for :func:`section_at` look-ups."""
    group = doc.spans.get(SECTIONS_KEY, [])
    return [s.start_char for s in group], [s.label_ for s in group]


def section_at(index: tuple[list[int], list[str]], char: int) -> str:
    """Category of the section holding ``char`` ('none' before the first header)."""
    starts, cats = index
    i = bisect_right(starts, char) - 1
    return cats[i] if i >= 0 else "none"
