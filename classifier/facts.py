"""From mentions with context to facts about THIS encounter, each with the spans that decided it.

A mention counts for a fact when it is asserted (not negated, historical, planned, purpose-only or
about someone else) and is about an intrathecal/epidural/brain drug pump rather than a look-alike
device. The device a service is about is the nearest device mention in its sentence, else the last
one before it in its section, else the note's most-mentioned device (rule 7: stimulators are
"programmed" and "interrogated" too). Facts feed both the coding rules and the model features.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from . import spanattrs
from .entities import ATTRIBUTES_KEY, CONCEPTS_KEY, DEVICES_KEY
from .prefilter import IgnoreCaseSearch, fold
from .resources import doc_text, load_json

DEVICE_KIND = {
    "PUMP": "pump",
    "PUMP_PROGRAMMABLE": "pump",
    "PUMP_FIXED": "pump",
    "CATHETER": "pump",
    "ACCESS_PORT": "pump",
    "RESERVOIR_DEVICE": "pump",
    "LOOKALIKE_SCS": "stimulator",
    "LOOKALIKE_DBS": "stimulator",
    "LOOKALIKE_VNS": "stimulator",
    "LOOKALIKE_HEPATIC": "other_route",
    "LOOKALIKE_PORT": "other_route",
    "LOOKALIKE_INFUSION": "other_route",
    "LOOKALIKE_INSULIN": "insulin",
    "LOOKALIKE_OTHER": "other_device",
    "LOOKALIKE_LINE": "other_device",
    "LOOKALIKE_LP": "other_device",
}
ACTIONS = {
    "IMPLANT": "implant",
    "REPLACE": "replace",
    "EXPLANT": "explant",
    "CATHETER_WORK": "catheter_work",
    "CATHETER_REMOVAL": "catheter_removal",
    "ANALYSIS": "analysis",
    "REPROGRAM": "reprogramming",
    "VOLUME_UPDATE": "volume_update",
    "REFILL": "refill",
    "PREPARATION": "preparation",
    "PROGRAMMING": "programming",
    "PORT_FLUSH": "flush",
    "LAMINECTOMY": "laminectomy",
}
ATTRIBUTES = {
    "ALARM": "alarm_status",
    "RESERVOIR_STATUS": "reservoir_status",
    "PRESCRIPTION": "prescription_status",
    "DOSE": "dose",
    "CONCENTRATION": "concentration",
    "RESIDUAL_VOLUME": "residual_volume",
    "ADDED_VOLUME": "added_volume",
    "NEW_RESERVOIR_VOLUME": "new_reservoir_volume",
    "DRUG": "drug",
    "ROUTE_SPINAL": "route_spinal",
    "ROUTE_BRAIN": "route_brain",
    "INDICATION": "indication",
    "PRIOR_TREATMENT": "prior_treatment",
    "SELECTION": "selection",
    "TECHNIQUE": "technique",
    "CSF_FLOW": "csf_flow",
    "POSTOP": "postop",
    "ASSESSMENT": "assessment",
    "RESPONSE": "response",
    "CANCELLED": "cancelled",
    "REP": "rep_present",
    "NON_VISIT": "non_visit",
}
STATUSES = ("negated", "historical", "hypothetical", "family", "purpose")
KINDS = ("stimulator", "other_route", "insulin", "other_device")
PERFORMERS = {"PERFORMER_STAFF": "staff", "PERFORMER_QHP": "physician"}
_RESERVOIR = re.compile(r"\b(?:reservoir|port)\b", re.IGNORECASE)
# "reservoir (port), no pump mechanism ... via external ambulatory pump": pump words that are not the implant
_NOT_THE_IMPLANT = re.compile(r"\b(?:no|not\s+a|without\s+a?)\s+pump\b|\b(?:external|ambulatory|cadd|portable)\s+"
                      r"(?:ambulatory\s+|infusion\s+)?pump\b", re.IGNORECASE)
_PUMP_WORD = re.compile(r"\b(?:pump|synchro|prometra|codman)", re.IGNORECASE)
# steps done only to a pump about to be implanted (a refill never warms a pump or empties its sterile water)
_NEW_PUMP_PREP = re.compile(r"sterile\s+water|warm|\bIFU\b|shipping\s+fluid", re.IGNORECASE)
_MODES = re.compile(
    r"\b(?:simple\s+continuous|flex(?:ible)?|periodic|multiple[-\s]rate|day[-\s]?night|minimum\s+rate)\b", re.IGNORECASE
)
_BARE_NOUN = re.compile(
    r"^(?:(?:intrathecal|it|itb|pump|device)\s+)*(?:re-?fills?(?:\s+(?:kit|attempts?))?|re-?program(?:m?ing)?|interrogations?"
    r"|(?:electronic\s+)?analysis|huber(?:\s+needle)?|non-?\s?coring\s+needle"
    r"|programming|(?:dose|rate)\s+(?:changes?|adjustments?|titration)|implant(?:ation)?|replacement)$",
    re.IGNORECASE,
)
# "I did the refill myself", "refill was performed": the noun as the object of a doing verb is no title
_DONE_BEFORE = re.compile(
    r"\b(?:did|do|performed|completed|finished|done)\s+(?:the\s+|a\s+|his\s+|her\s+|today's\s+)?(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_DONE_AFTER = re.compile(
    r"^(?:\s+(?:today|this\s+visit))?(?:\s+(?:was\s+|is\s+)?(?:done|performed|completed|finished)\b"
    # "Pump interrogation at bedside: baclofen 2000 mcg/mL, ...": a heading followed by its findings
    r"|(?:\s+at\s+(?:the\s+)?bedside)?\s*:[ \t]*(?!(?:no|not|none|n/?a|declined|deferred)\b)\S)",
    re.IGNORECASE,
)
_NEW_BEFORE = re.compile(r"\bnew\s+(?:\d+\s*-?\s*m[lL]\s+)?$", re.IGNORECASE)
# "new pump to be implanted once infection cleared": a new pump that is only planned is no replacement.
_NEW_PLANNED_AFTER = re.compile(
    r"^[^.;\n]{0,25}?\b(?:to\s+be|will|would|once|when|planned|pending|at\s+a\s+later|in\s+the\s+future|later)\b",
    re.IGNORECASE)
_BARE_REPROGRAM = re.compile(r"^(?:pump\s+)?re-?\s?program+(?:ed|ing)?$", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_FIRST_PERSON = re.compile(r"^(?:I|we|me|(?:by\s+)?myself)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """A stretch of the note: exact offsets into the input text and the text found there."""

    start: int
    end: int
    text: str
    label: str
    status: str = "asserted"

    @classmethod
    def of(cls, span: Span, status: str = "asserted", text: str | None = None) -> Evidence:
        """Evidence for ``span``; ``text``: the note's text, when the caller already has it (saves a look-up)."""
        start, end = span.start_char, span.end_char
        return cls(start, end, (doc_text(span.doc) if text is None else text)[start:end], span.label_, status)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "label": self.label, "status": self.status}


