"""ConText for pump mentions (after medspaCy's ConText): negated, historical, planned, other person.

Triggers and their direction/scope come from ``data/context_rules.json``. One multi-pattern scan
(:mod:`.multigate`) picks the trigger, pseudo-trigger and terminator rules that can match the note, and
only those run; then each concept span takes the modifiers of the triggers whose scope (same sentence, within
``max_scope`` tokens, not past a terminator) covers it. The section a mention sits in adds
history (PAST HISTORY) or other person (FAMILY/SOCIAL HISTORY). Results: ``Span._.negated``,
``_.historical``, ``_.hypothetical``, ``_.family``, ``_.purpose``, ``_.section``, ``_.modifiers``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import spanattrs
from .entities import ATTRIBUTES_KEY, CONCEPTS_KEY, DEVICES_KEY
from .multigate import RuleGate
from .prefilter import RuleRegex, RuleUnion, doc_folded, fold_for_rules
from .resources import RuleFilesMixin, doc_text
from .sections import section_at, section_index

CATEGORY_ATTR = {
    "NEGATED_EXISTENCE": "negated",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "FAMILY": "family",
    "PURPOSE": "purpose",
}
for _attr in [*CATEGORY_ATTR.values()]:
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=False)
for _attr, _default in (("section", "none"), ("modifiers", ())):
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=_default)
spanattrs.check_plain(*CATEGORY_ATTR.values(), "section", "modifiers")  # written straight to doc.user_data
_COMMA = re.compile(r",")
CONTEXT_ATTRIBUTES = {"CANCELLED"}  # attributes whose own context matters ("on 5/2 that procedure was aborted")
DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL"}
DEFAULT_SCOPE = 1000  # tokens: sentence-bounded when a rule sets no max_scope


@Language.factory("pump_context", default_config={})
class PumpContext(RuleFilesMixin):
    """Assign assertion context to every service, performer and device span."""

    def __init__(self, nlp: Language, name: str = "pump_context") -> None:
        self.name = name
        self.load_default_rules()

    rule_files = ("context_rules.json", "section_rules.json")

    def rule_data(self) -> tuple[dict, ...]:
        return (self.rules, self.section_rules)

    def set_rules(self, rules: dict, section_rules: dict) -> None:
        modifiers = [r for r in rules["rules"] if r["category"] in CATEGORY_ATTR]
        bad = sorted({str(r.get("direction")) for r in modifiers} - DIRECTIONS)
        if bad:  # checked before anything is replaced, so a bad rule file leaves the component as it was
            raise ValueError(f"context rule direction must be one of {sorted(DIRECTIONS)}, got {bad}")
        self.rules = rules
        self.section_rules = section_rules
        shared: dict[str, RuleRegex] = {}  # rules of several categories with one pattern share it: one scan a note
        for r in modifiers:
            if r["pattern"] not in shared:
                shared[r["pattern"]] = RuleRegex(r["pattern"])
        self._rule_info = [
            (r["category"], r["direction"], int(r.get("max_scope") or DEFAULT_SCOPE), shared[r["pattern"]],
             frozenset(r.get("allowed_types", ())), frozenset(r.get("ignore_inside_types", ())),
             frozenset(r.get("excluded_types", ())))
            for r in modifiers
        ]
        self._pseudo = RuleUnion([r["pattern"] for r in rules["rules"] if r["category"] == "PSEUDO"])
        self._terminate = RuleUnion([r["pattern"] for r in rules["rules"] if r["category"] == "TERMINATE"])
        # one multi-pattern scan picks the trigger rules that can match, then each pseudo and terminate rule
        # (rules of a union are gated one by one: a rule that cannot match drops out of the alternation)
        gated = [info[3] for info in self._rule_info]
        self._pseudo_ids = range(len(gated), len(gated) + len(self._pseudo.rules))
        gated += self._pseudo.rules
        self._terminate_ids = range(len(gated), len(gated) + len(self._terminate.rules))
        gated += self._terminate.rules
        self._gate = RuleGate(gated)
        self._hist_sections = set(section_rules.get("historical_sections", ()))
        self._other_sections = set(section_rules.get("other_person_sections", ()))
        self._purpose_sections = set(section_rules.get("purpose_sections", ()))
        self._planned: dict[str, frozenset[str]] = {}  # section -> labels planned, not done, there
        for group in section_rules.get("planned_in_sections", []):
            for sec in group.get("sections", ()):
                self._planned[sec] = self._planned.get(sec, frozenset()) | frozenset(group.get("labels", ()))

    def triggers(self, text: str, folded: str | None = None, candidates: list[int] | None = None) -> list[tuple]:
        """(start, end, category, direction, max_scope, allowed, ignore_inside, excluded types) per trigger.

        Where triggers of one category overlap the longest wins ("not done" over "not"), and
        pseudo-triggers cancel what they overlap. ``candidates`` is the gate's answer for this note."""
        folded = fold_for_rules(text) if folded is None else folded
        if candidates is None:
            candidates = self._gate.candidates(text, folded)
        n = len(self._rule_info)
        pseudo = self._pseudo.spans(text, folded, _offsets(candidates, self._pseudo_ids))
        found = []
        info = self._rule_info
        scanned: dict[int, list[tuple[int, int]]] = {}  # id(rule regex) -> its matches in this note
        for i in candidates:
            if i >= n:
                break
            cat, direction, scope, rx, allowed, ignore_inside, excluded = info[i]
            spans = scanned.get(id(rx))
            if spans is None:
                spans = scanned[id(rx)] = [m.span() for m in rx.finditer(text, folded)]
            for s, e in spans:
                if not pseudo or not any(ps < e and s < pe for ps, pe in pseudo):
                    found.append((s, e, cat, direction, scope, allowed, ignore_inside, excluded))
        today = encounter_dates(text) if any(t[2] in _TIME_CATEGORIES and _has_digit(text, t) for t in found) else ()
        if today:  # "ITB refill 10/14" on the 10/14 note: the note's own date neither dates nor plans a service
            found = [t for t in found if t[2] not in _TIME_CATEGORIES or not _dates_in(text[t[0]:t[1]]) & today]
        found.sort(key=lambda t: (t[0] - t[1], t[0]))
        kept: list[tuple] = []
        kept_spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for t in found:
            group = kept_spans[(t[2], t[3])]
            if not any(ks < t[1] and t[0] < ke for ks, ke in group):
                group.append((t[0], t[1]))
                kept.append(t)
            elif t[5] and t[2] in _TIME_CATEGORIES:  # a date two rules match, for different types: widen
                for i, k in enumerate(kept):
                    if k[2:4] == t[2:4] and k[5] and k[0] < t[1] and t[0] < k[1]:
                        kept[i] = (*k[:5], k[5] | t[5], *k[6:])
        return sorted(kept)

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for key in (CONCEPTS_KEY, DEVICES_KEY) if key in doc.spans for s in doc.spans[key]]
        spans += [s for s in doc.spans.get(ATTRIBUTES_KEY, []) if s.label_ in CONTEXT_ATTRIBUTES]
        if not spans:
            return doc
        text = doc_text(doc)
        arr = doc.to_array([IDX, SENT_START])
        tok_starts = arr[:, 0].tolist()
        sent_starts = np.flatnonzero(arr[:, 1] == 1).tolist()
        if not sent_starts or sent_starts[0] != 0:
            sent_starts.insert(0, 0)

        def tok_of(char: int) -> int:
            return bisect_right(tok_starts, char) - 1

        def sent_of(tok: int) -> int:
            return bisect_right(sent_starts, tok) - 1

        folded = doc_folded(doc)
        candidates = self._gate.candidates(text, folded)
        by_sent: dict[int, list[tuple]] = defaultdict(list)
        for s, e, cat, direction, scope, allowed, ignore_inside, excluded in self.triggers(text, folded, candidates):
            ts, te = tok_of(s), tok_of(e - 1) + 1
            by_sent[sent_of(ts)].append((ts, te, cat, direction, scope, s, e, allowed, ignore_inside, excluded,
                                         _parenthesis(text, s, e)))
        terminators = self._terminate.spans(text, folded, _offsets(candidates, self._terminate_ids))
        terms = sorted(tok_of(start) for start, _end in terminators)
        # a trigger after its target ("..., refill not due") modifies only its own clause
        back_terms = sorted(set(terms).union(tok_of(m.start()) for m in _COMMA.finditer(text)))
        sections = section_index(doc)

        def blocked(lo: int, hi: int, stops: list[int] = terms) -> bool:
            """A terminator token strictly between token positions lo and hi."""
            i = bisect_right(stops, lo)
            return i < len(stops) and stops[i] < hi

        values, key = doc.user_data, spanattrs.key
        for span in spans:
            found = []
            label, start, end = span.label_, span.start, span.end
            for ts, te, cat, direction, scope, cs, ce, allowed, ignore_inside, excluded, paren in by_sent.get(
                sent_of(start), ()
            ):
                if (allowed and label not in allowed) or label in excluded:
                    continue
                if paren is not None and span.start_char >= paren[1]:
                    continue  # "(mom reports spasms since Sat), dose increased": the aside ends at its ")"
                inside = ts < end and te > start
                if inside and label in ignore_inside:
                    continue
                if inside:
                    ok = True
                elif te <= start and direction != "BACKWARD":
                    ok = start - te <= scope and not blocked(te - 1, start)
                elif ts >= end and direction != "FORWARD":
                    ok = ts - end <= scope and not blocked(end - 1, ts, back_terms)
                else:
                    ok = False
                if ok:
                    found.append((cat, cs, ce))
            # span._.<attr> = value, written where Underscore keeps it (see .spanattrs)
            first, last = span.start_char, span.end_char
            section = section_at(sections, first)
            values[key("section", first, last)] = section
            for cat, _cs, _ce in found:
                values[key(CATEGORY_ATTR[cat], first, last)] = True
            if section in self._hist_sections:
                values[key("historical", first, last)] = True
            if section in self._other_sections:
                values[key("family", first, last)] = True
            if section in self._purpose_sections:
                values[key("purpose", first, last)] = True
            if label in self._planned.get(section, ()):
                values[key("hypothetical", first, last)] = True
            values[key("modifiers", first, last)] = tuple((cat, text[cs:ce], cs, ce) for cat, cs, ce in found)
        return doc


