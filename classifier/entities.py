"""Pump concept recognition from the rules in ``data/entity_rules.json``.

Rules are regexes rather than token patterns because clinical expressions cross token boundaries
("2.0->2.3 mg/d", "150 mcg/day", "22-g non-coring needle"). One multi-pattern scan (:mod:`.multigate`)
picks the few rules that can match the note; only those run, on the case-folded note, behind their
literal gates (:mod:`.prefilter`), so a rule for stimulators costs nothing on a refill note. Devices
land in ``doc.spans["pump_devices"]``, services and performers in ``doc.spans["pump"]`` (each layer
without overlaps: longest match wins, as spaCy's ``filter_spans``), so "pump placed" is both a device
and an implant; attributes (status, values, documentation items) land in ``doc.spans["pump_attrs"]``.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .multigate import RuleGate
from .prefilter import RuleRegex, doc_folded, fold_for_rules
from .resources import RuleFilesMixin, doc_text

CONCEPTS_KEY = "pump"
DEVICES_KEY = "pump_devices"
ATTRIBUTES_KEY = "pump_attrs"


@Language.factory("pump_entities", default_config={})
class PumpEntities(RuleFilesMixin):
    """Match concept and attribute rules; results on ``doc.spans`` (see module docstring)."""

    def __init__(self, nlp: Language, name: str = "pump_entities") -> None:
        self.name = name
        self.load_default_rules()

    rule_files = ("entity_rules.json",)

    def rule_data(self) -> tuple[dict, ...]:
        return (self.rules,)

    def set_rules(self, rules: dict) -> None:
        self.rules = rules
        attrs = set(rules["attribute_labels"])
        devices = set(rules["device_labels"])
        # matches are reported label group by label group, in the order the rule file introduces them,
        # so that filter_spans breaks ties between equal spans as the rule file orders the labels
        first: dict[tuple[str, bool], int] = {}
        for rule in rules["rules"]:
            first.setdefault((rule["label"], bool(rule.get("case_sensitive"))), len(first))
        ordered = sorted(rules["rules"], key=lambda r: first[(r["label"], bool(r.get("case_sensitive")))])
        self._matchers = [
            (rule["label"],
             ATTRIBUTES_KEY if rule["label"] in attrs else DEVICES_KEY if rule["label"] in devices else CONCEPTS_KEY,
             RuleRegex(rule["pattern"], bool(rule.get("case_sensitive"))))
            for rule in ordered
        ]
        self.labels = sorted({label for label, _, _ in self._matchers})
        self._gate = RuleGate([rx for _, _, rx in self._matchers])

    def matches(self, text: str, folded: str | None = None) -> list[tuple[int, int, str, str]]:
        """All rule matches as (start, end, label, spans key), whitespace trimmed."""
        out: dict[tuple[int, int, str, str], None] = {}
        folded = fold_for_rules(text) if folded is None else folded
        matchers = self._matchers
        for i in self._gate.candidates(text, folded):
            label, key, rx = matchers[i]
            for m in rx.finditer(text, folded):
                start, end = m.span()
                if text[start].isspace() or text[end - 1].isspace():
                    while start < end and text[start].isspace():
                        start += 1
                    while end > start and text[end - 1].isspace():
                        end -= 1
                if end > start:
                    out[(start, end, label, key)] = None
        return list(out)

    def __call__(self, doc: Doc) -> Doc:
        layers: dict[str, list[Span]] = {CONCEPTS_KEY: [], DEVICES_KEY: [], ATTRIBUTES_KEY: []}
        found = self.matches(doc_text(doc), doc_folded(doc))
        if found:
            # token of a character by bisection: what char_span(alignment_mode="expand") does for a trimmed
            # match (its first and last characters are never whitespace, so each lies inside a token)
            starts = doc.to_array(IDX).tolist()
            for start, end, label, key in found:
                first = bisect_right(starts, start) - 1
                last = bisect_right(starts, end - 1)
                if first >= 0:
                    layers[key].append(Span(doc, first, last, label=label))
        for key in (CONCEPTS_KEY, DEVICES_KEY):
            doc.spans[key] = sorted(filter_spans(layers[key]), key=lambda s: s.start)
        doc.spans[ATTRIBUTES_KEY] = sorted(layers[ATTRIBUTES_KEY], key=lambda s: (s.start, s.end))
        return doc