@dataclass
class Facts:
    """Numeric facts (model features) and the evidence behind each, for one note."""

    values: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    performer: str | None = None

    sentences: dict[int, str] = field(default_factory=dict)

    def evidence_sentences(self, evidence: list[Evidence]) -> list[str]:
        """The sentence text around each piece of evidence (recorded by :func:`extract_facts`)."""
        return [self.sentences.get(ev.start, ev.text) for ev in evidence]

    def has(self, name: str) -> bool:
        return self.values.get(name, 0.0) > 0

    def add(self, name: str, ev: Evidence | None = None, amount: float = 1.0) -> None:
        self.values[name] = self.values.get(name, 0.0) + amount
        if ev is not None:
            self.evidence.setdefault(name, []).append(ev)


def status_of(span: Span) -> str:
    """The first context status that keeps a mention from counting, or 'asserted'."""
    values, first, last = span.doc.user_data, span.start_char, span.end_char  # span._.<status> (see .spanattrs)
    for status in STATUSES:
        if values.get(spanattrs.key(status, first, last), False):
            return status
    return "asserted"


def _family(span: Span) -> bool:
    return spanattrs.get(span, "family", False)


def _section(span: Span) -> str:
    return spanattrs.get(span, "section", "none")


def _same_values(text: str) -> bool:
    """A dose change whose every value is the same number states an unchanged dose, unless the mode changed
    ("Before: 265 mcg/day simple continuous / After: flex -- basal 265 mcg/day + 30 mcg bolus")."""
    values = _NUMBER.findall(text)
    modes = {m.lower().replace("-", " ") for m in _MODES.findall(text)}
    return len(values) >= 2 and len(set(map(float, values))) == 1 and len(modes) < 2