def _offsets(candidates: list[int], ids: range) -> list[int]:
    """The gate's candidates that fall in ``ids``, as offsets into that range (in order)."""
    return [i - ids.start for i in candidates if i in ids]


_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(?:\d{4}|\d{2}))?(?![\d/])")
_DATE_LABEL = re.compile(  # a header field: at a line start or after a column gap ("Pt: X    Date: 10/03")
    r"(?:^|[\n|\t]|\s\s)[ \t*-]*(?:date(?:\s+of\s+(?:service|visit|encounter))?|dos|(?:visit|service|encounter)"
    r"\s+date|date\s*/\s*time)\s*[:#.]?\s*$", re.IGNORECASE)
_TIME_CATEGORIES = {"HISTORICAL", "HYPOTHETICAL"}
# a title naming the note and its date: "ITB refill 10/14 - SM II, ...", "Pump clinic visit: 3/4/24"
_TITLE_DATE = re.compile(
    r"[^\w\n]*(?:[\w&/-]+[ \t]+){0,3}?(?:refill|re-fill|visit|note|clinic|encounter|procedure|check|f/u|"
    r"follow-?up|interrogation|programming)[ \t]*[-:,]?[ \t]*(?P<month>\d{1,2})/(?P<day>\d{1,2})(?:/\d{2,4})?(?![\d/])",
    re.IGNORECASE)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_DAY = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})\b", re.IGNORECASE)