def _text(span: Span, text: str) -> str:
    """A span's text sliced from the note's ``text`` (``Span.text`` rebuilds it from the tokens each time)."""
    return text[span.start_char : span.end_char]


_GENERIC_PUMP = re.compile(  # "Codman 3000", "constant-flow": made for both routes, so no route of their own
    r"^(?:the\s+|a\s+|her\s+|his\s+)?(?:pumps?|codman(?:\s?3000)?|isomed|(?:constant|fixed)[-\s](?:flow|rate)(?:\s+pumps?)?)$",
    re.IGNORECASE)
_IT_ROUTE = re.compile(r"^(?:IT|ITB|intrathecal(?:ly)?)$", re.IGNORECASE)
_PUMPLIKE_LOOKALIKES = ("insulin", "other_route")
_STIMULATOR_UNITS = re.compile(r"\d\s*(?:mA|V|volts?|us|\u00b5s|Hz)\b")
_BARE_CATHETER = re.compile(r"^(?:the\s+|a\s+)?catheters?$", re.IGNORECASE)
_CATHETER_SERVICES = ("CATHETER_WORK", "CATHETER_REMOVAL")
_ONLY_SERVICES = {"LOOKALIKE_LINE": ("PORT_FLUSH",), "LOOKALIKE_LP": ("REFILL",)}
# a stimulator has no reservoir: a refill beside one (an SCS in the history of a pump patient) is never its
_KIND_NEVER_TAKES = {"stimulator": ("REFILL",)}


def _takes(device: Span, service: Span) -> bool:
    """Whether a service mention can be about this device (some devices take only one kind of service)."""
    only = _ONLY_SERVICES.get(device.label_)
    never = _KIND_NEVER_TAKES.get(DEVICE_KIND[device.label_], ())
    return (only is None or service.label_ in only) and service.label_ not in never


class _DeviceLocator:
    """Find the device a service mention is about (see module docstring).

    A bare "pump" (or "Codman", made for both routes) is a drug pump unless look-alike pumps
    outnumber the note's drug-pump cues (an insulin or hepatic pump visit says "pump" too); then it
    takes the look-alike's kind.
    """

    def __init__(self, doc: Doc, devices: list[Span], routes: list[Span], text: str) -> None:
        self.devices = devices
        self.text = text
        self.starts = [d.start_char for d in devices]
        self.sent_starts = np.flatnonzero(doc.to_array([SENT_START]) == 1).tolist()  # for bisect: no numpy per call
        self.device_sents = [self._sent(d.start) for d in devices]
        # Span.sent builds a Span by walking tokens; with no sentence hooks its start is a bisection away
        self._plain_sents = not ("sent" in doc.user_span_hooks or "sents" in doc.user_hooks
                                 or not doc.has_annotation("SENT_START"))
        # "IT daily dose DECREASED ...": a drug-pump route just before a service names its device
        self.route_ends = [r.end for r in routes if _IT_ROUTE.match(_text(r, text))]
        spinal_cues = len(routes)
        specific = Counter(DEVICE_KIND[d.label_] for d in devices if not self._generic(d) and not _family(d))
        drug_score = specific["pump"] + spinal_cues  # every "IT"/"intrathecal" is a cue: a PCA note says "PCA" often
        lookalike = {k: specific[k] for k in _PUMPLIKE_LOOKALIKES if specific[k] > drug_score}
        self.bare_pump = max(lookalike, key=lambda k: lookalike[k]) if lookalike else "pump"
        self.kinds = [self.kind_of(d) for d in devices]  # kind_of of each device, computed once
        counts = Counter(k for d, k in zip(devices, self.kinds, strict=True) if not _family(d))
        top = max(counts.values(), default=0)
        self.default = "pump" if counts["pump"] >= top else counts.most_common(1)[0][0]

    def _generic(self, span: Span) -> bool:
        return span.label_ in ("PUMP", "PUMP_FIXED") and bool(_GENERIC_PUMP.match(_text(span, self.text)))

    def kind_of(self, device: Span) -> str:
        if self._generic(device) or (device.label_ == "CATHETER" and _BARE_CATHETER.match(_text(device, self.text))):
            return self.bare_pump  # "the catheter" of a hepatic pump note is the hepatic pump's
        return DEVICE_KIND[device.label_]

    def _sent(self, tok: int) -> int:
        return bisect_right(self.sent_starts, tok)

    def sent_start(self, span: Span) -> int:
        """``span.sent.start``: the last sentence start at or before the span's first token, else 0."""
        if not self._plain_sents:
            return span.sent.start
        i = bisect_right(self.sent_starts, span.start) - 1
        return self.sent_starts[i] if i >= 0 else 0

    def kind(self, span: Span) -> str:
        if _STIMULATOR_UNITS.search(_text(span, self.text)):
            return "stimulator"  # "2.8 -> 3.2 mA", "3.0 -> 3.4 V": a drug pump has no such settings
        if not self.devices:
            return self.default
        sid = self._sent(span.start)
        same = [i for i, s in enumerate(self.device_sents) if s == sid]  # indices into devices
        devices = self.devices
        if span.label_ in _CATHETER_SERVICES:  # "ON-Q ... catheter removed": a bare "catheter" is the named device's
            named = [i for i in same
                     if not (devices[i].label_ == "CATHETER" and _BARE_CATHETER.match(_text(devices[i], self.text)))]
            same = named or same
        # a PICC is only flushed, a spinal needle only delivers a dose: neither takes any other service
        same = [i for i in same if _takes(devices[i], span)]
        if same:
            mid = (span.start_char + span.end_char) / 2
            near = min(same, key=lambda i: abs((devices[i].start_char + devices[i].end_char) / 2 - mid))
            return self.kinds[near]
        if any(0 <= span.start - end <= 3 and self._sent(end - 1) == sid for end in self.route_ends):
            return "pump"
        i = bisect_right(self.starts, span.start_char) - 1
        while i >= 0 and not _takes(self.devices[i], span):
            i -= 1
        if i >= 0 and _section(self.devices[i]) == _section(span):
            return self.kinds[i]
        return "pump" if span.label_ in _KIND_NEVER_TAKES.get(self.default, ()) else self.default


def extract_facts(doc: Doc) -> Facts:
    """All facts of one processed note (needs the pipeline's ``pump`` and ``pump_attrs`` spans)."""
    facts = Facts()
    text = doc_text(doc)
    concepts = list(doc.spans[CONCEPTS_KEY]) if CONCEPTS_KEY in doc.spans else []
    devices = list(doc.spans[DEVICES_KEY]) if DEVICES_KEY in doc.spans else []
    attributes = list(doc.spans[ATTRIBUTES_KEY]) if ATTRIBUTES_KEY in doc.spans else []
    routes = [a for a in attributes if a.label_ in ("ROUTE_SPINAL", "ROUTE_BRAIN")]
    locator = _DeviceLocator(doc, devices, routes, text)
    service_spans: list[Span] = []

    for span, kind in zip(devices, locator.kinds, strict=True):
        status = status_of(span)
        if status in ("negated", "hypothetical", "family"):
            continue  # "declined a programmable pump" says nothing about the device in place
        if span.label_ == "PUMP_PROGRAMMABLE":
            facts.add("programmable_device", Evidence.of(span, text=text))
        elif span.label_ == "PUMP_FIXED":
            facts.add("fixed_device", Evidence.of(span, text=text))
        elif span.label_ == "RESERVOIR_DEVICE":
            facts.add("reservoir_device", Evidence.of(span, text=text))
        if kind == "pump":
            facts.add("pump_mentions")
        else:
            facts.add(f"device_{kind}", Evidence.of(span, text=text))
    for span in concepts:
        name = ACTIONS.get(span.label_)
        if name is None:
            continue
        status = status_of(span)
        if name == "reprogramming" and status == "asserted" and _same_values(_text(span, text)):
            status = "negated"  # "Daily dose (pre) 6.0 mg/day / (post) 6.0 mg/day": before and after agree
        kind = locator.kind(span)
        if status != "asserted":
            facts.add(f"{name}_{status}", Evidence.of(span, status, text=text))
            if kind == "pump":
                facts.add("mentioned_not_asserted", Evidence.of(span, status, text=text))
        elif kind == "pump":
            facts.add(name, Evidence.of(span, text=text))
            service_spans.append(span)
            if name in ("implant", "replace", "explant"):
                facts.sentences[span.start_char] = span.sent.text
            if name == "reprogramming" and len(_NUMBER.findall(_text(span, text))) >= 2:
                facts.add("dose_change_values", Evidence.of(span, text=text))
        else:
            facts.add(f"{name}_on_{kind}", Evidence.of(span, text=text))
            facts.add(f"service_on_{kind}", Evidence.of(span, text=text))
            facts.add("lookalike", Evidence.of(span, text=text))
        facts.add(f"section_{_section(span)}_{name}")
    for span in attributes:
        if span.label_ == "CANCELLED" and status_of(span) != "asserted":
            continue
        facts.add(ATTRIBUTES[span.label_], Evidence.of(span, text=text))

    _volume_updates_are_refill(doc, facts)
    _analysis_by_rep(doc, attributes, facts)
    folded = fold(text)  # the whole-note role and correction patterns match on it (see IgnoreCaseSearch)
    _addendum_corrections(text, folded, facts)
    _overrule_bare_nouns(facts, text)
    _new_device_kind(doc, devices, facts)
    _derive(facts)
    _performer(locator, concepts, service_spans, facts, text, folded)
    return facts