def _has_digit(text: str, trigger: tuple) -> bool:
    return any(ch.isdigit() for ch in text[trigger[0] : trigger[1]])


def _dates_in(text: str) -> set[tuple[int, int]]:
    """(month, day) of every date in ``text``, numeric ("3/4/24") or named ("March 4")."""
    found = {(int(m[1]), int(m[2])) for m in _DATE.finditer(text)}
    return found | {(_MONTHS.index(m[1].lower()) + 1, int(m[2])) for m in _MONTH_DAY.finditer(text)}


def encounter_dates(text: str) -> set[tuple[int, int]]:
    """(month, day) of the note's own date: any date labelled as the date of service ("Date:", "DOS",
    "Date/time"), and the date of a title line ("ITB refill 10/14 - ...")."""
    found = set()
    title = _TITLE_DATE.match(text)
    if title is not None:
        found.add((int(title["month"]), int(title["day"])))
    for m in _DATE.finditer(text):
        if _DATE_LABEL.search(text, max(0, m.start() - 40), m.start()):
            found.add((int(m[1]), int(m[2])))
    return found


def _parenthesis(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The (open, close) offsets of the one-line parenthetical a trigger sits in, if any.

    A trigger inside parentheses is an aside: it may qualify what comes before it ("two dose increases (most
    recent 5 weeks ago)") but its scope ends at the closing parenthesis."""
    opened = text.rfind("(", 0, start)
    if opened == -1 or text.find(")", opened, start) != -1:
        return None
    closed = text.find(")", end)
    if closed == -1 or text.find("(", end, closed) != -1 or "\n" in text[opened:closed]:
        return None
    return opened, closed + 1


def is_asserted(span: Span) -> bool:
    """True when the mention describes something done in this encounter for this patient."""
    x = span._
    return not (x.negated or x.historical or x.hypothetical or x.family or x.purpose)


__all__ = ["PumpContext", "is_asserted"]