def _volume_updates_are_refill(doc: Doc, facts: Facts) -> None:
    """Rule 5: "pump reprogrammed after refill: reservoir volume entered, alarm date updated".

    A bare "reprogrammed" sharing its sentence with a reservoir-volume or alarm-date update, and
    naming no dose, rate, bolus or mode, is that update, part of the refill.
    """
    updates = facts.evidence.get("volume_update", [])
    if not updates or not facts.has("reprogramming"):
        return
    update_sents = {_sent_start(doc, ev.start) for ev in updates}
    keep, moved = [], []
    for ev in facts.evidence["reprogramming"]:
        bare = _BARE_REPROGRAM.match(ev.text)
        (moved if bare and _sent_start(doc, ev.start) in update_sents else keep).append(ev)
    if moved:
        facts.values["reprogramming"] = float(len(keep))
        facts.evidence["reprogramming"] = keep
        if not keep:
            facts.values.pop("reprogramming")
            facts.evidence.pop("reprogramming")
        for ev in moved:
            facts.add("volume_update", ev)


def _sent_start(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent.start if span is not None else -1


def _analysis_by_rep(doc: Doc, attributes: list[Span], facts: Facts) -> None:
    """An interrogation a manufacturer's rep does alone is not the practice's service.

    "Rep interrogated the pump on her own tablet" documents no 62367; "rep operated the programmer
    under my direction; I reviewed the printout" does (the clinician performs, the rep assists).
    """
    reps = [s for s in attributes if s.label_ == "REP"]
    analyses = facts.evidence.get("analysis", [])
    if not reps or not analyses:
        return
    directs = _roles().clinician_directs_rep
    rep_sents = {r.sent.start: r.sent for r in reps}
    kept = []
    for ev in analyses:
        span = doc.char_span(ev.start, ev.end, alignment_mode="expand")
        sent = span.sent if span is not None else None
        if sent is not None and sent.start in rep_sents and not directs.search(sent.text):
            facts.add("analysis_by_rep", ev)
        else:
            kept.append(ev)
    if not kept:
        facts.values.pop("analysis", None)
        facts.evidence.pop("analysis", None)


def _addendum_corrections(text: str, folded: str, facts: Facts) -> None:
    """"Addendum: dose was NOT changed today; previous entry in error": the voided entry's service is gone.

    Only a service negated at or after the correction loses its earlier asserted mentions."""
    found = _corrections().start(text, folded)
    if found is None:
        return
    line_start = text.rfind("\n", 0, found) + 1
    for name in ("refill", "reprogramming", "analysis", "implant", "replace"):
        if not any(ev.start >= line_start for ev in facts.evidence.get(f"{name}_negated", [])):
            continue
        later = [ev for ev in facts.evidence.get(name, []) if ev.start >= line_start and not _quoted(text, ev.start)]
        if len(later) == len(facts.evidence.get(name, [])):
            continue
        facts.add(f"{name}_voided")
        if later:
            facts.evidence[name] = later
            facts.values[name] = float(len(later))
        else:
            facts.values.pop(name, None)
            facts.evidence.pop(name, None)


def _quoted(text: str, start: int) -> bool:
    """Whether ``start`` sits inside a quotation on its line: the voided entry the correction quotes
    ('the line "Dose increased to 1.300 mg/day" was carried over in error') is not a new mention."""
    before = text[text.rfind("\n", 0, start) + 1 : start]
    return before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d")


@cache
def _corrections() -> IgnoreCaseSearch:
    return IgnoreCaseSearch(load_json("context_rules.json")["corrections"]["pattern"])


def _overrule_bare_nouns(facts: Facts, text: str) -> None:
    """A bare noun ("Pump refill.", a note title, the access needle) loses to an explicit negation of the
    same service.

    "DATA: Pump refill ... Did not refill today" documents no refill; a verb, an amount or a
    procedure step ("refilled", "20 mL instilled") still stands against a negation elsewhere.
    """
    for name in ("refill", "reprogramming", "analysis", "implant", "replace"):
        asserted = facts.evidence.get(name, [])
        if not asserted or not facts.has(f"{name}_negated"):
            continue
        if all(_BARE_NOUN.match(ev.text) and not _DONE_BEFORE.search(text[max(0, ev.start - 40) : ev.start])
               and not _DONE_AFTER.match(text[ev.end : ev.end + 30]) for ev in asserted):
            facts.values.pop(name)
            facts.evidence.pop(name)
            facts.add(f"{name}_overruled", None, len(asserted))


def _new_device_kind(doc: Doc, devices: list[Span], facts: Facts) -> None:
    """Programmable or not, for the pump placed today, and whether a new pump is named at all.

    In a replacement the old pump is named too ("Removal of Codman 3000 ... implantation of
    SynchroMed II"), so each device in an implant sentence goes to its nearest implant, replacement
    or explant mention, and only those nearest an implant/replacement describe the new pump.
    """
    placed = facts.evidence.get("implant", []) + facts.evidence.get("replace", [])
    removed = facts.evidence.get("explant", [])
    text = doc_text(doc)
    for d in devices:
        if (status_of(d) == "asserted" and _NEW_BEFORE.search(text[max(0, d.start_char - 12) : d.start_char])
                and not _NEW_PLANNED_AFTER.search(text[d.end_char : d.end_char + 40])):
            facts.add("new_device_named", Evidence.of(d, text=text))
    if not placed:
        return
    actions = [(ev, True) for ev in placed] + [(ev, False) for ev in removed]
    for d in devices:
        if d.label_ not in ("PUMP_FIXED", "PUMP_PROGRAMMABLE"):
            continue
        sid = d.sent.start
        near = [(abs(ev.start - d.start_char), is_new) for ev, is_new in actions
                if doc.char_span(ev.start, ev.end, alignment_mode="expand").sent.start == sid]
        if near and min(near)[1]:
            kind = "new_device_fixed" if d.label_ == "PUMP_FIXED" else "new_device_programmable"
            facts.add(kind, Evidence.of(d, text=text))


def _derive(facts: Facts) -> None:
    """Facts that combine others: replacement = explant + implant in one session (rule 4)."""
    implant = facts.evidence.get("implant", [])
    replace = facts.evidence.get("replace", [])
    explant = facts.evidence.get("explant", [])
    if replace or (implant and explant) or (explant and facts.has("new_device_named")):
        for ev in replace or implant:
            facts.add("replacement", ev)
    placed = implant + replace or (explant if facts.has("new_device_named") else [])
    if not placed and not explant:  # "prepped per IFU (warmed/ sterile water out/ filled ...)": only a new pump
        placed = [ev for ev in facts.evidence.get("preparation", []) if _NEW_PUMP_PREP.search(ev.text)]
        for ev in placed:
            facts.add("implant_from_preparation", ev)
    for ev in placed:
        facts.add("implant_or_replacement", ev)
    if placed and all(_RESERVOIR.search(t) and not _PUMP_WORD.search(_NOT_THE_IMPLANT.sub("", t))
                      for t in facts.evidence_sentences(placed)):
        facts.add("reservoir_implant")
    if explant and not placed:
        facts.add("explant_only")
    if facts.has("route_spinal") or facts.has("route_brain"):
        facts.add("route_documented")
    for name in ("implant", "replace", "explant", "analysis", "reprogramming", "refill", "catheter_work",
                 "catheter_removal"):
        if facts.has(name):
            facts.add("drug_pump_service")
            break


class _Roles:
    """Compiled performer-role patterns from ``context_rules.json``."""

    def __init__(self) -> None:
        roles = load_json("context_rules.json")["performer_roles"]
        self.not_before = re.compile(roles["not_performer_before"], re.IGNORECASE)
        self.not_after = re.compile(roles["not_performer_after"], re.IGNORECASE)
        self.performer_before = re.compile(roles["performer_before"], re.IGNORECASE)
        self.staff_header = re.compile(roles["staff_note_header"], re.IGNORECASE)
        self.qhp_header = re.compile(roles["qhp_note_header"], re.IGNORECASE)
        # searched over the whole note: on folded text behind a literal gate (see IgnoreCaseSearch)
        self.attestation = IgnoreCaseSearch(roles["attestation"])
        self.attestation_performed = IgnoreCaseSearch(roles["attestation_performed"])
        self.clinician_directs_rep = re.compile(roles["clinician_directs_rep"], re.IGNORECASE)


_ROLES: _Roles | None = None


def _roles() -> _Roles:
    global _ROLES
    if _ROLES is None:
        _ROLES = _Roles()
    return _ROLES


def _performer(
    locator: _DeviceLocator, concepts: list[Span], services: list[Span], facts: Facts, text: str, folded: str
) -> None:
    """Who did the service (95990 vs 95991, 62369 vs 62370).

    In order: a clinician in a refill's sentence ("performed by" ones first, then the nearest);
    else an explicit "Performed by:" line; else the note's signer (its last clinician). Orderers,
    supervisors, reviewers and people notified are not performers; "I"/"we" is the signer; a
    nursing note header means staff.
    """
    roles = _roles()
    named: list[tuple[Span, str, bool]] = []  # (span, who, explicit "performed by")
    attest = roles.attestation.start(text, folded)
    reviewers_from = (attest if attest is not None and roles.attestation_performed.start(text, folded, attest) is None
                      else None)
    for p in concepts:
        if p.label_ not in PERFORMERS or status_of(p) != "asserted":
            continue  # "failed attempts by nursing at last visit", "the ITB nurse line in 6 weeks"
        if reviewers_from is not None and p.start_char >= reviewers_from:
            facts.add("performer_orderer")  # a co-signer who reviewed the note did not do the service
            continue
        line_start = text.rfind("\n", 0, p.start_char) + 1
        before = text[max(line_start, p.start_char - 60) : p.start_char]
        after = text[p.end_char : p.end_char + 40].split("\n", 1)[0]
        if roles.not_before.search(before) or roles.not_after.search(after):
            facts.add("performer_orderer")
            continue
        named.append((p, PERFORMERS[p.label_], bool(roles.performer_before.search(before))))
    for _p, who, _ in named:
        facts.add(f"performer_mention_{who}")
    people = [n for n in named if not _FIRST_PERSON.match(_text(n[0], text))]
    signer = people[-1][1] if people else None
    header_staff = bool(roles.staff_header.match(text[:200]))
    if signer is None and header_staff:
        signer = "staff"

    header_qhp = bool(roles.qhp_header.match(text[:200]))

    def resolve(entry: tuple[Span, str, bool]) -> str:
        if not _FIRST_PERSON.match(_text(entry[0], text)):
            return entry[1]
        return "physician" if header_qhp else (signer or "physician")

    refills = [s for s in services if s.label_ == "REFILL"] or services
    chosen: tuple[Span, str, bool] | None = None
    best: tuple[tuple[int, int], tuple[Span, str, bool]] | None = None
    named_sents = [locator.sent_start(n[0]) for n in named]
    for svc in refills:  # a clinician in the refill's own sentence, "performed by" ones first
        svc_sent = locator.sent_start(svc)
        for n, n_sent in zip(named, named_sents, strict=True):
            if n_sent == svc_sent:
                key = (0 if n[2] else 1, abs(n[0].start - svc.start))
                if best is None or key < best[0]:
                    best = (key, n)
    if best is not None:
        chosen = best[1]
    if chosen is None:  # else an explicit "Performed by:" / "Physician:" line anywhere
        chosen = next((n for n in named if n[2]), None)
    if chosen is not None:
        who, ev = resolve(chosen), Evidence.of(chosen[0], text=text)
    elif signer is not None:
        who, ev = signer, Evidence.of(people[-1][0], text=text) if people else None
    else:
        return
    facts.performer = who
    facts.add("performer_qhp" if who == "physician" else "performer_staff", ev)
